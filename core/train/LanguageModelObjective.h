#pragma once

// Includes torch: for core's torch folders only.
#include "model/nn/PretrainedModel.h"
#include "train/TrainingObjective.h"

#include <cstdint>

namespace ts {

/// Language modelling on unlabelled text: masked-token prediction for encoders (BERT's 80/10/10
/// corruption of `maskProbability` of the tokens) or next-token prediction for decoders.
/// Evaluation gives the loss ("lm_loss") and its perplexity exp(loss) (for masked LM, over the masked tokens
/// of a fixed masking).
class LanguageModelObjective : public TrainingObjective
{
public:
    enum class Mode { Masked, Causal };

    struct Tokens
    {
        int64_t pad = 0;
        int64_t mask = -1;                // [MASK]; required for Mode::Masked
        int64_t vocabSize = 0;
        std::vector<int64_t> special;     // ids never masked nor drawn as random replacements
    };

    /// `model` may be null when only trainingInputs() is used (another model consumes the masking).
    LanguageModelObjective(std::shared_ptr<PretrainedModel> model, Mode mode, Tokens tokens, double maskProbability,
                           uint64_t seed, torch::Device device);

    torch::Tensor loss(const Batch &batch, double progress, int64_t step) override;
    /// Row of a batch: the summed token cross-entropy (nats) and the number of tokens predicted.
    torch::Tensor evaluationTotals(const TokenizedSet &set, const QList<QList<int>> &batches, qsizetype first) override;
    QString primaryMetric() const override { return QStringLiteral("perplexity"); }
    bool higherIsBetter() const override { return false; }

    /// Masked or causal.
    Mode mode() const { return m_mode; }

    /// The corrupted inputs and the labels of training step `step` (the masking loss() uses), for
    /// objectives that feed them to another model's backbone and LM head: labels -100 where
    /// nothing is predicted; both (B,T) int64 on the device.
    std::pair<torch::Tensor, torch::Tensor> trainingInputs(const Batch &batch, int64_t step) const;

    /// Mean token cross-entropy of `logits` (B,T,V) against `labels` (B,T) from trainingInputs();
    /// a causal model's position t predicts label t+1.
    static torch::Tensor meanLoss(const torch::Tensor &logits, const torch::Tensor &labels, Mode mode);

    /// The backbone output and labels of the positions the loss is computed on.
    struct ScoredPositions
    {
        BackboneOutput output; // hidden (B,T,H), or (1,N,H) for masked LM
        torch::Tensor labels;  // (B,T), or (1,N) for masked LM
    };
    /// Masked LM keeps only the N positions it predicts (about 15% of the tokens): the LM head's
    /// (H,V) product and the softmax over the vocabulary are most of a step's time when they run
    /// on every position. Causal LM predicts every position and is passed through.
    static ScoredPositions scoredPositions(const BackboneOutput &output, const torch::Tensor &labels, Mode mode);

protected:
    QMap<QString, double> metricsOfSums(const std::vector<double> &sums) const override;

private:
    /// (inputs, labels): labels -100 where nothing is predicted.
    std::pair<torch::Tensor, torch::Tensor> prepare(const Batch &batch, uint64_t seed) const;
    /// The masking seed of training step `step`.
    uint64_t stepSeed(int64_t step) const;
    /// Summed cross-entropy and the number of predicted tokens.
    std::pair<torch::Tensor, int64_t> lossSum(const Batch &batch, uint64_t seed);

    std::shared_ptr<PretrainedModel> m_model;
    Mode m_mode;
    Tokens m_tokens;
    double m_maskProbability;
    uint64_t m_seed;
    torch::Device m_device;
};

} // namespace ts
