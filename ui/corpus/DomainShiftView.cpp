#include "corpus/DomainShiftView.h"

#include "corpus/CategoryChart.h"
#include "corpus/DomainShiftWorker.h"
#include "corpus/WorkerThread.h"
#include "model/ModelRegistry.h"
#include "project/Project.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <iterator>

namespace ts::ui {

namespace {

struct MeasureText
{
    const char *name;
    const char *explanation;
};

// Names and plain-words explanations of the measures, by DomainShiftView::Measure.
const MeasureText kMeasures[] = {
    {QT_TRANSLATE_NOOP("DomainShiftView", "Documents"), QT_TRANSLATE_NOOP("DomainShiftView", "Documents in each corpus, all splits together.")},
    {QT_TRANSLATE_NOOP("DomainShiftView", "Vocabulary"), QT_TRANSLATE_NOOP("DomainShiftView", "Distinct words in each corpus.")},
    {QT_TRANSLATE_NOOP("DomainShiftView", "Mean length"), QT_TRANSLATE_NOOP("DomainShiftView", "Words per document on average.")},
    {QT_TRANSLATE_NOOP("DomainShiftView", "Shared vocabulary"), QT_TRANSLATE_NOOP("DomainShiftView", "Distinct words that occur in both corpora.")},
    {QT_TRANSLATE_NOOP("DomainShiftView", "Vocabulary overlap"),
     QT_TRANSLATE_NOOP("DomainShiftView", "Shared words divided by the words of either corpus (Jaccard index): "
                                          "1 = the same words, 0 = no word in common.")},
    {QT_TRANSLATE_NOOP("DomainShiftView", "Target vocabulary covered"),
     QT_TRANSLATE_NOOP("DomainShiftView", "The share of the target's distinct words that the source also has.")},
    {QT_TRANSLATE_NOOP("DomainShiftView", "Target out-of-vocabulary rate"),
     QT_TRANSLATE_NOOP("DomainShiftView", "The share of the target's words (every occurrence counted) that never occur "
                                          "in the source: words a model trained on the source has not seen.")},
    {QT_TRANSLATE_NOOP("DomainShiftView", "Jensen-Shannon divergence"),
     QT_TRANSLATE_NOOP("DomainShiftView", "How different the two corpora's word frequencies are: 0 = the same words "
                                          "used equally often, 1 = no word in common.")},
    {QT_TRANSLATE_NOOP("DomainShiftView", "Domain classifier error"),
     QT_TRANSLATE_NOOP("DomainShiftView", "How often a simple classifier trained to tell the corpora apart gets it "
                                          "wrong (cross-validated): 50 % = it cannot tell them apart.")},
    {QT_TRANSLATE_NOOP("DomainShiftView", "Proxy A-distance"),
     QT_TRANSLATE_NOOP("DomainShiftView", "How easily the two corpora can be told apart, from the classifier's error: "
                                          "0 = indistinguishable, 2 = completely separable. The larger it is, the "
                                          "more a model trained on the source is likely to lose on the target.")},
    {QT_TRANSLATE_NOOP("DomainShiftView", "Sub-word tokens per word"),
     QT_TRANSLATE_NOOP("DomainShiftView", "With the chosen model's tokenizer: the tokens a word becomes on average "
                                          "(words split at spaces, on a sample of each corpus). 1 = every word is "
                                          "one token; more = the model knows the corpus's words less well.")},
    {QT_TRANSLATE_NOOP("DomainShiftView", "Words split into pieces"),
     QT_TRANSLATE_NOOP("DomainShiftView", "With the chosen model's tokenizer: the share of words cut into more than "
                                          "one token.")},
};
static_assert(std::size(kMeasures) == DomainShiftView::MeasureCount);

// Characters a corpus or model picker shows before it elides; longer names are in the list.
constexpr int kPickerCharacters = 12;

QString percent(double fraction)
{
    return QLocale().toString(100.0 * fraction, 'f', 1) + QStringLiteral(" %");
}

} // namespace

DomainShiftView::DomainShiftView(const QString &projectPath, const QStringList &corpora, QWidget *parent)
    : QWidget(parent), m_projectPath(projectPath), m_worker(new WorkerThread(this))
{
    setObjectName(QStringLiteral("domainShiftView"));
    createTable();
    m_warnings = new QLabel(this);
    m_warnings->setObjectName(QStringLiteral("warnings"));
    m_warnings->setWordWrap(true);
    m_labels = new CategoryChart(tr("Label distribution"), QStringLiteral("domain-shift-labels"), this);
    m_labels->setToolTip(tr("Each label's share of the labelled documents, source and target side by side. "
                            "A label that is common in one corpus and rare in the other is a label shift."));
    m_lengths = new CategoryChart(tr("Document length"), QStringLiteral("domain-shift-lengths"), this);
    m_lengths->setToolTip(tr("Each corpus's share of documents per length, in words, overlaid"));

    auto *grid = new QGridLayout;
    grid->addWidget(m_table, 0, 0, Qt::AlignTop);
    grid->addWidget(m_warnings, 1, 0, Qt::AlignTop);
    grid->addWidget(m_labels, 0, 1);
    grid->addWidget(m_lengths, 1, 1);
    grid->setColumnStretch(0, 2);
    grid->setColumnStretch(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createPickers(corpora));
    layout->addLayout(grid, 1);
    m_labels->showMessage(tr("Pick two corpora and press Compute"));
    m_lengths->showMessage(tr("Pick two corpora and press Compute"));
    updateButtons();
}

DomainShiftView::~DomainShiftView() = default;

QWidget *DomainShiftView::createPickers(const QStringList &corpora)
{
    auto *bar = new QWidget(this);
    m_source = new QComboBox(bar);
    m_source->setObjectName(QStringLiteral("sourceCorpus"));
    m_source->setToolTip(tr("The corpus a model is trained on (labelled)"));
    m_target = new QComboBox(bar);
    m_target->setObjectName(QStringLiteral("targetCorpus"));
    m_target->setToolTip(tr("The corpus the model is meant to work on"));
    m_source->addItems(corpora);
    m_target->addItems(corpora);
    if (corpora.size() > 1)
        m_target->setCurrentIndex(1);
    m_model = createModelPicker(bar);
    m_compute = new QPushButton(tr("C&ompute"), bar);
    m_compute->setObjectName(QStringLiteral("compute"));
    m_compute->setToolTip(tr("Read both corpora and measure how far apart they are (can take a while on large corpora)"));
    m_cancel = new QPushButton(tr("Cancel"), bar);
    m_cancel->setToolTip(tr("Stop the analysis"));
    m_status = new QLabel(bar);
    m_status->setObjectName(QStringLiteral("status"));
    // Long progress and error texts wrap under the pickers instead of widening the page (which
    // squeezed the project panel beside it).
    m_status->setWordWrap(true);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // a long path is cut, not the panel
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    for (QComboBox *combo : {m_source, m_target, m_model}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(kPickerCharacters);
    }
    connect(m_source, &QComboBox::currentIndexChanged, this, &DomainShiftView::updateButtons);
    connect(m_target, &QComboBox::currentIndexChanged, this, &DomainShiftView::updateButtons);
    connect(m_compute, &QPushButton::clicked, this, &DomainShiftView::compute);
    connect(m_cancel, &QPushButton::clicked, m_worker, &WorkerThread::cancel);

    auto *pickers = new QHBoxLayout;
    pickers->setContentsMargins(0, 0, 0, 0);
    pickers->addWidget(new QLabel(tr("Source:"), bar));
    pickers->addWidget(m_source, 1);
    pickers->addWidget(new QLabel(tr("Target:"), bar));
    pickers->addWidget(m_target, 1);
    pickers->addWidget(new QLabel(tr("Tokenizer:"), bar));
    pickers->addWidget(m_model, 1);
    pickers->addWidget(m_compute);
    pickers->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(pickers);
    layout->addWidget(m_status);
    return bar;
}

// The project's registered models, read once with a read-only connection of its own.
QComboBox *DomainShiftView::createModelPicker(QWidget *parent)
{
    auto *picker = new QComboBox(parent);
    picker->setObjectName(QStringLiteral("tokenizerModel"));
    picker->setToolTip(tr("A registered model whose tokenizer measures how finely each corpus's words are cut "
                          "(sub-word fragmentation); a built-in model uses the tokenizer trained when it was added"));
    picker->addItem(tr("None"), QString());
    const auto project = Project::open(m_projectPath, Project::Access::ReadOnly);
    if (!project) {
        picker->setToolTip(tr("The project's models cannot be read: %1").arg(project.error()));
        return picker;
    }
    const auto models = ModelRegistry::list(project.value()->database());
    if (!models) {
        picker->setToolTip(tr("The project's models cannot be read: %1").arg(models.error()));
        return picker;
    }
    for (const ModelRecord &model : models.value())
        picker->addItem(model.name, model.name);
    return picker;
}

void DomainShiftView::createTable()
{
    m_table = new QTableWidget(MeasureCount, 2, this);
    m_table->setObjectName(QStringLiteral("measures"));
    m_table->setHorizontalHeaderLabels({tr("Measure"), tr("Value (source / target)")});
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
    for (int row = 0; row < MeasureCount; ++row) {
        auto *name = new QTableWidgetItem(tr(kMeasures[row].name));
        name->setToolTip(tr(kMeasures[row].explanation));
        m_table->setItem(row, 0, name);
        setMeasure(row, QStringLiteral("–"));
    }
}

void DomainShiftView::fitTableWidth()
{
    // The grid gives the table its share of the width whatever its texts: keep both columns whole
    // (at the default window size the header was cut to "Value (source / target").
    m_table->resizeColumnsToContents(); // each column as wide as its widest cell or header
    int width = 2 * m_table->frameWidth();
    for (int column = 0; column < m_table->columnCount(); ++column)
        width += m_table->columnWidth(column);
    m_table->setMinimumWidth(width);
}

void DomainShiftView::setMeasure(int row, const QString &value)
{
    auto *item = new QTableWidgetItem(value);
    item->setToolTip(tr(kMeasures[row].explanation));
    m_table->setItem(row, 1, item);
    fitTableWidth();
}

void DomainShiftView::setCorpora(const QString &source, const QString &target)
{
    m_source->setCurrentText(source);
    m_target->setCurrentText(target);
}

void DomainShiftView::setModel(const QString &model)
{
    m_model->setCurrentIndex(std::max(0, m_model->findData(model)));
}

bool DomainShiftView::isComputing() const
{
    return m_computing;
}

void DomainShiftView::updateButtons()
{
    const bool distinct = !m_source->currentText().isEmpty() && m_source->currentText() != m_target->currentText();
    m_compute->setEnabled(distinct && !m_computing);
    m_cancel->setEnabled(m_computing);
    m_source->setEnabled(!m_computing);
    m_target->setEnabled(!m_computing);
    m_model->setEnabled(!m_computing);
    if (!distinct && !m_computing)
        m_status->setText(tr("Pick two different corpora."));
}

void DomainShiftView::compute()
{
    if (m_computing || !m_compute->isEnabled())
        return;
    m_computing = true;
    m_status->setText(tr("Reading the corpora…"));
    updateButtons();
    auto *worker = new DomainShiftWorker(m_projectPath, m_source->currentText(), m_target->currentText(),
                                         m_model->currentData().toString());
    connect(worker, &DomainShiftWorker::progress, m_status, &QLabel::setText);
    connect(worker, &DomainShiftWorker::finished, this, &DomainShiftView::showReport);
    m_worker->start(worker);
}

void DomainShiftView::showReport(const DomainShiftReport &report, const QString &error)
{
    m_computing = false;
    updateButtons();
    if (!error.isEmpty()) {
        m_status->setText(tr("Not computed: %1").arg(error));
        Q_EMIT computed(error);
        return;
    }
    const QLocale l;
    const auto pair = [&l](qint64 source, qint64 target) {
        return QStringLiteral("%1 / %2").arg(l.toString(source), l.toString(target));
    };
    setMeasure(DocumentsRow, pair(report.source.documents, report.target.documents));
    setMeasure(VocabularyRow, pair(report.source.vocabulary, report.target.vocabulary));
    setMeasure(MeanLengthRow, QStringLiteral("%1 / %2").arg(l.toString(report.source.meanLength, 'f', 1),
                                                            l.toString(report.target.meanLength, 'f', 1)));
    setMeasure(SharedVocabularyRow, l.toString(report.sharedVocabulary));
    setMeasure(JaccardRow, l.toString(report.vocabularyJaccard, 'f', 3));
    setMeasure(CoveredRow, percent(report.targetVocabularyCovered));
    setMeasure(OovRow, percent(report.targetOovRate));
    setMeasure(JensenShannonRow, l.toString(report.jensenShannon, 'f', 3));
    setMeasure(ClassifierErrorRow, percent(report.domainClassifierError));
    m_table->item(ClassifierErrorRow, 1)->setToolTip(tr("%1\nCross-validated over %2 folds with %3 documents per corpus.")
                                                         .arg(tr(kMeasures[ClassifierErrorRow].explanation))
                                                         .arg(report.folds)
                                                         .arg(l.toString(report.classifierDocuments)));
    setMeasure(ProxyADistanceRow, l.toString(report.proxyADistance, 'f', 2));
    showFragmentation(report);
    m_warnings->setText(report.warnings.join(QLatin1Char('\n')));
    m_labels->showLabels({report.source, report.target}, CategoryChart::Scale::Share);
    m_lengths->showLengths({report.source, report.target}, CategoryChart::Scale::Share);
    m_status->setText(tr("%1 (source) compared with %2 (target); values are source / target where there are two.")
                          .arg(report.source.name, report.target.name));
    Q_EMIT computed(QString());
}

void DomainShiftView::showFragmentation(const DomainShiftReport &report)
{
    if (report.tokenizer.isEmpty()) {
        setMeasure(TokensPerWordRow, QStringLiteral("–"));
        setMeasure(SplitWordsRow, QStringLiteral("–"));
        return;
    }
    const QLocale l;
    const SubwordFragmentation &s = report.sourceFragmentation;
    const SubwordFragmentation &t = report.targetFragmentation;
    setMeasure(TokensPerWordRow,
               QStringLiteral("%1 / %2").arg(l.toString(s.tokensPerWord(), 'f', 2), l.toString(t.tokensPerWord(), 'f', 2)));
    setMeasure(SplitWordsRow, QStringLiteral("%1 / %2").arg(percent(s.splitShare()), percent(t.splitShare())));
    for (const int row : {TokensPerWordRow, SplitWordsRow}) {
        m_table->item(row, 1)->setToolTip(tr("%1\nTokenizer of %2, on %3 source and %4 target documents.")
                                              .arg(tr(kMeasures[row].explanation), report.tokenizer, l.toString(s.documents),
                                                   l.toString(t.documents)));
    }
}

} // namespace ts::ui
