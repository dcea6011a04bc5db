#pragma once
// Includes torch: ui/ and the CLI must not include this header.

#include "model/ModelConfig.h"
#include "model/nn/ModelHead.h"
#include "model/nn/TransformerBackbone.h"
#include "util/Result.h"

#include <memory>
#include <string>

namespace ts {

/// A backbone and the head for one task, laid out as Hugging Face's task classes: the backbone is
/// registered under its base prefix ("bert", "roberta", "distilbert", "transformer", "model") and the
/// head's modules at the top level, so named_parameters() gives checkpoint names
/// ("bert.encoder.layer.0.attention.self.query.weight", "classifier.weight"). Tied weights are
/// registered once. Not thread-safe: one forward at a time.
class PretrainedModel : public torch::nn::Module
{
public:
    /// Builds a model for `task`; `numLabels` 0 keeps the config's labels (classification only).
    /// Fails when the family has no such head (masked LM on decoders, causal LM on encoders).
    static Result<std::shared_ptr<PretrainedModel>> create(const ModelConfig &config, ModelTask task,
                                                          int numLabels = 0);

    /// Task output: Embedding -> last hidden state (B,T,H); classification -> logits (B,labels);
    /// masked / causal LM -> logits (B,T,V). ids (B,T) int64, mask (B,T) 1 = real token.
    torch::Tensor forward(const torch::Tensor &ids, const torch::Tensor &mask);

    /// Backbone outputs only (all hidden states when `allHiddenStates`).
    BackboneOutput encode(const torch::Tensor &ids, const torch::Tensor &mask, bool allHiddenStates = false);

    /// The head's output for backbone outputs (e.g. to add losses on the hidden states too).
    torch::Tensor headForward(const BackboneOutput &output, const torch::Tensor &mask);

    /// The backbone, for freezing and per-layer learning rates.
    const std::shared_ptr<TransformerBackbone> &backbone() const { return m_backbone; }

    /// The head; null for ModelTask::Embedding.
    const std::shared_ptr<ModelHead> &head() const { return m_head; }

    /// The task this model was built for.
    ModelTask task() const { return m_task; }

    /// The configuration, with `labels` resized to the head's number of outputs.
    const ModelConfig &config() const { return m_config; }

    /// The backbone's registration name, e.g. "bert".
    const std::string &backbonePrefix() const { return m_prefix; }

    /// Whether parameter `name` belongs to the head (or BERT's pooler): tensors a base checkpoint may
    /// lack and that are then freshly initialised.
    bool isHeadParameter(const std::string &name) const;

    /// Sets training mode on the backbone, the head and all their modules.
    void train(bool on = true) override;

private:
    PretrainedModel(const ModelConfig &config, ModelTask task);

    ModelConfig m_config;
    ModelTask m_task;
    std::string m_prefix;
    std::shared_ptr<TransformerBackbone> m_backbone;
    std::shared_ptr<ModelHead> m_head;
};

} // namespace ts
