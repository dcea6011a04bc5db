#pragma once

#include "corpus/CorpusSummary.h"
#include "model/ModelRecord.h"
#include "transfer/RunRequest.h"

#include <QList>
#include <QSqlDatabase>
#include <QStringList>

namespace ts {

/// The one check of whether a run can start, used by the experiment dialog (inline), the CLI
/// (before the run is recorded) and TransferRunner::execute (before it trains): every problem, each
/// in one sentence naming the corpus, model or option and what to do. Torch-free; reads the
/// project through `db` on the calling thread.
class Preflight
{
public:
    /// Every reason `request` cannot run in the project: checkSettings() on the project's corpora
    /// and models, then checkModelFiles() on the model. Empty when it can run.
    static QStringList check(const QSqlDatabase &db, const RunRequest &request);

    /// The checks that need no file: the strategy and its options (StrategyRegistry), the training
    /// settings (TrainingConfig::validate), that both corpora and the model exist, the labels and
    /// unlabelled text the strategy needs, few-shot target labels, and the maximum length against
    /// the model's positions. Cheap: the dialog runs it on every change.
    static QStringList checkSettings(const RunRequest &request, const QList<CorpusSummary> &corpora,
                                     const QList<ModelRecord> &models);

    /// The checks that read `model`'s files: tokenizer ids against the embedding table, and every
    /// floating-point weight finite. Reads each weight once (about 0.1 s for 100 MB).
    static QStringList checkModelFiles(const QSqlDatabase &db, const ModelRecord &model);

    /// The longest input `config` accepts, in tokens (learned position tables; RoBERTa's start
    /// after padding_idx + 1); 0 when positions set no hard limit (rotary models).
    static qint64 usablePositions(const ModelConfig &config);
};

} // namespace ts
