#pragma once

#include "corpus/SparseVector.h"

#include <QtGlobal>

#include <vector>

namespace ts {

/// Binary logistic regression over sparse features, trained by stochastic gradient descent
/// with L2 regularisation. Small and dependency-free: the domain classifier of the proxy
/// A-distance. Not thread-safe while training.
class LogisticRegression
{
public:
    /// Training settings; the defaults suit L2-normalised bag-of-words rows.
    struct Params
    {
        int epochs = 20;            ///< passes over the training rows
        double learningRate = 0.5;  ///< step size of the first epoch; epoch e uses rate / (1 + e)
        double l2 = 1e-4;           ///< weight decay per step, on the features of the row only
        quint64 seed = 42;          ///< order of the rows in each epoch
    };

    /// A model over `features` features, all weights zero.
    explicit LogisticRegression(int features);

    /// Fits the weights to rows `x` with labels `y` (0 or 1), continuing from the current ones.
    void train(const std::vector<const SparseVector *> &x, const std::vector<int> &y, const Params &params);

    /// P(y = 1 | x).
    double probability(const SparseVector &x) const;

private:
    double score(const SparseVector &x) const;

    std::vector<double> m_weights;
    double m_bias = 0.0;
};

} // namespace ts
