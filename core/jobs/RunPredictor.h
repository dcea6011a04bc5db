#pragma once

#include "corpus/ImportParams.h"
#include "project/PredictionSet.h"
#include "train/DomainData.h"
#include "util/Result.h"

#include <functional>

namespace ts {

/// What to predict and where to report (llama.cpp's params style). The texts come from one of:
/// `texts`, a corpus split of the project, or a file read as an import reads it.
struct PredictParams
{
    QString projectPath;          // the project holding the run
    qint64 runId = 0;             // a finished classification run
    QList<LabelledText> texts;    // the texts to predict (their `label` is ignored) ...
    QStringList labels;           // ... and their true labels by name when known (else empty)
    QString corpus;               // or: every document of this corpus's `split`
    QString split = QStringLiteral("test"); // train, validation, test or unlabeled
    ImportParams file;            // or: file.path (CSV, TSV, JSONL, text, folder) with its import options
    int batchSize = 32;           // texts per forward pass
    /// Called after each batch with texts done and the total, on the calling thread.
    std::function<void(int done, int total)> progress;
    /// Polled before each batch; returning true stops, and predict() fails with "cancelled".
    std::function<bool()> abort;
};

/// What predict() gives: the predictions, an id per text (the file's line, the document id, or
/// the position in `texts`), and notes for the user (rows of the file that were refused).
struct PredictOutput
{
    PredictionSet predictions;
    QStringList ids;
    QStringList notes;
};

/// Applies a finished run's model to texts as the run's evaluation did (RunClassifier: its
/// classification head, or the label words its language-model head scores on each text's prompt):
/// the predicted label and each label's probability, texts longer than the run's maximum length
/// truncated as in training (and marked). Torch-free header; runs on the calling thread.
class RunPredictor
{
public:
    /// The predictions, in the order of the texts (split "predict").
    static Result<PredictOutput> predict(const PredictParams &params);
};

} // namespace ts
