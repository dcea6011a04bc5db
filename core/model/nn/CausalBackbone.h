#pragma once
// Includes torch: not for ui/ or the CLI.

#include "model/nn/KvCache.h"
#include "model/nn/TransformerBackbone.h"

namespace ts {

/// A decoder backbone (GPT-2, Llama family) that can continue a sequence from a KvCache, one new
/// token at a time, for generation. Not thread-safe: one forward at a time.
class CausalBackbone : public TransformerBackbone
{
public:
    using TransformerBackbone::TransformerBackbone;

    /// Encodes `ids` (B,T) int64, the tokens that follow those held in `cache` (all real tokens: no
    /// padding), at positions cache.length() .. cache.length() + T - 1, and appends their keys and
    /// values to `cache`. -> hidden (B,T,H), as forward() gives for those columns of the whole sequence.
    virtual BackboneOutput forwardCached(const torch::Tensor &ids, KvCache &cache) = 0;
};

} // namespace ts
