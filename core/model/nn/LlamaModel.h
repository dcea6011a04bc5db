#pragma once
// Includes torch: not for ui/ or the CLI.

#include "model/nn/CausalBackbone.h"

#include <map>

namespace ts {

/// Llama-family decoder (HF LlamaModel / MistralModel / Qwen2Model / Qwen3Model layout: embed_tokens,
/// layers.<i>.{input_layernorm, self_attn.{q,k,v,o}_proj, self_attn.{q,k}_norm (Qwen3),
/// post_attention_layernorm, mlp.{gate,up,down}_proj}, norm). RMSNorm, rotary embeddings with rope_theta
/// and rope scaling (RotaryEmbedding), SwiGLU, grouped-query attention; Qwen2 has q/k/v biases, Qwen3
/// per-head q/k RMSNorm and a head size apart from H / heads; Mistral and Qwen slide a window over the
/// keys on some layers. Covers SmolLM and TinyLlama. Pre-norm blocks, causal attention. Continues a
/// sequence from a KvCache (rotary positions offset by the cached length; a windowed layer's cache
/// keeps only its window). Weights may be bf16/fp16 (stored dtype) while adapters are fp32: see
/// layers::project.
class LlamaModel : public CausalBackbone
{
public:
    /// Builds the modules for `config` (family Llama), weights initialised HF-style.
    explicit LlamaModel(const ModelConfig &config);

    BackboneOutput forward(const torch::Tensor &ids, const torch::Tensor &mask, bool allHiddenStates) override;
    BackboneOutput forwardCached(const torch::Tensor &ids, KvCache &cache) override;
    std::vector<std::shared_ptr<torch::nn::Module>> layers() const override;
    std::shared_ptr<torch::nn::Module> embeddings() const override { return m_words.ptr(); }
    torch::Tensor wordEmbeddings() const override { return m_words->weight; }

private:
    struct Layer
    {
        std::shared_ptr<torch::nn::Module> root; // layers.<i>
        torch::Tensor inputNorm, postAttentionNorm; // RMSNorm weights (H)
        torch::Tensor qNorm, kNorm;                 // Qwen3's per-head RMSNorm weights (d); undefined elsewhere
        int64_t window = 0;                         // sliding window in tokens; 0: every earlier token
        torch::nn::Linear q{nullptr}, k{nullptr}, v{nullptr}, o{nullptr};
        torch::nn::Linear gate{nullptr}, up{nullptr}, down{nullptr};
    };

    Layer buildLayer(torch::nn::Module &parent, int index);
    /// Block `index` over x (B,T,H); with a cache its keys and values join the cached ones.
    torch::Tensor runLayer(size_t index, const torch::Tensor &x, const torch::Tensor &bias, const torch::Tensor &cos,
                           const torch::Tensor &sin, KvCache *cache);
    /// Every block over the embedded x (B,T,H), each with the bias of its window. -> hidden, normed.
    BackboneOutput run(torch::Tensor x, const std::map<int64_t, torch::Tensor> &biases, const torch::Tensor &cosines,
                       const torch::Tensor &sines, KvCache *cache, bool allHiddenStates);
    torch::Tensor rmsNormWeight(torch::nn::Module &parent, const std::string &name, int64_t size);
    /// q or k projected, split into heads, normed per head (Qwen3) and rotated. -> (B,heads,T,d)
    torch::Tensor rotatedHeads(torch::nn::Linear &projection, const torch::Tensor &norm, const torch::Tensor &x,
                               int64_t heads, const torch::Tensor &cos, const torch::Tensor &sin);

    torch::nn::Embedding m_words{nullptr};
    std::vector<Layer> m_layers;
    torch::Tensor m_finalNorm; // (H)
};

} // namespace ts
