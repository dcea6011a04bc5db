#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

namespace ts::ui {

/// Builds a built-in model (tokenizer trained on the project's corpora, fresh weights) and registers it
/// in the project, on the thread it is moved to. It opens its own connection to the project file, as
/// every thread must, and stops when its thread is asked to (QThread::requestInterruption). Only plain
/// values leave it, through queued signals.
class BuiltinBuildWorker : public QObject
{
    Q_OBJECT

public:
    /// What to build, and where to register it.
    struct Request
    {
        QString projectPath;  // the .tstudio file
        QString builtinName;  // "tiny-encoder", ...
        QString modelName;    // name in the project
        QStringList corpora;  // corpora whose texts train the tokenizer; empty: all
        quint64 seed = 42;    // weight initialisation seed
    };

    /// A worker for `request`; move it to its thread, then call run() there.
    explicit BuiltinBuildWorker(Request request);

public Q_SLOTS:
    /// Builds and registers the model, then emits finished(). Runs on the worker's thread.
    void run();

Q_SIGNALS:
    /// Where the build is: a stage in words, `done` of `total` (total 0 when unknown).
    void progress(const QString &stage, int done, int total);
    /// The new model's id, or 0 and why it failed (also when cancelled).
    void finished(qint64 modelId, const QString &error);

private:
    Request m_request;
};

} // namespace ts::ui
