#pragma once
// Includes torch: not for ui/ or the CLI (they go through jobs/TextGenerator).

#include "model/GenerationParams.h"
#include "model/nn/PretrainedModel.h"
#include "util/Result.h"

#include <vector>

namespace ts {

/// The tokens a Generator added to a prompt, and why it stopped.
struct GeneratedTokens
{
    enum class Stop { Length, StopToken, Aborted };

    std::vector<int64_t> tokens; // the new tokens, a stop token included
    Stop stop = Stop::Length;
};

/// Continues a prompt with a causal language model, as transformers' generate() does: greedy when
/// the temperature is 0, else sampling with temperature, top-k and top-p (nucleus) filtering from a
/// seeded CPU generator. With the KV cache (default) the prompt runs once and each step one token;
/// a model with dynamic NTK rope scaling runs the whole sequence each step once it would outgrow
/// max_position_embeddings (cached keys would keep a stale rotation).
/// Not thread-safe on one model: one generation at a time.
class Generator
{
public:
    /// The tokens added to `prompt` (1,P) int64 under `params` (checked first). `model` must be a
    /// CausalLm in eval mode; a learned position table (GPT-2) must hold P + maxNewTokens positions.
    static Result<GeneratedTokens> generate(PretrainedModel &model, const torch::Tensor &prompt,
                                            const GenerationParams &params);

    /// The next token from next-token logits (V): the argmax when params.temperature is 0, else a
    /// draw from `generator` over the tokens top-k and top-p keep, at that temperature.
    static int64_t pick(const torch::Tensor &logits, const GenerationParams &params, at::Generator &generator);
};

} // namespace ts
