#pragma once

#include "corpus/ImportParams.h"

#include <QSize>
#include <QWizard>

class QMimeData;

namespace ts::ui {

class ImportDestinationPage;
class ImportRunPage;
class ImportSourcePage;

/// Imports a corpus file into a project in three steps: the file (format, preview, columns),
/// the destination (corpus, splits), then the import itself on a worker thread with progress,
/// Cancel and a report. A file dropped on the wizard is previewed.
class ImportWizard : public QWizard
{
    Q_OBJECT

public:
    enum PageId { SourcePageId, DestinationPageId, RunPageId };
    /// The size it opens at: within the main window's default 1200 x 780.
    static constexpr QSize kOpeningSize{900, 640};

    /// Imports into the project file `projectPath`, whose corpora are `corpora`.
    ImportWizard(const QString &projectPath, const QStringList &corpora, QWidget *parent = nullptr);

    /// Shows `path` on the first page (going back to it when needed) and previews it.
    void setFile(const QString &path);
    /// Everything chosen so far, ready for CorpusImporter (no callbacks).
    ImportParams params() const;

    /// The first local file or folder in dropped `data`; empty when it holds none.
    static QString droppedFile(const QMimeData *data);

    ImportSourcePage *sourcePage() const { return m_source; }
    ImportDestinationPage *destinationPage() const { return m_destination; }
    ImportRunPage *runPage() const { return m_run; }

Q_SIGNALS:
    /// Documents were stored in corpus `corpus`: the project's views should be refreshed.
    void imported(const QString &corpus);

public Q_SLOTS:
    /// Closes the wizard; while the import runs, cancels it first and closes once it has stopped.
    void reject() override;

protected:
    void initializePage(int id) override;
    void cleanupPage(int id) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void finishImport(bool succeeded);

    QString m_projectPath;
    ImportSourcePage *m_source = nullptr;
    ImportDestinationPage *m_destination = nullptr;
    ImportRunPage *m_run = nullptr;
    QStringList m_corpora;
    QString m_suggestedFor; // the file whose name last chose the corpus and split
    bool m_closeWhenStopped = false;
};

} // namespace ts::ui
