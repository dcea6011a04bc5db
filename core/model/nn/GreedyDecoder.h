#pragma once
// Includes torch: not for ui/ or the CLI.

#include "model/nn/PretrainedModel.h"
#include "util/Result.h"

namespace ts {

/// Greedy decoding with a causal language model, as transformers' generate(do_sample=False): each
/// step appends the most likely next token. Every step runs the whole sequence again (no KV cache:
/// O(steps x length^2) attention), which suits short continuations and checks against references.
class GreedyDecoder
{
public:
    /// The tokens greedy decoding adds to `prompt` (1,P) int64: up to `maxNewTokens`, ending early
    /// after `stopTokenId` when it is >= 0. -> (1,N) int64 on the CPU. `model` must be a CausalLm in
    /// eval mode; a learned position table (GPT-2) must hold P + maxNewTokens positions.
    static Result<torch::Tensor> generate(PretrainedModel &model, const torch::Tensor &prompt, int maxNewTokens,
                                          int64_t stopTokenId = -1);
};

} // namespace ts
