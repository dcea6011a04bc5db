#pragma once
// Includes torch: not for ui/ or the CLI.

#include <torch/torch.h>

#include <vector>

namespace ts {

/// The keys and values a decoder computed for the tokens it has seen, one pair per layer, so that
/// each new token attends to them without running the sequence again (O(length) per step instead of
/// O(length^2)). Keys are kept after the rotary embedding (Llama family), at their absolute positions.
/// A layer with a sliding window of W tokens (Mistral, Qwen's upper layers) keeps only the last W - 1
/// tokens' keys and values, all that the next token can see: its memory stays bounded however long
/// the generation runs (a rolling buffer). Belongs to one sequence of one model; not thread-safe.
class KvCache
{
public:
    /// The number of tokens seen (the position of the next token): layer 0's count, so a forward
    /// pass reads it before its first layer appends.
    int64_t length() const;

    /// Appends layer `layer`'s keys and values for the new tokens, k and v (B,kv,T,d), and returns
    /// the layer's held keys and values followed by the new ones, (B,kv,S,d) with S = held(layer) + T.
    /// With `window` > 0 the layer then keeps only the last window - 1 tokens.
    std::pair<torch::Tensor, torch::Tensor> append(size_t layer, const torch::Tensor &k, const torch::Tensor &v,
                                                   int64_t window = 0);

    /// The tokens whose keys and values layer `layer` holds: length(), or fewer for a sliding window.
    int64_t held(size_t layer) const;

    /// Additive attention bias of `queries` new tokens over the keys a layer with sliding window
    /// `window` (0: none) holds and the new ones: query i, at position length() + i, sees the keys
    /// at positions up to its own and, with `window` > 0, above length() + i - window.
    /// -> (1,1,T,S) fp32 with S = the held tokens + T; undefined when it would hide nothing (one
    /// new token).
    torch::Tensor causalBias(int64_t queries, int64_t window, const torch::Device &device) const;

    /// Forgets every token (a new sequence).
    void clear();

private:
    /// Tokens a layer with `window` holds before the next forward pass: all, or the last window - 1.
    int64_t heldFor(int64_t window) const;

    std::vector<torch::Tensor> m_keys, m_values; // per layer, (B,kv,held,d)
    std::vector<int64_t> m_seen;                 // per layer, tokens appended so far
};

} // namespace ts
