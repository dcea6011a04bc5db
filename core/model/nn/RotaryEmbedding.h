#pragma once
// Includes torch: not for ui/ or the CLI.

#include "model/ModelConfig.h"

#include <torch/torch.h>

namespace ts {

/// Rotary position tables of the Llama family, with the config's rope scaling (none, linear, dynamic
/// NTK, llama3, YaRN) computed as Hugging Face's modeling_rope_utils does, in fp32. Stateless: dynamic
/// scaling depends on the length of the sequence at hand only (transformers without a KV cache).
class RotaryEmbedding
{
public:
    /// The inverse frequencies for a sequence of `length` positions. -> (d/2) fp32 on `device`.
    static torch::Tensor inverseFrequencies(const ModelConfig &config, int64_t length, const torch::Device &device);

    /// cos and sin tables for positions 0..length-1, multiplied by YaRN's attention factor, in `dtype`.
    /// -> two (T,d) tensors, the angles of each frequency repeated over both halves of the head.
    static std::pair<torch::Tensor, torch::Tensor> tables(const ModelConfig &config, int64_t length,
                                                          torch::ScalarType dtype, const torch::Device &device);
};

} // namespace ts
