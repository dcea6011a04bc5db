#pragma once
// Includes torch: not for ui/ or the CLI.

#include "model/ModelConfig.h"
#include "model/nn/ModelHead.h"

namespace ts {

/// Sequence classification in HF's *ForSequenceClassification layouts:
///   BERT: dropout + "classifier" on the pooler output;
///   RoBERTa: "classifier.dense" + tanh + "classifier.out_proj" on the first token;
///   DistilBERT: "pre_classifier" + ReLU + "classifier" on the first token;
///   GPT-2 / Llama: "score" (no bias) on the last real token (last 1 in the mask).
class ClassificationHead : public ModelHead
{
public:
    /// Builds the head for `config`'s family with `numLabels` outputs, initialised N(0, initializer_range).
    ClassificationHead(const ModelConfig &config, int numLabels);

    /// Logits (B,labels).
    torch::Tensor forward(const BackboneOutput &output, const torch::Tensor &mask) override;

private:
    ModelConfig m_config;
    torch::nn::Linear m_dense{nullptr};  // RoBERTa classifier.dense, DistilBERT pre_classifier
    torch::nn::Linear m_output{nullptr}; // classifier / classifier.out_proj / score
};

} // namespace ts
