#include "runs/ComparisonView.h"

#include "charts/ChartStyle.h"
#include "charts/MetricChart.h"
#include "jobs/BenchmarkRunner.h"
#include "project/RunVocabulary.h"
#include "theme/ThemeController.h"
#include "util/CsvField.h"

#include "train/TrainingProgress.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFont>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSet>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace ts::ui {

namespace {

constexpr int kIdRole = Qt::UserRole + 1; // run id of a run item (groups have none)
// Pages of the result tabs, in order.
constexpr int kMatrixPage = 2;
constexpr int kBudgetPage = 3;
constexpr int kGapColumn = 2; // of the summary table
constexpr int kWarningLines = 5; // shown at once; more scroll

QString statText(const RunComparison::Stat &s, int decimals = 3)
{
    if (s.n == 0)
        return QStringLiteral("—");
    if (s.n == 1)
        return QString::number(s.mean, 'f', decimals);
    return QStringLiteral("%1 ± %2").arg(s.mean, 0, 'f', decimals).arg(s.std, 0, 'f', decimals);
}

/// What a value stands for: its split and number of texts, the seeds and the 95% interval.
QString statTip(const RunComparison::Stat &s, const QString &split, int examples)
{
    QString tip = split.isEmpty() ? QString() : QObject::tr("%1, %2 texts").arg(split).arg(examples);
    if (s.n > 1)
        tip += QObject::tr("; mean of %1 seeds, standard deviation %2, 95% bootstrap interval [%3, %4]")
                   .arg(s.n)
                   .arg(s.std, 0, 'f', 3)
                   .arg(s.ciLow, 0, 'f', 3)
                   .arg(s.ciHigh, 0, 'f', 3);
    return tip;
}

QString budgetText(int budget)
{
    return budget < 0 ? QObject::tr("all") : QString::number(budget);
}

// Where a row's value comes from: "test, 300 texts"; empty when the row has no value.
QString scopeOf(const RunComparison::Row &r, bool target)
{
    const QString split = (target ? r.targetSplit : r.sourceSplit).section(QLatin1Char('/'), 1);
    // A run stored before its texts were counted: the split alone.
    const QString texts = RunComparison::textsRange({target ? r.targetExamples : r.sourceExamples});
    return split.isEmpty() || texts.isEmpty() ? split : QStringLiteral("%1, %2").arg(split, texts);
}

// The scope all rows with a value share; empty when they differ.
QString commonScope(const QList<RunComparison::Row> &rows, bool target)
{
    QString scope;
    for (const RunComparison::Row &r : rows) {
        const QString s = scopeOf(r, target);
        if (s.isEmpty())
            continue;
        if (!scope.isEmpty() && s != scope)
            return QString();
        scope = s;
    }
    return scope;
}

// ", 100 texts" (", 96–100 texts" when they differ): how many texts the runs `ids` measured on
// `split`, from their recorded counts; empty when none was recorded.
QString textsMeasured(const QList<RunComparison::Run> &runs, const QList<qint64> &ids, const QString &split)
{
    QList<int> counts;
    for (const RunComparison::Run &run : runs) {
        if (!ids.contains(run.record.id))
            continue;
        for (const MetricPoint &p : run.points) {
            if (p.split == split && p.metric == Metrics::kExamples)
                counts.append(int(p.value));
        }
    }
    const QString texts = RunComparison::textsRange(counts);
    return texts.isEmpty() ? texts : QStringLiteral(", ") + texts;
}

/// Budgets in axis order: 0, 8, 32, ..., then "all" (-1) last.
bool budgetLess(int a, int b)
{
    if (a < 0 || b < 0)
        return b < 0 && a >= 0;
    return a < b;
}

QTableWidgetItem *cell(const QString &text, const QString &tip = QString())
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setToolTip(tip);
    return item;
}

/// Lets the strategy column of `table` be at most kNameChars wide: the settings that tell rows
/// apart wrap under their strategy instead of pushing the values out of view.
void wrapNameColumn(QTableWidget *table)
{
    constexpr int kNameChars = 40; // "source-only · 32 target labels per class" on one line
    const int widest = QFontMetrics(table->font()).averageCharWidth() * kNameChars;
    if (table->columnWidth(0) > widest)
        table->setColumnWidth(0, widest); // rows fit their contents (the constructor)
}

/// A page holding one widget, so that it can be replaced in place.
QWidget *page(QWidget *content)
{
    auto *container = new QWidget;
    auto *layout = new QVBoxLayout(container);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(content);
    return container;
}

} // namespace

ComparisonView::ComparisonView(const QSqlDatabase &db, QWidget *parent)
    : QWidget(parent), m_connection(db.connectionName())
{
    setObjectName(QStringLiteral("ComparisonView"));
    m_runs = new QTreeWidget(this);
    m_runs->setObjectName(QStringLiteral("comparedRuns"));
    m_runs->setHeaderLabels({tr("Run"), tr("Status")});
    // Run titles are never cut: the list scrolls sideways when it is narrower than they are.
    m_runs->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_runs->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_runs->header()->setStretchLastSection(false);
    m_runs->setToolTip(tr("Tick the runs, or whole groups of runs, to compare"));
    connect(m_runs, &QTreeWidget::itemChanged, this, [this] {
        if (!m_filling)
            refresh();
    });

    m_curves = new MetricChart(tr("Curves"), tr("value"));
    m_summary = new QTableWidget(this);
    m_summary->setObjectName(QStringLiteral("summaryTable"));
    m_matrix = new QTableWidget(this);
    m_matrix->setObjectName(QStringLiteral("matrixTable"));
    m_budget = new MetricChart(tr("Label budget"), tr("value"));
    for (QTableWidget *table : {m_summary, m_matrix}) {
        table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        table->verticalHeader()->hide();
        table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents); // wrapNameColumn
        table->setSortingEnabled(false);
    }
    m_pages = new QTabWidget(this);
    m_pages->addTab(page(m_curves), tr("C&urves"));
    m_pages->addTab(m_summary, tr("&Summary"));
    m_matrixNote = new QLabel(this);
    m_matrixNote->setObjectName(QStringLiteral("matrixNote"));
    m_matrixNote->setWordWrap(true);
    m_matrixNote->hide();
    auto *matrixPage = new QWidget(this);
    auto *matrixLayout = new QVBoxLayout(matrixPage);
    matrixLayout->setContentsMargins(0, 0, 0, 0);
    matrixLayout->addWidget(m_matrixNote);
    matrixLayout->addWidget(m_matrix, 1);
    m_pages->addTab(matrixPage, tr("Strategies × &domains"));
    m_budgetNote = new QLabel(this);
    m_budgetNote->setObjectName(QStringLiteral("budgetNote"));
    m_budgetNote->setWordWrap(true);
    m_budgetNote->setAlignment(Qt::AlignCenter);
    QWidget *budgetPage = page(m_budget);
    budgetPage->layout()->addWidget(m_budgetNote);
    m_pages->addTab(budgetPage, tr("&Label budget"));
    m_warningLabel = new QLabel(this);
    m_warningLabel->setObjectName(QStringLiteral("comparisonWarnings"));
    m_warningLabel->setWordWrap(true);
    m_warningLabel->setTextFormat(Qt::RichText);

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(buildControls());
    rightLayout->addWidget(m_pages, 1);
    // At most a few lines high, scrolling beyond: many warnings must not squeeze the chart.
    m_warningArea = new QScrollArea(this);
    m_warningArea->setWidget(m_warningLabel);
    m_warningArea->setWidgetResizable(true);
    m_warningArea->setFrameShape(QFrame::NoFrame);
    m_warningArea->setMaximumHeight(kWarningLines * fontMetrics().lineSpacing());
    m_warningArea->hide();
    rightLayout->addWidget(m_warningArea);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_runs);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({300, 900});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
    m_reloadTimer = new QTimer(this);
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(kReloadDelayMs);
    connect(m_reloadTimer, &QTimer::timeout, this, [this] {
        if (isVisible())
            reload();
        else
            m_stale = true;
    });
    reload();
}

void ComparisonView::scheduleReload()
{
    if (!m_reloadTimer->isActive())
        m_reloadTimer->start();
}

void ComparisonView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        reload();
}

void ComparisonView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange && m_warningArea)
        showWarnings();
    QWidget::changeEvent(event);
}

QWidget *ComparisonView::buildControls()
{
    auto *bar = new QWidget(this);
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    m_metric = new QComboBox(bar);
    m_metric->setObjectName(QStringLiteral("comparisonMetric"));
    m_metric->setToolTip(tr("The measure compared: accuracy and macro-F1 (higher is better), loss and perplexity "
                            "(lower is better)"));
    for (const QLatin1String metric : {Metrics::kAccuracy, Metrics::kMacroF1, Metrics::kLoss, Metrics::kPerplexity})
        m_metric->addItem(QString(metric), QString(metric));
    m_split = new QComboBox(bar);
    m_split->setObjectName(QStringLiteral("comparisonSplit"));
    m_split->setToolTip(tr("Which texts the curves are measured on"));
    for (const QLatin1String split : {Splits::kTargetValidation, Splits::kSourceValidation, Splits::kTargetTest,
                                      Splits::kSourceTest, Splits::kTrain})
        m_split->addItem(QString(split), QString(split));
    auto *reloadButton = new QPushButton(tr("Reload"), bar);
    reloadButton->setToolTip(tr("Read the project again, with runs that have finished since"));
    auto *exportChart = new QPushButton(tr("Export Chart…"), bar);
    exportChart->setToolTip(tr("Save the chart shown (curves or label budget) as PNG, PDF or SVG"));
    auto *exportTable = new QPushButton(tr("Export Table…"), bar);
    exportTable->setToolTip(tr("Save the table shown (summary or matrix) as CSV for a spreadsheet; a benchmark's table "
                               "also as LaTeX"));
    connect(m_metric, &QComboBox::currentIndexChanged, this, &ComparisonView::refresh);
    connect(m_split, &QComboBox::currentIndexChanged, this, &ComparisonView::refresh);
    connect(reloadButton, &QPushButton::clicked, this, &ComparisonView::reload);
    connect(exportChart, &QPushButton::clicked, this, &ComparisonView::exportChartDialog);
    connect(exportTable, &QPushButton::clicked, this, &ComparisonView::exportTableDialog);
    layout->addWidget(new QLabel(tr("Metric:"), bar));
    layout->addWidget(m_metric);
    layout->addWidget(new QLabel(tr("Curves on:"), bar));
    layout->addWidget(m_split);
    layout->addStretch();
    layout->addWidget(reloadButton);
    layout->addWidget(exportChart);
    layout->addWidget(exportTable);
    return bar;
}

void ComparisonView::reload()
{
    m_stale = false;
    auto runs = RunComparison::load(QSqlDatabase::database(m_connection, false));
    if (!runs) {
        m_warningLabel->setText(tr("Cannot read the runs: %1").arg(runs.error().toHtmlEscaped()));
        m_warningArea->show();
        return;
    }
    m_data = std::make_unique<RunComparison>(std::move(runs.value()), m_metric->currentData().toString());
    fillRunList();
    refresh();
}

void ComparisonView::fillRunList()
{
    const QList<qint64> checked = selectedRuns();
    m_filling = true;
    m_runs->clear();
    QHash<qint64, QTreeWidgetItem *> groups;
    for (const RunComparison::Run &run : m_data->runs()) {
        QTreeWidgetItem *parent = nullptr;
        if (const qint64 group = run.record.groupId; group != 0) {
            parent = groups.value(group);
            if (!parent) {
                parent = new QTreeWidgetItem(m_runs, {tr("Group %1").arg(group)});
                parent->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsAutoTristate);
                parent->setCheckState(0, Qt::Unchecked);
                parent->setToolTip(0, tr("Runs recorded together: repeats over seeds or a label-budget sweep"));
                parent->setExpanded(true);
                groups.insert(group, parent);
            }
        }
        QTreeWidgetItem *item = addRunItem(parent, run);
        bool on = checked.contains(run.record.id);
        if (run.record.status == RunRecord::Status::Finished && !m_seenFinished.contains(run.record.id)) {
            m_seenFinished.insert(run.record.id);
            on = true;
        }
        item->setCheckState(0, on ? Qt::Checked : Qt::Unchecked);
    }
    m_filling = false;
}

QTreeWidgetItem *ComparisonView::addRunItem(QTreeWidgetItem *parent, const RunComparison::Run &run)
{
    const RunRecord &r = run.record;
    const QStringList texts{tr("Run %1 · %2 · %3 → %4").arg(r.id).arg(r.strategy, run.source, run.target),
                            RunRecord::statusName(r.status)};
    auto *item = parent ? new QTreeWidgetItem(parent, texts) : new QTreeWidgetItem(m_runs, texts);
    item->setData(0, kIdRole, r.id);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
    item->setToolTip(0, tr("%1 · model %2 · target labels per class: %3 · seeds %4 / %5")
                            .arg(r.name.isEmpty() ? r.strategy : r.name, run.model, budgetText(run.budget))
                            .arg(r.initSeed)
                            .arg(r.dataSeed));
    return item;
}

QList<qint64> ComparisonView::selectedRuns() const
{
    QList<qint64> ids;
    for (QTreeWidgetItemIterator it(m_runs); *it; ++it) {
        const QVariant id = (*it)->data(0, kIdRole);
        if (id.isValid() && (*it)->checkState(0) == Qt::Checked)
            ids.append(id.toLongLong());
    }
    return ids;
}

void ComparisonView::setSelectedRuns(const QList<qint64> &ids)
{
    m_filling = true;
    for (QTreeWidgetItemIterator it(m_runs); *it; ++it) {
        const QVariant id = (*it)->data(0, kIdRole);
        if (id.isValid())
            (*it)->setCheckState(0, ids.contains(id.toLongLong()) ? Qt::Checked : Qt::Unchecked);
    }
    m_filling = false;
    refresh();
}

void ComparisonView::setMetric(const QString &metric)
{
    m_metric->setCurrentIndex(qMax(0, m_metric->findData(metric)));
}

void ComparisonView::setSplit(const QString &split)
{
    m_split->setCurrentIndex(qMax(0, m_split->findData(split)));
}

void ComparisonView::refresh()
{
    if (!m_data)
        return;
    m_data->setMetric(m_metric->currentData().toString());
    const QList<qint64> ids = selectedRuns();
    rebuildCurves(ids);
    fillSummary(ids);
    fillMatrix(ids);
    rebuildBudgetChart(ids);
    m_warnings = m_data->warnings(ids);
    m_paired = m_data->pairedDifferences(ids);
    showWarnings();
}

void ComparisonView::replaceChart(MetricChart *&slot, MetricChart *fresh)
{
    QWidget *container = slot->parentWidget();
    delete container->layout()->replaceWidget(slot, fresh); // the old chart's layout item is ours to delete
    delete slot;
    slot = fresh;
}

void ComparisonView::rebuildCurves(const QList<qint64> &ids)
{
    const QString metric = m_metric->currentData().toString();
    const QString split = m_split->currentData().toString();
    auto *chart = new MetricChart(tr("%1 on %2%3 (steps from the start of fine-tuning)")
                                      .arg(metric, split, textsMeasured(m_data->runs(), ids, split)),
                                  metric);
    chart->setObjectName(QStringLiteral("comparisonCurves"));
    int index = 0;
    for (const RunComparison::Run &run : m_data->runs()) {
        if (!ids.contains(run.record.id))
            continue;
        const QString key = QString::number(run.record.id);
        const QString name = run.record.name.isEmpty() ? run.record.strategy : run.record.name;
        chart->addCurve(key, tr("run %1 · %2 (seed %3)").arg(run.record.id).arg(name).arg(run.record.initSeed),
                        ChartStyle::seriesColor(index++));
        // Steps count from the start of fine-tuning: a pre-training phase lies at negative steps.
        for (const MetricPoint &p : run.points) {
            if (p.split == split && p.metric == metric)
                chart->appendPoint(key, double(p.step - run.fineTuneStart), p.value);
        }
    }
    replaceChart(m_curves, chart);
}

void ComparisonView::fillSummary(const QList<qint64> &ids)
{
    const QString metric = m_metric->currentData().toString();
    const QList<RunComparison::Row> rows = m_data->rows(ids);
    m_summary->clear();
    // The columns that answer "did it transfer?" come first, so that they are in view without
    // scrolling sideways however narrow the page is.
    m_summary->setColumnCount(11);
    // Where the values come from ("test, 300 texts"): in the header when every row shares it,
    // else after each value.
    const QString targetScope = commonScope(rows, true);
    const QString sourceScope = commonScope(rows, false);
    const auto header = [](const QString &text, const QString &scope) {
        return scope.isEmpty() ? text : QStringLiteral("%1 (%2)").arg(text, scope);
    };
    const auto valueText = [](const RunComparison::Stat &value, const RunComparison::Row &r, bool target, bool inHeader) {
        const QString scope = scopeOf(r, target);
        return inHeader || scope.isEmpty() ? statText(value) : QStringLiteral("%1 (%2)").arg(statText(value), scope);
    };
    m_summary->setHorizontalHeaderLabels({tr("Strategy"), header(tr("Target %1").arg(metric), targetScope),
                                          tr("Transfer gap"), header(tr("Source %1").arg(metric), sourceScope),
                                          tr("Source → target"), tr("Model"), tr("Target labels"), tr("Runs"),
                                          tr("Training time"), tr("Samples/s"), tr("Result weights")});
    m_summary->horizontalHeaderItem(kGapColumn)->setToolTip(
        tr("Source minus target: how much is lost by moving to the target domain"));
    m_summary->setRowCount(int(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        const RunComparison::Row &r = rows[i];
        const QString runs = QString::number(r.runIds.size());
        QStringList idText;
        for (const qint64 id : r.runIds)
            idText << QString::number(id);
        const QString time = r.seconds.n > 0 ? TrainingProgress::formatDuration(r.seconds.mean) : QStringLiteral("—");
        const QList<QTableWidgetItem *> cells{
            cell(RunComparison::rowLabel(r.strategy, r.budget, r.differences)),
            cell(valueText(r.targetValue, r, true, !targetScope.isEmpty()),
                 statTip(r.targetValue, r.targetSplit, r.targetExamples)),
            cell(statText(r.gap), statTip(r.gap, QString(), 0)),
            cell(valueText(r.sourceValue, r, false, !sourceScope.isEmpty()),
                 statTip(r.sourceValue, r.sourceSplit, r.sourceExamples)),
            cell(QStringLiteral("%1 → %2").arg(r.source, r.target)), cell(r.model), cell(budgetText(r.budget)),
            cell(runs, tr("Runs %1, seeds of one experiment (every other setting equal):\n%2")
                           .arg(idText.join(QStringLiteral(", ")), r.key)),
            cell(time),
            cell(statText(r.samplesPerSecond, 1)),
            cell(r.selection.describe(), r.selection.usesTargetLabels
                                             ? tr("Chosen with the target's labels: the target result is optimistic")
                                             : tr("Chosen without the target's labels"))};
        for (int c = 0; c < cells.size(); ++c)
            m_summary->setItem(i, c, cells[c]);
    }
    m_summary->resizeColumnsToContents();
    wrapNameColumn(m_summary);
}

void ComparisonView::showBenchmark(qint64 groupId)
{
    m_benchmarkGroup = groupId;
    if (!m_data)
        reload();
    QList<qint64> ids;
    if (const auto runs = BenchmarkRunner::runsOf(QSqlDatabase::database(m_connection, false), groupId)) {
        for (const RunRecord &run : runs.value())
            ids.append(run.id);
    }
    setSelectedRuns(ids);
    m_pages->setCurrentIndex(kMatrixPage);
}

QString ComparisonView::matrixNote() const
{
    return m_showingBenchmark ? m_matrixNote->text() : QString();
}

bool ComparisonView::fillBenchmark(const QList<qint64> &ids)
{
    m_showingBenchmark = false;
    if (m_benchmarkGroup == 0)
        return false;
    for (const RunComparison::Run &run : m_data->runs()) {
        if (ids.contains(run.record.id) && run.record.groupId != m_benchmarkGroup)
            return false;
    }
    const QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    const auto runs = BenchmarkRunner::runsOf(db, m_benchmarkGroup);
    const auto table = BenchmarkRunner::table(db, m_benchmarkGroup);
    if (!runs || !table)
        return false;
    int finished = 0;
    QString running;
    for (const RunRecord &run : runs.value()) {
        finished += run.status == RunRecord::Status::Finished ? 1 : 0;
        if (run.status == RunRecord::Status::Running)
            running = run.name;
    }
    m_benchmarkTable = table.value();
    m_showingBenchmark = true;
    QString progress = tr("Benchmark group %1: %2 of %3 runs finished").arg(m_benchmarkGroup).arg(finished).arg(runs->size());
    if (!running.isEmpty())
        progress += tr("; running: %1").arg(running);
    m_matrixNote->setText(progress + QStringLiteral(". ") + m_benchmarkTable.caption() + QLatin1Char('.'));
    m_matrixNote->show();

    const QStringList strategies = m_benchmarkTable.strategies();
    m_matrix->clear();
    m_matrix->setRowCount(int(m_benchmarkTable.rows().size()) + 1);
    m_matrix->setColumnCount(int(strategies.size()) + 2);
    m_matrix->setHorizontalHeaderLabels(QStringList{tr("Source → target"), tr("Evaluated on")} + strategies);
    const auto fillRow = [this](int row, const QString &pair, const QString &split, const QList<BenchmarkTable::Cell> &cells,
                                bool isAverage) {
        m_matrix->setItem(row, 0, cell(pair));
        m_matrix->setItem(row, 1, cell(split));
        for (int c = 0; c < cells.size(); ++c) {
            const BenchmarkTable::Cell &value = cells.at(c);
            const QString tip = isAverage ? tr("mean of %n pair(s)' mean target accuracy; ± its std over the seeds "
                                               "(each seed's mean over the pairs)", nullptr, value.accuracy.n)
                                          : tr("target accuracy over %n seed(s)", nullptr, value.accuracy.n);
            QTableWidgetItem *item = cell(BenchmarkTable::cellText(value, QStringLiteral(" ± "), isAverage), tip);
            if (value.best) {
                QFont font = item->font();
                font.setBold(true);
                item->setFont(font);
            }
            m_matrix->setItem(row, c + 2, item);
        }
    };
    int row = 0;
    for (const BenchmarkTable::Row &r : m_benchmarkTable.rows())
        fillRow(row++, QStringLiteral("%1 → %2").arg(r.source, r.target), r.evaluatedOn, r.cells, false);
    fillRow(row, tr("Average"), QString(), m_benchmarkTable.average(), true);
    m_matrix->resizeColumnsToContents();
    return true;
}

void ComparisonView::fillMatrix(const QList<qint64> &ids)
{
    if (fillBenchmark(ids))
        return;
    m_matrixNote->hide();
    QMap<QString, QString> scopes;
    const auto cells = m_data->matrix(ids, &scopes);
    QStringList pairs;
    for (const auto &row : cells) {
        for (auto it = row.cbegin(); it != row.cend(); ++it) {
            if (!pairs.contains(it.key()))
                pairs.append(it.key());
        }
    }
    pairs.sort();
    m_matrix->clear();
    m_matrix->setRowCount(int(cells.size()));
    m_matrix->setColumnCount(int(pairs.size()) + 1);
    QStringList headers{tr("Strategy")};
    for (const QString &pair : std::as_const(pairs)) // the pair, then where its values come from
        headers << (scopes.value(pair).isEmpty() ? pair : QStringLiteral("%1 (%2)").arg(pair, scopes.value(pair)));
    m_matrix->setHorizontalHeaderLabels(headers);
    int row = 0;
    for (auto s = cells.cbegin(); s != cells.cend(); ++s, ++row) {
        m_matrix->setItem(row, 0, cell(s.key()));
        for (int c = 0; c < pairs.size(); ++c) {
            const RunComparison::Stat stat = s->value(pairs[c]);
            m_matrix->setItem(row, c + 1, cell(statText(stat), tr("mean target %1 (each run's test split, every "
                                                                  "text; validation when there is none) over %2 "
                                                                  "run(s)")
                                                                    .arg(m_metric->currentData().toString())
                                                                    .arg(stat.n)));
        }
    }
    m_matrix->resizeColumnsToContents();
    wrapNameColumn(m_matrix);
}

void ComparisonView::rebuildBudgetChart(const QList<qint64> &ids)
{
    const QString metric = m_metric->currentData().toString();
    QString scope;
    const auto curves = m_data->budgetCurves(ids, &scope);
    QList<int> budgets;
    for (const auto &series : curves) {
        for (auto it = series.cbegin(); it != series.cend(); ++it) {
            if (!budgets.contains(it.key()))
                budgets.append(it.key());
        }
    }
    std::sort(budgets.begin(), budgets.end(), budgetLess);
    const QString title = tr("Target %1 by label budget").arg(metric);
    auto *chart = new MetricChart(scope.isEmpty() ? title : QStringLiteral("%1 (%2)").arg(title, scope), metric);
    chart->setObjectName(QStringLiteral("budgetCurves"));
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < budgets.size(); ++i)
        ticker->addTick(i, budgetText(budgets[i]));
    chart->plot()->xAxis->setTicker(ticker);
    chart->plot()->xAxis->setLabel(tr("labelled target texts per class"));
    int index = 0;
    for (auto s = curves.cbegin(); s != curves.cend(); ++s) {
        chart->addCurve(s.key(), s.key(), ChartStyle::seriesColor(index++));
        for (auto b = s->cbegin(); b != s->cend(); ++b)
            chart->appendPoint(s.key(), double(budgets.indexOf(b.key())), b->mean);
    }
    replaceChart(m_budget, chart);
    // Without a sweep there is no curve: say why instead of showing an empty chart.
    const bool sweep = !budgets.isEmpty();
    m_budget->setVisible(sweep);
    m_budgetNote->setVisible(!sweep);
    m_budgetNote->setText(tr("None of the ticked runs is part of a label-budget sweep (finished runs of one strategy, "
                             "domain pair and model at two or more target-label budgets), so there is no curve to "
                             "draw.\n\nTo make one: New Experiment, tick several budgets under \"Target labels per "
                             "class\"."));
}

void ComparisonView::showWarnings()
{
    QStringList lines;
    const QString color = ThemeController::warningColor(palette()).name();
    for (const QString &w : std::as_const(m_warnings))
        lines << QStringLiteral("<span style='color:%1'>⚠ %2</span>").arg(color, w.toHtmlEscaped());
    for (const QString &p : std::as_const(m_paired))
        lines << QStringLiteral("Δ %1").arg(p.toHtmlEscaped());
    m_warningLabel->setText(lines.join(QStringLiteral("<br>")));
    m_warningArea->setVisible(!lines.isEmpty());
}

bool ComparisonView::exportCsv(const QTableWidget *table, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    QStringList header;
    for (int c = 0; c < table->columnCount(); ++c)
        header << csvField(table->horizontalHeaderItem(c) ? table->horizontalHeaderItem(c)->text() : QString());
    QByteArray text = header.join(QLatin1Char(',')).toUtf8() + '\n';
    for (int r = 0; r < table->rowCount(); ++r) {
        QStringList fields;
        for (int c = 0; c < table->columnCount(); ++c)
            fields << csvField(table->item(r, c) ? table->item(r, c)->text() : QString());
        text += fields.join(QLatin1Char(',')).toUtf8() + '\n';
    }
    file.write(text);
    if (!file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void ComparisonView::exportChartDialog()
{
    MetricChart *chart = m_pages->currentIndex() == kBudgetPage ? m_budget : m_curves;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Chart"), QStringLiteral("comparison.png"),
                                                      tr("PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg)"));
    QString error;
    if (!path.isEmpty() && !chart->exportTo(path, &error))
        QMessageBox::critical(this, tr("Cannot export the chart"), error);
}

void ComparisonView::exportTableDialog()
{
    if (m_showingBenchmark && m_pages->currentIndex() == kMatrixPage) {
        QString filter;
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Benchmark Table"), QStringLiteral("benchmark.csv"),
                                                          tr("CSV table (*.csv);;LaTeX table (*.tex)"), &filter);
        if (path.isEmpty())
            return;
        const bool latex = path.endsWith(QLatin1String(".tex")) || filter.contains(QLatin1String("*.tex"));
        QSaveFile file(path);
        const QByteArray bytes = (latex ? m_benchmarkTable.toLatex() : m_benchmarkTable.toCsv()).toUtf8();
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
            QMessageBox::critical(this, tr("Cannot export the table"), tr("%1: %2").arg(path, file.errorString()));
        return;
    }
    const QTableWidget *table = m_pages->currentIndex() == kMatrixPage ? m_matrix : m_summary;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Table"), QStringLiteral("comparison.csv"),
                                                      tr("CSV table (*.csv)"));
    QString error;
    if (!path.isEmpty() && !exportCsv(table, path, &error))
        QMessageBox::critical(this, tr("Cannot export the table"), error);
}

} // namespace ts::ui
