#include "corpus/ImportWizard.h"

#include "corpus/ImportDestinationPage.h"
#include "corpus/ImportRunPage.h"
#include "corpus/ImportSourcePage.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMimeData>
#include <QUrl>

namespace ts::ui {

ImportWizard::ImportWizard(const QString &projectPath, const QStringList &corpora, QWidget *parent)
    : QWizard(parent), m_projectPath(projectPath), m_source(new ImportSourcePage(this)),
      m_destination(new ImportDestinationPage(corpora, this)), m_run(new ImportRunPage(this))
{
    setObjectName(QStringLiteral("importWizard"));
    setWindowTitle(tr("Import a Corpus"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setPage(SourcePageId, m_source);
    setPage(DestinationPageId, m_destination);
    setPage(RunPageId, m_run);
    m_destination->setCommitPage(true);
    m_destination->setButtonText(QWizard::CommitButton, tr("Import"));
    setAcceptDrops(true);
    connect(m_run, &ImportRunPage::importFinished, this, &ImportWizard::finishImport);
    resize(900, 640);
}

void ImportWizard::setFile(const QString &path)
{
    if (m_run->isRunning() || currentId() == RunPageId)
        return;
    if (currentId() != SourcePageId)
        restart();
    m_source->setPath(path);
}

ImportParams ImportWizard::params() const
{
    ImportParams params = importDefaultParams();
    m_source->fillParams(params);
    m_destination->fillParams(params);
    return params;
}

void ImportWizard::initializePage(int id)
{
    if (id == DestinationPageId) {
        m_destination->setLabelled(m_source->hasLabels());
        m_destination->suggestCorpus(QFileInfo(m_source->path()).completeBaseName());
    } else if (id == RunPageId) {
        m_run->start(m_projectPath, params());
    }
    QWizard::initializePage(id);
}

void ImportWizard::finishImport(bool succeeded)
{
    if (succeeded)
        Q_EMIT imported(m_run->report().corpus);
    if (m_closeWhenStopped)
        QWizard::reject();
}

void ImportWizard::reject()
{
    if (m_run->isRunning()) {
        m_closeWhenStopped = true;
        m_run->cancel();
        return;
    }
    QWizard::reject();
}

QString ImportWizard::droppedFile(const QMimeData *data)
{
    if (!data || !data->hasUrls())
        return QString();
    for (const QUrl &url : data->urls()) {
        if (url.isLocalFile())
            return url.toLocalFile();
    }
    return QString();
}

void ImportWizard::dragEnterEvent(QDragEnterEvent *event)
{
    if (currentId() != RunPageId && !droppedFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void ImportWizard::dropEvent(QDropEvent *event)
{
    const QString path = droppedFile(event->mimeData());
    if (path.isEmpty() || currentId() == RunPageId)
        return;
    setFile(path);
    event->acceptProposedAction();
}

} // namespace ts::ui
