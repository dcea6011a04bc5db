#include "runs/TryItWorker.h"

#include "jobs/RunPredictor.h"
#include "jobs/TextGenerator.h"

namespace ts::ui {

TryItWorker *TryItWorker::classify(QString projectPath, qint64 runId, QString text)
{
    auto *worker = new TryItWorker;
    worker->m_projectPath = std::move(projectPath);
    worker->m_runId = runId;
    worker->m_text = std::move(text);
    return worker;
}

TryItWorker *TryItWorker::generate(QString projectPath, qint64 runId, QString model, QString text,
                                   GenerationParams sampling)
{
    auto *worker = new TryItWorker;
    worker->m_projectPath = std::move(projectPath);
    worker->m_runId = runId;
    worker->m_model = std::move(model);
    worker->m_text = std::move(text);
    worker->m_generate = true;
    worker->m_sampling = std::move(sampling);
    return worker;
}

void TryItWorker::work()
{
    if (m_generate)
        runGeneration();
    else
        runClassification();
}

void TryItWorker::runClassification()
{
    PredictParams params;
    params.projectPath = m_projectPath;
    params.runId = m_runId;
    params.texts = {LabelledText{m_text, -1}};
    params.abort = [this] { return cancelled(); };
    const auto output = RunPredictor::predict(params);
    if (!output || output->predictions.predictions.isEmpty()) {
        Q_EMIT classified({}, {}, false, output ? tr("the model gave no prediction") : output.error());
        return;
    }
    const Prediction &prediction = output->predictions.predictions.first();
    Q_EMIT classified(output->predictions.classes, prediction.probabilities, prediction.truncated, QString());
}

void TryItWorker::runGeneration()
{
    TextGenerationParams params;
    params.projectPath = m_projectPath;
    params.runId = m_runId;
    params.model = m_model;
    params.prompt = m_text;
    params.sampling = m_sampling;
    params.sampling.abort = [this] { return cancelled(); };
    params.onText = [this](const QString &piece) { Q_EMIT textPiece(piece); };
    const auto out = TextGenerator::generate(params);
    if (!out) {
        Q_EMIT generated(QString(), out.error());
        return;
    }
    const double rate = out->seconds > 0 ? out->newTokens / out->seconds : 0;
    const QString why = out->aborted ? tr("stopped by you")
                        : out->stoppedAtEos ? tr("ended at the end-of-sequence token")
                                            : tr("reached the maximum of new tokens");
    Q_EMIT generated(tr("%1 new tokens after %2 prompt tokens in %3 s (%4 tokens/s on the CPU) from %5, %6; %7")
                         .arg(out->newTokens).arg(out->promptTokens)
                         .arg(out->seconds, 0, 'f', 2).arg(rate, 0, 'f', 1)
                         .arg(out->source, out->settings, why),
                     QString());
}

} // namespace ts::ui
