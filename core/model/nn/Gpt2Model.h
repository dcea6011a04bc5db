#pragma once
// Includes torch: not for ui/ or the CLI.

#include "model/nn/Gpt2Conv1D.h"
#include "model/nn/CausalBackbone.h"

namespace ts {

/// GPT-2 decoder (HF GPT2Model layout: wte, wpe, h.<i>.{ln_1, attn.c_attn, attn.c_proj, ln_2, mlp.c_fc,
/// mlp.c_proj}, ln_f). The Conv1D weights are kept as HF stores them, (in, out). Pre-norm blocks,
/// causal attention. Continues a sequence from a KvCache (positions offset by the cached length).
class Gpt2Model : public CausalBackbone
{
public:
    /// Builds the modules for `config` (family Gpt2), weights initialised HF-style.
    explicit Gpt2Model(const ModelConfig &config);

    BackboneOutput forward(const torch::Tensor &ids, const torch::Tensor &mask, bool allHiddenStates) override;
    BackboneOutput forwardCached(const torch::Tensor &ids, KvCache &cache) override;
    std::vector<std::shared_ptr<torch::nn::Module>> layers() const override;
    std::shared_ptr<torch::nn::Module> embeddings() const override { return m_embeddings; }
    torch::Tensor wordEmbeddings() const override { return m_words->weight; }

private:
    struct Layer
    {
        std::shared_ptr<torch::nn::Module> root; // h.<i>
        torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr};
        std::shared_ptr<Gpt2Conv1D> qkv, attentionOut, fc, projection;
    };

    std::shared_ptr<Gpt2Conv1D> conv1d(torch::nn::Module &parent, const std::string &name, int64_t in, int64_t out);
    Layer buildLayer(torch::nn::Module &parent, int index);
    /// Block `index` over x (B,T,H); with a cache its keys and values join the cached ones.
    torch::Tensor runLayer(size_t index, const torch::Tensor &x, const torch::Tensor &bias, KvCache *cache);
    /// Embeds ids at positions `first`.. and runs every block. -> hidden (B,T,H), normed.
    BackboneOutput run(const torch::Tensor &ids, int64_t first, const torch::Tensor &bias, KvCache *cache,
                       bool allHiddenStates);

    std::shared_ptr<torch::nn::Module> m_embeddings; // unregistered holder of wte and wpe (HF keeps them at top level)
    torch::nn::Embedding m_words{nullptr}, m_positions{nullptr};
    std::vector<Layer> m_layers;
    torch::nn::LayerNorm m_finalNorm{nullptr};
};

} // namespace ts
