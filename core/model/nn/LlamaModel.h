#pragma once
// Includes torch: not for ui/ or the CLI.

#include "model/nn/TransformerBackbone.h"

namespace ts {

/// Llama-family decoder (HF LlamaModel / Qwen2Model layout: embed_tokens, layers.<i>.{input_layernorm,
/// self_attn.{q,k,v,o}_proj, post_attention_layernorm, mlp.{gate,up,down}_proj}, norm). RMSNorm, rotary
/// embeddings with rope_theta, SwiGLU, grouped-query attention; Qwen2 has q/k/v biases. Covers SmolLM
/// and TinyLlama. Pre-norm blocks, causal attention.
class LlamaModel : public TransformerBackbone
{
public:
    /// Builds the modules for `config` (family Llama), weights initialised HF-style.
    explicit LlamaModel(const ModelConfig &config);

    BackboneOutput forward(const torch::Tensor &ids, const torch::Tensor &mask, bool allHiddenStates) override;
    std::vector<std::shared_ptr<torch::nn::Module>> layers() const override;
    std::shared_ptr<torch::nn::Module> embeddings() const override { return m_words.ptr(); }
    torch::Tensor wordEmbeddings() const override { return m_words->weight; }

private:
    struct Layer
    {
        std::shared_ptr<torch::nn::Module> root; // layers.<i>
        torch::Tensor inputNorm, postAttentionNorm; // RMSNorm weights (H)
        torch::nn::Linear q{nullptr}, k{nullptr}, v{nullptr}, o{nullptr};
        torch::nn::Linear gate{nullptr}, up{nullptr}, down{nullptr};
    };

    Layer buildLayer(torch::nn::Module &parent, int index);
    torch::Tensor runLayer(Layer &layer, const torch::Tensor &x, const torch::Tensor &bias, const torch::Tensor &cos,
                           const torch::Tensor &sin);
    torch::Tensor rmsNormWeight(torch::nn::Module &parent, const std::string &name);

    torch::nn::Embedding m_words{nullptr};
    std::vector<Layer> m_layers;
    torch::Tensor m_finalNorm; // (H)
};

} // namespace ts
