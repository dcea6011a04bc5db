#pragma once

#include "transfer/Demonstrations.h"
#include "transfer/PromptTemplate.h"
#include "transfer/StrategyOption.h"
#include "transfer/Verbalizer.h"

namespace ts {

struct StrategyDescriptor;
struct TrainingConfig;

/// The prompt options a strategy with StrategyDescriptor::usesPrompt offers, read from a run's
/// config: template, label words, how multi-token words are scored, in-context demonstrations
/// and contextual calibration. One schema for the dialog, the CLI (`--set prompt=...`) and the
/// runner. Torch-free value type.
struct PromptSettings
{
    /// How a label word of several tokens is scored from its tokens' log-probabilities.
    enum class WordScore {
        Mean, // the default: the mean, so that long words are not at a disadvantage
        Sum,  // the word's log-probability itself
    };

    static constexpr const char *kPrompt = "prompt";
    static constexpr const char *kLabelWords = "label_words";
    static constexpr const char *kWordScore = "word_score";
    static constexpr const char *kDemonstrations = "demonstrations";
    static constexpr const char *kCalibrate = "calibrate";
    static constexpr const char *kContentFree = "content_free";

    PromptTemplate prompt;
    QStringList words;            // one label word per class, in class index order
    WordScore wordScore = WordScore::Mean;
    int demonstrationsPerClass = 0; // in-context examples per class placed before the query
    bool calibrate = false;         // contextual calibration (Zhao et al. 2021)
    QString contentFree;            // the content-free input calibration measures, "N/A"

    /// The options: prompt, label words and word score; with `inContext` also demonstrations,
    /// calibrate and content_free.
    static QList<StrategyOption> options(bool inContext);

    /// Whether `config` sets a prompt or label words (an encoder then scores label words with its
    /// masked-LM head instead of comparing embeddings).
    static bool isSet(const TrainingConfig &config);

    /// The exact text the model sees for `text`: the demonstrations (rendered with this template
    /// and these words), then the query. `maskToken` as PromptTemplate::query() takes it (empty
    /// for decoders, which then continue with a label word).
    QString render(const QString &text, const Demonstrations &demonstrations, const QString &maskToken) const;

    /// Reads `config` for a run over `classes`. Label words default to the descriptor's
    /// defaultLabelWords (the class names without one). `decoder`: the template must suit a
    /// decoder. Errors name the option and the label.
    static Result<PromptSettings> read(const StrategyDescriptor &descriptor, const TrainingConfig &config,
                                       const QStringList &classes, bool decoder);
};

} // namespace ts
