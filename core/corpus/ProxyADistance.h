#pragma once

#include "corpus/DomainShiftParams.h"

#include <QStringList>

#include <vector>

namespace ts {

/// The proxy A-distance of Ben-David et al. (2007): train a linear classifier to tell two
/// domains apart; with its cross-validated error e, PAD = 2 (1 - 2e). Features: binary bag of
/// words, L2-normalised per document.
class ProxyADistance
{
public:
    /// The outcome of one estimate.
    struct Estimate
    {
        qint64 documentsPerDomain = 0; ///< the smaller sample, both domains cut to it
        double error = 0.5;            ///< cross-validated misclassification rate
        double distance = 0.0;         ///< 2 (1 - 2e), clamped to [0, 2]
    };

    /// Estimates the distance between the documents `a` and `b` (each a list of words) with
    /// `params.folds`-fold cross-validation. Needs at least `params.folds` documents per domain;
    /// with fewer, returns error 0.5 and distance 0.
    static Estimate estimate(const std::vector<QStringList> &a, const std::vector<QStringList> &b,
                             const DomainShiftParams &params);
};

} // namespace ts
