#pragma once
// Includes torch: not for ui/ or the CLI.

#include "model/ModelConfig.h"
#include "model/nn/ModelHead.h"

namespace ts {

/// Causal-LM head ("lm_head", no bias), tied to the word embeddings when tie_word_embeddings is true
/// (GPT-2, SmolLM, Qwen2 small models): then it owns no parameter.
class CausalLmHead : public ModelHead
{
public:
    /// Builds the head for `config`'s decoder family; `wordEmbeddings` (V,H) is the tied matrix.
    CausalLmHead(const ModelConfig &config, const torch::Tensor &wordEmbeddings);

    /// Next-token logits (B,T,V).
    torch::Tensor forward(const BackboneOutput &output, const torch::Tensor &mask) override;

private:
    torch::Tensor m_weight; // (V,H) tied or lm_head.weight
};

} // namespace ts
