#pragma once

#include "text/Tokenizer.h"

#include <QString>

#include <functional>
#include <optional>

namespace ts {

/// Settings of DomainShiftAnalyzer (llama.cpp's params style): start from
/// domainShiftDefaultParams().
struct DomainShiftParams
{
    int maxClassifierDocuments = 2000; ///< per domain, sampled uniformly with the seed
    int folds = 5;                     ///< cross-validation folds of the domain classifier
    int epochs = 20;                   ///< logistic regression passes per fold
    quint64 seed = 42;                 ///< sampling and training order
    /// A model's tokenizer: when set, the report measures each domain's sub-word fragmentation
    /// on the classifier's document sample (maxClassifierDocuments per domain).
    std::optional<Tokenizer> tokenizer;
    QString tokenizerName;             ///< the model the tokenizer belongs to, for the report

    /// Called now and then with a stage ("reading music") and the fraction done, in [0, 1].
    std::function<void(const QString &stage, double fraction)> progress;
    /// Polled as often; returning true stops the analysis with a failure.
    std::function<bool()> abort;
};

/// Parameters with every default set.
DomainShiftParams domainShiftDefaultParams();

} // namespace ts
