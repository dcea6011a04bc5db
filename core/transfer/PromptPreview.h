#pragma once

#include "model/ModelConfig.h"
#include "train/TrainingTexts.h"
#include "transfer/RunRequest.h"
#include "transfer/PromptSettings.h"

#include <QSqlDatabase>

namespace ts {

/// The text a prompt strategy's model sees for the first text of a run's result on the target,
/// with the demonstrations the run would draw: read once per choice of corpora, label budget,
/// caps and data seed (load()), then rendered for each edit of the prompt options (render()),
/// as the experiment dialog previews it. The same draws as TransferRunner and PromptSetup.
/// Torch-free; reads the project on the calling thread.
class PromptPreview
{
public:
    /// Reads the classes, the first target text and the demonstration pool of `request`.
    static Result<PromptPreview> load(const QSqlDatabase &db, const RunRequest &request);

    /// Whether a model of `config` continues a prompt (decoders) rather than filling a mask.
    static bool isDecoder(const ModelConfig &config);

    /// The exact text for `config`'s prompt options: demonstrations, then the query (with
    /// `maskToken` at the mask for encoders; empty for decoders). Errors name the option.
    Result<QString> render(const TrainingConfig &config, bool decoder, const QString &maskToken) const;

    /// The label words `config` gives (the label names by default), one per class.
    Result<QStringList> words(const TrainingConfig &config, bool decoder) const;

    /// Where the demonstrations come from, in words ("the target's few labels"), empty without any.
    QString demonstrationSource(const TrainingConfig &config) const;

    const QStringList &classes() const { return m_classes; }
    const QString &query() const { return m_query; }

private:
    QStringList m_classes;
    QString m_query;               // the first text of the target's result
    TrainingTexts m_texts;         // the run's training texts: the demonstrations' pool
    quint64 m_dataSeed = 0;
    QString m_strategy;
};

} // namespace ts
