#include "corpus/ProxyADistance.h"

#include "corpus/LogisticRegression.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace ts {

namespace {

SparseVector features(const QStringList &words, QHash<QString, int> &vocabulary)
{
    SparseVector row;
    for (const QString &word : words) {
        auto it = vocabulary.constFind(word);
        if (it == vocabulary.cend())
            it = vocabulary.insert(word, int(vocabulary.size()));
        row.indices.push_back(it.value());
    }
    std::sort(row.indices.begin(), row.indices.end());
    row.indices.erase(std::unique(row.indices.begin(), row.indices.end()), row.indices.end());
    const float norm = row.indices.empty() ? 1.0f : 1.0f / std::sqrt(float(row.indices.size()));
    row.values.assign(row.indices.size(), norm);
    return row;
}

} // namespace

ProxyADistance::Estimate ProxyADistance::estimate(const std::vector<QStringList> &a, const std::vector<QStringList> &b,
                                                  const DomainShiftParams &params)
{
    Estimate estimate;
    const size_t n = std::min(a.size(), b.size());
    estimate.documentsPerDomain = qint64(n);
    if (params.folds < 2 || n < size_t(params.folds))
        return estimate;

    QHash<QString, int> vocabulary;
    std::vector<SparseVector> rows;
    std::vector<int> labels;
    rows.reserve(2 * n);
    for (size_t i = 0; i < n; ++i) {
        rows.push_back(features(a[i], vocabulary));
        labels.push_back(0);
        rows.push_back(features(b[i], vocabulary));
        labels.push_back(1);
    }
    // Fold f holds every k-th row of a shuffled order: about half of each domain.
    std::vector<size_t> order(rows.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::mt19937_64 engine(params.seed);
    std::shuffle(order.begin(), order.end(), engine);

    LogisticRegression::Params training;
    training.epochs = params.epochs;
    training.seed = params.seed;
    qint64 errors = 0;
    for (int fold = 0; fold < params.folds; ++fold) {
        std::vector<const SparseVector *> x;
        std::vector<int> y;
        for (size_t k = 0; k < order.size(); ++k) {
            if (int(k % size_t(params.folds)) != fold) {
                x.push_back(&rows[order[k]]);
                y.push_back(labels[order[k]]);
            }
        }
        LogisticRegression model(int(vocabulary.size()));
        model.train(x, y, training);
        for (size_t k = size_t(fold); k < order.size(); k += size_t(params.folds)) {
            const int predicted = model.probability(rows[order[k]]) >= 0.5 ? 1 : 0;
            errors += predicted != labels[order[k]];
        }
    }
    estimate.error = double(errors) / double(rows.size());
    estimate.distance = std::clamp(2.0 * (1.0 - 2.0 * estimate.error), 0.0, 2.0);
    return estimate;
}

} // namespace ts
