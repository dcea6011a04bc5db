#include "corpus/CorpusView.h"

#include "corpus/CategoryChart.h"
#include "corpus/CorpusStore.h"
#include "corpus/DocumentTableModel.h"
#include "corpus/ProfileWorker.h"
#include "corpus/WorkerThread.h"
#include "project/Project.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace ts::ui {

CorpusView::CorpusView(const QString &projectPath, const QString &corpus, QWidget *parent)
    : QWidget(parent), m_projectPath(projectPath), m_corpus(corpus), m_model(new DocumentTableModel(this)),
      m_worker(new WorkerThread(this))
{
    setObjectName(QStringLiteral("corpusView"));
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("documentTable"));
    m_table->setModel(m_model);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    for (const int column : {DocumentTableModel::IdColumn, DocumentTableModel::SplitColumn, DocumentTableModel::LabelColumn,
                             DocumentTableModel::OriginColumn})
        m_table->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(DocumentTableModel::TextColumn, QHeaderView::Stretch);
    m_table->setWordWrap(false);

    m_labels = new CategoryChart(tr("Label distribution"), corpus + QStringLiteral("-labels"), this);
    m_labels->setToolTip(tr("How many labelled documents each label has, in all splits. Very uneven bars "
                            "mean a model can score well by mostly guessing the common label."));
    m_lengths = new CategoryChart(tr("Document length"), corpus + QStringLiteral("-lengths"), this);
    m_lengths->setToolTip(tr("How many documents have each length, in words. Documents longer than a model's "
                             "maximum length are cut, and what is cut is not seen."));
    auto *charts = new QWidget(this);
    auto *chartLayout = new QHBoxLayout(charts);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addWidget(m_labels);
    chartLayout->addWidget(m_lengths);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(charts);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createToolbar());
    layout->addWidget(splitter, 1);
    openProject(projectPath);
}

CorpusView::~CorpusView() = default;

QWidget *CorpusView::createToolbar()
{
    auto *bar = new QWidget(this);
    m_summary = new QLabel(bar);
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);
    m_split = new QComboBox(bar);
    m_split->setObjectName(QStringLiteral("splitFilter"));
    m_split->setToolTip(tr("Show the documents of one split only"));
    m_split->addItem(tr("All splits"), QString());
    m_split->addItem(tr("Training"), QStringLiteral("train"));
    m_split->addItem(tr("Validation"), QStringLiteral("validation"));
    m_split->addItem(tr("Test"), QStringLiteral("test"));
    m_split->addItem(tr("Unlabelled pool"), QStringLiteral("unlabeled"));
    connect(m_split, &QComboBox::currentIndexChanged, this, &CorpusView::showFirstPage);
    m_previous = new QPushButton(tr("◀ Previous"), bar);
    m_previous->setObjectName(QStringLiteral("previousPage"));
    m_next = new QPushButton(tr("Next ▶"), bar);
    m_next->setObjectName(QStringLiteral("nextPage"));
    m_pageLabel = new QLabel(bar);
    m_pageLabel->setObjectName(QStringLiteral("pageLabel"));
    connect(m_previous, &QPushButton::clicked, this, [this] { turnPage(false); });
    connect(m_next, &QPushButton::clicked, this, [this] { turnPage(true); });

    m_summary->setWordWrap(true);
    auto *pager = new QHBoxLayout;
    pager->addWidget(new QLabel(tr("Show:"), bar));
    pager->addWidget(m_split);
    pager->addStretch();
    pager->addWidget(m_previous);
    pager->addWidget(m_pageLabel);
    pager->addWidget(m_next);
    auto *layout = new QVBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addLayout(pager);
    return bar;
}

void CorpusView::openProject(const QString &projectPath)
{
    m_summary->setText(m_corpus);
    auto project = Project::open(projectPath, Project::Access::ReadOnly);
    if (!project) {
        showError(project.error());
        return;
    }
    m_project = std::move(project.value());
    const auto id = CorpusStore::find(m_project->database(), m_corpus);
    if (!id || !id.value()) {
        showError(id ? tr("The project has no corpus '%1'.").arg(m_corpus) : id.error());
        return;
    }
    m_corpusId = *id.value();
    reload();
}

void CorpusView::reload()
{
    if (!m_project)
        return;
    showFirstPage();
    startProfile();
}

void CorpusView::setSplit(const QString &split)
{
    m_split->setCurrentIndex(std::max(0, m_split->findData(split)));
}

void CorpusView::showFirstPage()
{
    if (!m_project)
        return;
    QString error;
    if (!m_model->setCorpus(m_project->database(), m_corpusId, m_split->currentData().toString(), &error))
        showError(error);
    updatePager();
}

void CorpusView::turnPage(bool forward)
{
    QString error;
    const bool moved = forward ? m_model->nextPage(&error) : m_model->previousPage(&error);
    if (!moved && !error.isEmpty())
        showError(error);
    m_table->scrollToTop();
    updatePager();
}

void CorpusView::updatePager()
{
    const QLocale locale;
    const qint64 first = qint64(m_model->pageIndex()) * m_model->pageSize() + 1;
    const qint64 last = first + m_model->rowCount() - 1;
    QString text = m_model->rowCount() == 0 ? tr("No documents")
                                            : tr("Page %1 · documents %2–%3").arg(m_model->pageIndex() + 1)
                                                  .arg(locale.toString(first), locale.toString(last));
    if (m_profile && m_model->rowCount() > 0) {
        const QString split = m_split->currentData().toString();
        text += tr(" of %1").arg(locale.toString(split.isEmpty() ? m_profile->documents : m_profile->splits.value(split)));
    }
    m_pageLabel->setText(text);
    m_previous->setEnabled(m_model->hasPreviousPage());
    m_next->setEnabled(m_model->hasNextPage());
}

void CorpusView::startProfile()
{
    m_profile.reset();
    m_labels->showMessage(tr("Reading the corpus…"));
    m_lengths->showMessage(tr("Reading the corpus…"));
    auto *worker = new ProfileWorker(m_projectPath, m_corpus);
    // A reload cancels the pass before it; whatever that pass still reports is dropped.
    const int generation = ++m_profileGeneration;
    connect(worker, &ProfileWorker::finished, this, [this, generation](const CorpusProfile &profile, const QString &error) {
        if (generation == m_profileGeneration)
            showProfile(profile, error);
    });
    m_worker->start(worker);
}

void CorpusView::showProfile(const CorpusProfile &profile, const QString &error)
{
    if (!error.isEmpty()) {
        m_labels->showMessage(error);
        m_lengths->showMessage(error);
        Q_EMIT profileLoaded(error);
        return;
    }
    m_profile = profile;
    const QLocale locale;
    m_summary->setText(tr("%1 · %2 documents · %3 unlabelled · %4 words per document on average")
                           .arg(m_corpus, locale.toString(profile.documents), locale.toString(profile.unlabeled),
                                locale.toString(profile.meanLength, 'f', 1)));
    m_labels->showLabels({profile}, CategoryChart::Scale::Count);
    m_lengths->showLengths({profile}, CategoryChart::Scale::Count);
    updatePager();
    Q_EMIT profileLoaded(QString());
}

void CorpusView::showError(const QString &message)
{
    m_pageLabel->setText(message);
    m_pageLabel->setToolTip(message);
}

} // namespace ts::ui
