#include "corpus/ImportWizard.h"

#include "corpus/ImportDestinationPage.h"
#include "corpus/ImportFileName.h"
#include "corpus/ImportRunPage.h"
#include "corpus/ImportSourcePage.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QUrl>

namespace ts::ui {

ImportWizard::ImportWizard(const QString &projectPath, const QStringList &corpora, QWidget *parent)
    : QWizard(parent), m_projectPath(projectPath), m_source(new ImportSourcePage(this)),
      m_destination(new ImportDestinationPage(corpora, this)), m_run(new ImportRunPage(this)), m_corpora(corpora)
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
    resize(kOpeningSize);
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
        // Read from the file's name once per file, so that going back and forth keeps the user's choice.
        if (m_suggestedFor != m_source->path()) {
            m_suggestedFor = m_source->path();
            const ImportFileName name(m_source->path(), m_corpora);
            m_destination->setCorpus(name.corpus());
            m_destination->suggestSplit(name.split().value_or(ImportSplit::Auto));
        }
    } else if (id == RunPageId) {
        m_run->start(m_projectPath, params());
    }
    QWizard::initializePage(id);
}

void ImportWizard::cleanupPage(int id)
{
    if (id == RunPageId) {
        // Back from a refused import: the destination commits again when Import is pressed.
        m_destination->setCommitPage(true);
        setOption(QWizard::NoBackButtonOnLastPage, true);
    }
    QWizard::cleanupPage(id);
}

void ImportWizard::finishImport(bool succeeded)
{
    if (!succeeded && !m_closeWhenStopped) {
        // Nothing was stored: Back leads to the destination and the file to change what was refused.
        m_destination->setCommitPage(false);
        setOption(QWizard::NoBackButtonOnLastPage, false);
    }
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
