#pragma once

#include "corpus/BackgroundWorker.h"

#include "corpus/ImportParams.h"
#include "corpus/ImportReport.h"

namespace ts::ui {

/// Imports one file into a corpus on a worker thread: opens its own Project on the file's path
/// and runs CorpusImporter there. Progress and the report come back as queued signals.
class ImportWorker : public BackgroundWorker
{
    Q_OBJECT

public:
    /// `params` without callbacks (the worker sets them); `projectPath` is the .tstudio file.
    ImportWorker(QString projectPath, ImportParams params);

Q_SIGNALS:
    /// Once per batch: bytes of the source read out of `totalBytes`, documents stored, rows rejected.
    void progress(qint64 bytesRead, qint64 totalBytes, qint64 documents, qint64 rejected);
    /// The import is over. On success `error` is empty; otherwise the project is unchanged and
    /// `cancelled` tells a cancellation from a failure.
    void finished(const ts::ImportReport &report, const QString &error, bool cancelled);

protected:
    void work() override;

private:
    QString m_projectPath;
    ImportParams m_params;
};

} // namespace ts::ui
