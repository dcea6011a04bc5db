#pragma once

// Includes torch: for core's torch folders only.
#include "text/Tokenizer.h"
#include "train/ClassificationObjective.h"
#include "transfer/PromptClassifier.h"
#include "transfer/TrainedModel.h"

#include <memory>
#include <optional>

namespace ts {

/// How a finished run classifies texts, exactly as its evaluation did: a classifier run through
/// its classification head; a run that scores through its prompt (StrategyDescriptor::
/// promptScoring) through PromptClassifier: each text's prompt with the run's in-context
/// demonstrations (drawn again from the run's training texts with its data seed, TrainingTexts),
/// the label-word scores of its language-model head, and contextual calibration when the run used
/// it. `predict` and the GUI's Try it classify through it (RunPredictor). Not thread-safe.
class RunClassifier
{
public:
    /// Rebuilds run `run`'s model (TrainedModel::Use::Predict) and the way it classifies; the
    /// base model's files go to `scratchDir`. Fails, naming the run, for a run that classifies
    /// nothing (it trained a language model) and for the reasons TrainedModel gives.
    static Result<RunClassifier> load(const QSqlDatabase &db, const RunRecord &run, const QString &scratchDir);

    /// Class index -> label.
    const QStringList &classes() const { return m_trained.classes; }
    /// The run's settings (its maximum length truncates the texts).
    const TrainingConfig &config() const { return m_trained.config; }
    const Tokenizer &tokenizer() const { return m_tokenizer; }

    /// Probabilities (N, classes), float32 on the CPU, of the texts of `set` (built by
    /// TokenizedSet::build with the run's tokenizer and maximum length), `batchSize` per forward
    /// pass. Fails when a text's prompt cannot be made (PromptEncoder::encodeSet).
    Result<torch::Tensor> probabilities(const TokenizedSet &set, int batchSize);

private:
    RunClassifier(TrainedModel trained, Tokenizer tokenizer)
        : m_trained(std::move(trained)), m_tokenizer(std::move(tokenizer))
    {}

    /// The prompt classifier of a run that scores through its prompt.
    static Result<PromptClassifier> promptOf(const QSqlDatabase &db, const RunRecord &run, const TrainedModel &trained,
                                             const Tokenizer &tokenizer);

    TrainedModel m_trained;
    Tokenizer m_tokenizer;
    std::unique_ptr<ClassificationObjective> m_head; // classifier runs
    std::optional<PromptClassifier> m_prompt;        // runs that score through their prompt
};

} // namespace ts
