#pragma once

#include "corpus/ImportParams.h"
#include "corpus/ImportReport.h"

#include <QWizardPage>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace ts::ui {

class WorkerThread;

/// Last page of the import wizard: runs the import on a worker thread with a progress bar and
/// a Cancel button, then shows the report: documents imported, duplicates skipped, rejected
/// rows (file:line and reason) and warnings. A failed or cancelled import changes nothing.
class ImportRunPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit ImportRunPage(QWidget *parent = nullptr);
    ~ImportRunPage() override;

    /// Imports with `params` into the project file `projectPath`, on a worker thread.
    void start(const QString &projectPath, const ImportParams &params);
    /// Asks the running import to stop; it then rolls back.
    void cancel();
    bool isRunning() const { return m_running; }
    /// Whether the import ran to the end and was stored.
    bool succeeded() const { return m_succeeded; }
    const ImportReport &report() const { return m_report; }

    bool isComplete() const override;

    /// "102 duplicates skipped (100 already in the train split of 'music', 2 repeat an earlier row
    /// of this file)".
    static QString duplicatesText(const ImportReport &report);

Q_SIGNALS:
    /// The import is over: stored (`succeeded`) or not (failed, cancelled).
    void importFinished(bool succeeded);

private:
    void showProgress(qint64 bytesRead, qint64 totalBytes, qint64 documents, qint64 rejected);
    void showResult(const ts::ImportReport &report, const QString &error, bool cancelled);
    void showReport(const ImportReport &report);

    WorkerThread *m_worker = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_headline = nullptr;
    QTableWidget *m_issues = nullptr;
    QListWidget *m_warnings = nullptr;
    ImportReport m_report;
    bool m_running = false;
    bool m_succeeded = false;
};

} // namespace ts::ui
