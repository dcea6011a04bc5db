#include "corpus/LogisticRegression.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace ts {

LogisticRegression::LogisticRegression(int features) : m_weights(size_t(features), 0.0) {}

double LogisticRegression::score(const SparseVector &x) const
{
    double z = m_bias;
    for (size_t k = 0; k < x.indices.size(); ++k)
        z += m_weights[size_t(x.indices[k])] * x.values[k];
    return z;
}

double LogisticRegression::probability(const SparseVector &x) const
{
    return 1.0 / (1.0 + std::exp(-score(x)));
}

void LogisticRegression::train(const std::vector<const SparseVector *> &x, const std::vector<int> &y,
                               const Params &params)
{
    std::vector<size_t> order(x.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::mt19937_64 engine(params.seed);
    for (int epoch = 0; epoch < params.epochs; ++epoch) {
        std::shuffle(order.begin(), order.end(), engine);
        const double rate = params.learningRate / (1.0 + epoch);
        for (const size_t i : order) {
            const SparseVector &row = *x[i];
            // d(log loss)/dz for the logistic link.
            const double gradient = probability(row) - y[i];
            for (size_t k = 0; k < row.indices.size(); ++k) {
                double &w = m_weights[size_t(row.indices[k])];
                w -= rate * (gradient * row.values[k] + params.l2 * w);
            }
            m_bias -= rate * gradient;
        }
    }
}

} // namespace ts
