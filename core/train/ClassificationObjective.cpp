#include "train/ClassificationObjective.h"

#include "project/RunVocabulary.h"
#include "train/ClassificationMetrics.h"
#include "model/nn/Autocast.h"
#include "train/EvaluationBatches.h"

namespace ts {

ClassificationObjective::ClassificationObjective(std::shared_ptr<PretrainedModel> model, int numClasses,
                                                 int64_t padId, torch::Device device)
    : m_model(std::move(model)), m_classes(numClasses), m_padId(padId), m_device(device)
{
}

torch::Tensor ClassificationObjective::logits(const Batch &batch)
{
    return m_model->forward(batch.ids, batch.mask); // (B, classes)
}

torch::Tensor ClassificationObjective::loss(const Batch &batch, double, int64_t)
{
    return torch::nn::functional::cross_entropy(
        logits(batch).to(torch::kFloat32), batch.labels,
        torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-1));
}

torch::Tensor ClassificationObjective::evaluationTotals(const TokenizedSet &set, const QList<QList<int>> &batches,
                                                        qsizetype)
{
    torch::NoGradGuard noGrad;
    const bool wasTraining = m_model->is_training();
    m_model->eval();
    const int width = ClassificationMetrics::totalsSize(m_classes);
    torch::Tensor totals = torch::zeros({batches.size(), width + 2}, torch::kFloat64); // (batches, k)
    auto rows = totals.accessor<double, 2>();
    for (qsizetype b = 0; b < batches.size(); ++b) {
        const Batch batch = Batch::gather(set, batches[b], m_padId, m_device);
        const torch::Tensor out = logits(batch).to(torch::kFloat32);
        const int64_t n = batch.labels.ge(0).sum().item<int64_t>();
        if (n > 0) {
            rows[b][width] = torch::nn::functional::cross_entropy(
                                 out, batch.labels,
                                 torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-1).reduction(torch::kSum))
                                 .item<double>();
            rows[b][width + 1] = double(n);
        }
        ClassificationMetrics metrics(m_classes);
        const torch::Tensor predicted = out.argmax(1).cpu();
        const torch::Tensor labels = batch.labels.cpu();
        for (int64_t i = 0; i < predicted.size(0); ++i)
            metrics.add(int(predicted[i].item<int64_t>()), int(labels[i].item<int64_t>()));
        const std::vector<double> counts = metrics.totals();
        for (int k = 0; k < width; ++k)
            rows[b][k] = counts[size_t(k)];
    }
    m_model->train(wasTraining);
    return totals;
}

QMap<QString, double> ClassificationObjective::metricsOfSums(const std::vector<double> &sums) const
{
    const size_t width = size_t(ClassificationMetrics::totalsSize(m_classes));
    const double lossSum = sums.at(width);
    const double counted = sums.at(width + 1);
    if (counted == 0.0)
        return {};
    const ClassificationMetrics metrics = ClassificationMetrics::fromTotals(m_classes, sums);
    return {{QString(Metrics::kLoss), lossSum / counted},
            {QString(Metrics::kAccuracy), metrics.accuracy()},
            {QString(Metrics::kMacroF1), metrics.macroF1()}};
}

torch::Tensor ClassificationObjective::classProbabilities(const TokenizedSet &set, int batchSize)
{
    torch::NoGradGuard noGrad;
    const bool wasTraining = m_model->is_training();
    m_model->eval();
    torch::Tensor probabilities = torch::zeros({set.size(), m_classes}, torch::kFloat32); // (N, classes)
    for (const QList<int> &indices : EvaluationBatches::byLength(set, batchSize)) {
        const Batch batch = Batch::gather(set, indices, m_padId, m_device);
        torch::Tensor out;
        {
            Autocast guard(m_device.type(), m_device.is_cuda()); // bf16 on the GPU, as in training; fp32 on the CPU
            out = logits(batch);
        }
        const torch::Tensor rows = torch::tensor(std::vector<int64_t>(indices.begin(), indices.end()), torch::kLong);
        probabilities.index_copy_(0, rows, torch::softmax(out.to(torch::kFloat32), 1).cpu());
    }
    m_model->train(wasTraining);
    return probabilities;
}

} // namespace ts
