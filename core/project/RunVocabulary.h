#pragma once

#include <QLatin1String>
#include <QString>

namespace ts {

/// The names of splits and metrics as runs record them (the `metrics` table's `split` and
/// `metric` columns), in one place: code compares against these, never against spellings of its
/// own. Torch-free; the CLI, the GUI and the demo read them.
namespace Splits {
inline constexpr QLatin1String kTrain{"train"};                        // training loss, lr, extras
inline constexpr QLatin1String kPretrain{"pretrain"};                  // a pre-training phase's training loss
inline constexpr QLatin1String kSourceValidation{"source/validation"};
inline constexpr QLatin1String kTargetValidation{"target/validation"};
inline constexpr QLatin1String kSourceTest{"source/test"};
inline constexpr QLatin1String kTargetTest{"target/test"};
inline constexpr QLatin1String kSourceUnlabeled{"source/unlabeled"};
inline constexpr QLatin1String kTargetUnlabeled{"target/unlabeled"};
} // namespace Splits

namespace Metrics {
inline constexpr QLatin1String kLoss{"loss"};                        // mean cross-entropy (nats)
inline constexpr QLatin1String kAccuracy{"accuracy"};                // fraction correct, 0..1
inline constexpr QLatin1String kMacroF1{"macro_f1"};                 // unweighted mean of per-class F1
inline constexpr QLatin1String kEce{"ece"};                          // expected calibration error, 15 bins
inline constexpr QLatin1String kPerplexity{"perplexity"};            // exp(mean token NLL)
inline constexpr QLatin1String kLanguageModelLoss{"lm_loss"};        // mean token NLL (nats)
inline constexpr QLatin1String kLearningRate{"lr"};
inline constexpr QLatin1String kGradientNorm{"grad_norm"};           // global L2 norm before clipping
inline constexpr QLatin1String kDomainAccuracy{"domain_accuracy"};   // DANN's domain classifier
inline constexpr QLatin1String kDomainLoss{"domain_loss"};
inline constexpr QLatin1String kExamples{"examples"};                // texts an evaluation measured
inline constexpr QLatin1String kAvailable{"available"};              // texts the evaluated split has
inline constexpr QLatin1String kSelectedStep{"selected_step"};       // "train": the step whose weights are the result
inline constexpr QLatin1String kGradAccumulation{"grad_accumulation"}; // "train": micro-batches per batch, from a phase's start

/// Whether `metric` describes an evaluation rather than measuring the model (examples, available,
/// the selected step, the micro-batches per batch).
inline bool isBookkeeping(const QString &metric)
{
    return metric == kExamples || metric == kAvailable || metric == kSelectedStep || metric == kGradAccumulation;
}

/// Whether smaller values of `metric` are better (losses, perplexity, calibration error).
inline bool lowerIsBetter(const QString &metric)
{
    return metric == kLoss || metric == kPerplexity || metric == kLanguageModelLoss || metric == kEce ||
           metric == kDomainLoss || metric.endsWith(QLatin1String("_loss"));
}
} // namespace Metrics

/// Which domain a result belongs to.
enum class Domain { Source, Target };

/// "source" / "target".
inline QString domainName(Domain domain)
{
    return domain == Domain::Source ? QStringLiteral("source") : QStringLiteral("target");
}

} // namespace ts
