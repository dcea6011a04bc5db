#pragma once
// Includes torch: not for ui/ or the CLI.

#include "model/ModelConfig.h"
#include "model/nn/ModelHead.h"

namespace ts {

/// Masked-LM head in HF's layouts: dense + activation + LayerNorm, then a decoder tied to the word
/// embeddings (unless tie_word_embeddings is false) plus an output bias.
///   BERT: cls.predictions.{transform.dense, transform.LayerNorm, bias};
///   RoBERTa: lm_head.{dense, layer_norm, bias} (GELU);
///   DistilBERT: vocab_transform, vocab_layer_norm, vocab_projector.bias.
class MaskedLmHead : public ModelHead
{
public:
    /// Builds the head for `config`'s encoder family; `wordEmbeddings` (V,H) is the tied decoder.
    MaskedLmHead(const ModelConfig &config, const torch::Tensor &wordEmbeddings);

    /// Token logits (B,T,V).
    torch::Tensor forward(const BackboneOutput &output, const torch::Tensor &mask) override;

private:
    void buildDecoder(torch::nn::Module &parent, const std::string &weightGroup, const torch::Tensor &tied, double std);

    Activation m_activation = Activation::Gelu;
    torch::nn::Linear m_dense{nullptr};
    torch::nn::LayerNorm m_norm{nullptr};
    torch::Tensor m_decoder; // (V,H) tied or own
    torch::Tensor m_bias;    // (V)
};

} // namespace ts
