#pragma once

#include "project/PredictionSet.h"
#include "train/DomainData.h"
#include "util/Result.h"

#include <functional>

namespace ts {

/// What to predict and where to report (llama.cpp's params style).
struct PredictParams
{
    QString projectPath;          // the project holding the run
    qint64 runId = 0;             // a finished classification run
    QList<LabelledText> texts;    // the texts to predict (their `label` is ignored) ...
    QStringList labels;           // ... and their true labels by name when known (else empty)
    QString corpus;               // or: every document of this corpus's `split` (texts left empty)
    QString split = QStringLiteral("test"); // train, validation, test or unlabeled
    int batchSize = 32;           // texts per forward pass
    /// Called after each batch with texts done and the total, on the calling thread.
    std::function<void(int done, int total)> progress;
    /// Polled before each batch; returning true stops, and predict() fails with "cancelled".
    std::function<bool()> abort;
};

/// Applies a finished run's model to texts: the predicted label and each label's probability,
/// texts longer than the run's maximum length truncated as in training (and marked). Torch-free
/// header; runs on the calling thread.
class RunPredictor
{
public:
    /// The predictions on `params.texts`, in their order (split "predict").
    static Result<PredictionSet> predict(const PredictParams &params);
};

} // namespace ts
