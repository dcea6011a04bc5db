#pragma once

#include "corpus/BackgroundWorker.h"

#include "model/GenerationParams.h"

#include <QList>
#include <QStringList>

namespace ts::ui {

/// Applies a model to one text on a worker thread for the Try it panel: a finished classifier
/// or prompt run's label probabilities (RunPredictor, the path `predict` takes), or a decoder's continuation
/// (TextGenerator, the path `generate` takes) streamed piece by piece. Opens its own read-only
/// Project there; Stop (WorkerThread::cancel) ends a generation after the current token.
class TryItWorker : public BackgroundWorker
{
    Q_OBJECT

public:
    /// Classifies `text` with run `runId`'s model.
    static TryItWorker *classify(QString projectPath, qint64 runId, QString text);
    /// Continues `text` with run `runId`'s language model, or with model `model` when runId is 0.
    static TryItWorker *generate(QString projectPath, qint64 runId, QString model, QString text,
                                 GenerationParams sampling);

Q_SIGNALS:
    /// Every class with its probability, and whether the text was cut to the run's maximum
    /// length; or an error with empty lists.
    void classified(const QStringList &classes, const QList<float> &probabilities, bool truncated, const QString &error);
    /// A new piece of the continuation, as soon as its tokens decode.
    void textPiece(const QString &piece);
    /// The generation is over: how many tokens, how fast, from what, with which settings and why
    /// it stopped; or an error.
    void generated(const QString &summary, const QString &error);

protected:
    void work() override;

private:
    TryItWorker() = default;
    void runClassification();
    void runGeneration();

    QString m_projectPath;
    qint64 m_runId = 0;
    QString m_model;
    QString m_text;
    bool m_generate = false;
    GenerationParams m_sampling;
};

} // namespace ts::ui
