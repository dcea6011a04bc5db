#pragma once

#include "transfer/StrategyOption.h"

#include <QJsonObject>
#include <QList>

#include <memory>

namespace ts {

class TransferStrategy;
struct ModelConfig;
struct TrainingConfig;

/// Everything Transfer Studio knows about one transfer strategy besides its training code: name,
/// plain-words help, option schema, capabilities (what data it needs, what it trains, its phases),
/// how it is estimated, exported and compared, and the factory of its implementation. Each
/// strategy's own .cpp fills one (XStrategy::descriptor()); StrategyRegistry lists them.
/// Torch-free: the GUI and the CLI read every field but `create`.
struct StrategyDescriptor
{
    /// Which weights a run changes (shown in `strategies`, used by the memory estimate's default).
    enum class Trains { Nothing, Everything, UpperLayers, Adapters };
    /// The head the trained model carries, which decides what an export holds.
    enum class Output { Classifier, LanguageModel };
    /// When a run classifies through its prompt: the language-model head scores each label's
    /// label word on the text's prompt (PromptObjective), which predict and Try it repeat.
    enum class PromptScoring {
        Never,
        Always,            // decoders and masked-LM encoders alike
        DecodersOrWhenSet, // decoders, and encoders given a prompt or label words (others compare embeddings)
    };
    /// The part a strategy plays in comparisons: other runs are measured against baselines.
    enum class Baseline {
        None,
        Untrained,  // the no-training reference, compared at any target-label budget
        FineTuning, // the plain fine-tuning reference, compared at the same budget
    };

    QString name;        // "dann": the key runs record and --strategy takes
    QString title;       // "Domain-adversarial (DANN)"
    QString description; // what it does and when it helps, for domain experts
    QList<StrategyOption> options;

    Trains trains = Trains::Everything;
    Output output = Output::Classifier;
    Baseline baseline = Baseline::None;
    bool needsSourceLabels = true;       // a classifier trained on >= 2 source classes
    bool needsUnlabelledTarget = false;  // reads the target corpus's unlabelled text
    bool needsTargetLabels = false;      // trains on labelled target text beyond a few-shot budget
    QStringList phases;                  // the phases a run goes through, in order (metric splits)
    bool usesPrompt = false;             // reads PromptSettings' options: the dialog edits and previews the prompt
    PromptScoring promptScoring = PromptScoring::Never;

    /// The label words of a run that sets none (`config`, one per class of `classes`); nullptr:
    /// the class names.
    QStringList (*defaultLabelWords)(const TrainingConfig &config, const QStringList &classes) = nullptr;

    /// Trainable parameters of a run of `config` on `model`, for the memory estimate; nullptr:
    /// every backbone parameter when the strategy trains, none when it does not.
    qint64 (*trainableParameters)(const ModelConfig &model, const TrainingConfig &config) = nullptr;

    /// A new instance of the strategy's implementation (torch side).
    std::unique_ptr<TransferStrategy> (*create)() = nullptr;

    /// The option called `name`, or nullptr.
    const StrategyOption *option(const QString &name) const;

    /// Option `name`'s number in `config`, or its default when not set.
    double number(const TrainingConfig &config, const QString &name) const;
    /// Option `name`'s flag in `config`, or its default when not set.
    bool flag(const TrainingConfig &config, const QString &name) const;
    /// Option `name`'s text in `config`, or its default when not set.
    QString text(const TrainingConfig &config, const QString &name) const;

    /// "<name> has no option "<key>"; its options are ...": the message for an unknown option.
    QString unknownOption(const QString &key) const;

    /// Checks a run's options against the schema: unknown keys and every value check() refuses
    /// (NaN, infinities, out of range, wrong type) fail, naming the option and the value.
    Status checkOptions(const QJsonObject &options) const;

    /// Whether a run of `config` on a decoder (`decoder`) or an encoder classifies through its
    /// prompt (promptScoring).
    bool scoresThroughPrompt(const TrainingConfig &config, bool decoder) const;

    /// Whether the strategy trains any weight.
    bool trainsWeights() const { return trains != Trains::Nothing; }
    /// What it trains, in words: "nothing", "every weight", ...
    QString trainsText() const;
    /// The capabilities as one line of words, for `strategies` and tooltips.
    QString needsText() const;
};

} // namespace ts
