#pragma once

#include "corpus/BackgroundWorker.h"

#include "corpus/CorpusProfile.h"

namespace ts::ui {

/// Reads a corpus once on a worker thread (CorpusProfiler) for the corpus view's charts: label
/// counts and the length histogram. Opens its own read-only Project.
class ProfileWorker : public BackgroundWorker
{
    Q_OBJECT

public:
    ProfileWorker(QString projectPath, QString corpus);

Q_SIGNALS:
    /// The corpus's profile, or an empty one and why it could not be read.
    void finished(const ts::CorpusProfile &profile, const QString &error);

protected:
    void work() override;

private:
    QString m_projectPath;
    QString m_corpus;
};

} // namespace ts::ui
