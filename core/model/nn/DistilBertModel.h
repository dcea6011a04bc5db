#pragma once
// Includes torch: not for ui/ or the CLI.

#include "model/nn/TransformerBackbone.h"

namespace ts {

/// DistilBERT encoder (HF DistilBertModel layout: embeddings, transformer.layer.<i> with
/// attention.{q,k,v,out}_lin, sa_layer_norm, ffn.lin1/lin2, output_layer_norm). Post-norm blocks.
class DistilBertModel : public TransformerBackbone
{
public:
    /// Builds the modules for `config` (family DistilBert), weights initialised HF-style.
    explicit DistilBertModel(const ModelConfig &config);

    BackboneOutput forward(const torch::Tensor &ids, const torch::Tensor &mask, bool allHiddenStates) override;
    std::vector<std::shared_ptr<torch::nn::Module>> layers() const override;
    std::shared_ptr<torch::nn::Module> embeddings() const override { return m_embeddings; }
    torch::Tensor wordEmbeddings() const override { return m_words->weight; }

private:
    struct Layer
    {
        std::shared_ptr<torch::nn::Module> root; // transformer.layer.<i>
        torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr}, out{nullptr};
        torch::nn::LayerNorm attentionNorm{nullptr};
        torch::nn::Linear lin1{nullptr}, lin2{nullptr};
        torch::nn::LayerNorm outputNorm{nullptr};
    };

    Layer buildLayer(torch::nn::Module &parent, int index);
    torch::Tensor runLayer(Layer &layer, const torch::Tensor &x, const torch::Tensor &bias);

    std::shared_ptr<torch::nn::Module> m_embeddings;
    torch::nn::Embedding m_words{nullptr}, m_positions{nullptr};
    torch::nn::LayerNorm m_embeddingNorm{nullptr};
    std::vector<Layer> m_layers;
};

} // namespace ts
