#pragma once
// Includes torch: not for ui/ or the CLI.

#include "model/nn/TransformerBackbone.h"

namespace ts {

/// BERT and RoBERTa encoders (HF BertModel / RobertaModel layouts; MiniLM, BGE and E5 are BERTs).
/// RoBERTa differs in its position ids (counting from padding_idx + 1, pads keep padding_idx) and has
/// no pooler here (its classification head reads the first token itself). Post-norm blocks.
class BertModel : public TransformerBackbone
{
public:
    /// Builds the modules for `config` (family Bert or Roberta), weights initialised HF-style.
    explicit BertModel(const ModelConfig &config);

    BackboneOutput forward(const torch::Tensor &ids, const torch::Tensor &mask, bool allHiddenStates) override;
    std::vector<std::shared_ptr<torch::nn::Module>> layers() const override;
    std::shared_ptr<torch::nn::Module> embeddings() const override { return m_embeddings; }
    torch::Tensor wordEmbeddings() const override { return m_words->weight; }

private:
    struct Layer
    {
        std::shared_ptr<torch::nn::Module> root; // encoder.layer.<i>
        torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr}, attentionOut{nullptr};
        torch::nn::LayerNorm attentionNorm{nullptr};
        torch::nn::Linear intermediate{nullptr}, output{nullptr};
        torch::nn::LayerNorm outputNorm{nullptr};
    };

    Layer buildLayer(torch::nn::Module &parent, int index);
    torch::Tensor positionIds(const torch::Tensor &ids) const;
    torch::Tensor embed(const torch::Tensor &ids);
    torch::Tensor runLayer(Layer &layer, const torch::Tensor &x, const torch::Tensor &bias);

    std::shared_ptr<torch::nn::Module> m_embeddings;
    torch::nn::Embedding m_words{nullptr}, m_positions{nullptr}, m_types{nullptr};
    torch::nn::LayerNorm m_embeddingNorm{nullptr};
    std::vector<Layer> m_layers;
    torch::nn::Linear m_pooler{nullptr}; // BERT only
};

} // namespace ts
