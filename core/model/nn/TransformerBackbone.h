#pragma once
// The interface the trainer uses for every architecture. Includes torch: ui/ and the CLI must not
// include this header; they use ModelConfig / ModelFolder / SafeTensorsFile instead.

#include "model/ModelConfig.h"
#include "model/nn/BackboneOutput.h"
#include "model/nn/LayerCheckpoint.h"

#include <torch/torch.h>

#include <memory>
#include <vector>

namespace ts {

/// A pretrained transformer without task head. named_parameters() are Hugging Face's base-model names
/// ("embeddings.word_embeddings.weight", "h.0.attn.c_attn.weight", "layers.0.self_attn.q_proj.weight"),
/// so that export and LoRA can target modules by name. Not thread-safe: one forward at a time.
class TransformerBackbone : public torch::nn::Module
{
public:
    explicit TransformerBackbone(ModelConfig config) : m_config(std::move(config)) {}

    /// Encodes a batch. ids (B,T) int64; mask (B,T) 1 for real tokens, 0 for padding.
    /// Positions count from 0 at the first column (use right padding).
    virtual BackboneOutput forward(const torch::Tensor &ids, const torch::Tensor &mask, bool allHiddenStates) = 0;

    /// The transformer blocks, input side first (for freezing and per-layer learning rates).
    virtual std::vector<std::shared_ptr<torch::nn::Module>> layers() const = 0;

    /// The embedding module(s) (token, position, type tables and their norm).
    virtual std::shared_ptr<torch::nn::Module> embeddings() const = 0;

    /// The token embedding matrix (V,H), shared with tied LM heads.
    virtual torch::Tensor wordEmbeddings() const = 0;

    /// The configuration the backbone was built from.
    const ModelConfig &config() const { return m_config; }

    /// Whether training passes recompute each layer in backward instead of keeping its activations
    /// (LayerCheckpoint). Every architecture honours it.
    void setLayerCheckpointing(bool on) { m_layerCheckpointing = on; }
    bool layerCheckpointing() const { return m_layerCheckpointing; }

protected:
    /// One transformer block over x (B,T,H): recomputed in backward (LayerCheckpoint) when layer
    /// checkpointing is on and the module trains, else simply layer(x). `layer` must not use a
    /// KvCache (generation never trains).
    torch::Tensor applyLayer(LayerCheckpoint::Layer layer, const torch::Tensor &x);

private:
    ModelConfig m_config;
    bool m_layerCheckpointing = false;
};

} // namespace ts
