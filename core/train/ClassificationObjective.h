#pragma once

// Includes torch: for core's torch folders only.
#include "model/nn/PretrainedModel.h"
#include "train/TrainingObjective.h"

namespace ts {

/// Cross-entropy on the class labels of a sequence-classification model; evaluation gives loss,
/// accuracy and macro-F1. Examples without a label (-1) are ignored.
class ClassificationObjective : public TrainingObjective
{
public:
    ClassificationObjective(std::shared_ptr<PretrainedModel> model, int numClasses, int64_t padId,
                            torch::Device device);

    torch::Tensor loss(const Batch &batch, double progress, int64_t step) override;
    /// Row of a batch: ClassificationMetrics::totals(), then the summed cross-entropy (nats) and
    /// the number of labelled texts it is summed over.
    torch::Tensor evaluationTotals(const TokenizedSet &set, const QList<QList<int>> &batches, qsizetype first) override;
    torch::Tensor classProbabilities(const TokenizedSet &set, int batchSize) override;
    QString primaryMetric() const override { return QStringLiteral("accuracy"); }
    bool higherIsBetter() const override { return true; }

    /// Logits (B, classes) for a batch, in the model's current mode: the classification head's
    /// output, or other class scores (a prompt's label-word log-probabilities).
    virtual torch::Tensor logits(const Batch &batch);

protected:
    QMap<QString, double> metricsOfSums(const std::vector<double> &sums) const override;

    std::shared_ptr<PretrainedModel> m_model;
    int m_classes;
    int64_t m_padId;
    torch::Device m_device;
};

} // namespace ts
