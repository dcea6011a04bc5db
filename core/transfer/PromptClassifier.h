#pragma once

// Includes torch: for core's torch folders only.
#include "transfer/PromptEncoder.h"
#include "transfer/PromptObjective.h"

#include <memory>

namespace ts {

/// Class probabilities through a prompt, as runs that score through one evaluate: the label-word
/// scores of the model's language-model head on each text's prompt (PromptObjective on prompts
/// from PromptEncoder, with its demonstrations), a softmax over them, and, when the settings
/// calibrate, the division by the content-free input's probabilities (ContextualCalibration).
/// Zero-shot runs and the prediction of finished runs (RunClassifier) share it. Not thread-safe.
class PromptClassifier
{
public:
    /// Scores with `model` (its language-model head); measures the content-free input's
    /// probabilities when `encoder`'s settings calibrate (fails when its prompt does not fit).
    static Result<PromptClassifier> create(std::shared_ptr<PretrainedModel> model, PromptEncoder encoder,
                                           int numClasses, int64_t padId, torch::Device device);

    /// Probabilities (N, classes), float32 on the CPU, of `prompts` (PromptEncoder::encodeSet),
    /// `batchSize` prompts per forward pass.
    torch::Tensor probabilities(const TokenizedSet &prompts, int batchSize);

    const PromptEncoder &encoder() const { return m_encoder; }
    /// The content-free input's probabilities (classes) before calibration; undefined without it.
    const torch::Tensor &contentFree() const { return m_contentFree; }

private:
    explicit PromptClassifier(PromptEncoder encoder) : m_encoder(std::move(encoder)) {}

    PromptEncoder m_encoder;
    std::unique_ptr<PromptObjective> m_objective;
    torch::Tensor m_contentFree;
};

} // namespace ts
