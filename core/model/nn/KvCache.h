#pragma once
// Includes torch: not for ui/ or the CLI.

#include <torch/torch.h>

#include <vector>

namespace ts {

/// The keys and values a decoder computed for the tokens it has seen, one pair per layer, so that
/// each new token attends to them without running the sequence again (O(length) per step instead of
/// O(length^2)). Keys are kept after the rotary embedding (Llama family), at their absolute positions.
/// Belongs to one sequence of one model; not thread-safe.
class KvCache
{
public:
    /// The number of tokens cached (the position of the next token): the keys layer 0 holds, so a
    /// forward pass reads it before its first layer appends.
    int64_t length() const;

    /// Appends layer `layer`'s keys and values for the new tokens, k and v (B,kv,T,d), and returns
    /// every cached key and value of that layer, (B,kv,S,d) with S = the tokens before + T.
    std::pair<torch::Tensor, torch::Tensor> append(size_t layer, const torch::Tensor &k, const torch::Tensor &v);

    /// Additive attention bias of `queries` new tokens over the cached ones and themselves: query i,
    /// at position length() + i, sees the keys at positions up to its own and, with `window` > 0,
    /// above length() + i - window (sliding-window attention). -> (1,1,T,S) fp32 with S = length() + T;
    /// undefined when it would hide nothing (one new token and no window reached).
    torch::Tensor causalBias(int64_t queries, int64_t window, const torch::Device &device) const;

    /// Forgets every token (a new sequence).
    void clear();

private:
    std::vector<torch::Tensor> m_keys, m_values; // per layer, (B,kv,S,d)
};

} // namespace ts
