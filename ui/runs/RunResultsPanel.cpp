#include "runs/RunResultsPanel.h"

#include "charts/ChartStyle.h"
#include "theme/ThemeController.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>

namespace ts::ui {

namespace {

// Top of the reliability diagram's accuracy axis: room above a bar at 1 for its count.
constexpr double kCountHeadroom = 1.12;

QString value(double v, int decimals = 3)
{
    return v < 0 || std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'f', decimals);
}

QTableWidgetItem *cell(const QString &text, Qt::Alignment alignment = Qt::AlignRight | Qt::AlignVCenter)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setTextAlignment(alignment);
    return item;
}

QTableWidget *makeTable(QWidget *parent, const QString &name)
{
    auto *table = new QTableWidget(parent);
    table->setObjectName(name);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    return table;
}

} // namespace

RunResultsPanel::RunResultsPanel(QWidget *parent) : QWidget(parent)
{
    m_headline = new QLabel(this);
    m_headline->setObjectName(QStringLiteral("resultsHeadline"));
    m_headline->setWordWrap(true);
    QFont bold = m_headline->font();
    bold.setBold(true);
    m_headline->setFont(bold);
    m_warnings = new QLabel(this);
    m_warnings->setObjectName(QStringLiteral("resultsWarnings"));
    m_warnings->setWordWrap(true);
    m_baseline = new QLabel(this);
    m_baseline->setWordWrap(true);
    m_addBaseline = new QPushButton(tr("Add Source-Only Baseline"), this);
    m_addBaseline->setObjectName(QStringLiteral("addBaseline"));
    m_addBaseline->setToolTip(tr("Queue a source-only run with exactly this run's settings and seeds, "
                                 "so that this strategy can be judged against plain fine-tuning"));
    connect(m_addBaseline, &QPushButton::clicked, this, [this] { Q_EMIT baselineRequested(m_summary.run.id); });

    m_results = makeTable(this, QStringLiteral("resultsTable"));
    m_results->setColumnCount(8);
    m_results->setHorizontalHeaderLabels({tr("Domain"), tr("Split"), tr("Texts"), tr("Accuracy"), tr("Macro-F1"),
                                          tr("ECE"), tr("Majority acc."), tr("Majority F1")});
    m_results->horizontalHeaderItem(5)->setToolTip(tr("Expected calibration error (15 bins): how far the model's "
                                                      "confidence is from how often it is right; 0 is perfect"));
    m_results->horizontalHeaderItem(6)->setToolTip(tr("Accuracy of always answering the split's most frequent label"));
    m_results->verticalHeader()->hide();

    m_sourceCaption = new QLabel(this);
    m_targetCaption = new QLabel(this);
    m_sourceConfusion = makeTable(this, QStringLiteral("sourceConfusion"));
    m_targetConfusion = makeTable(this, QStringLiteral("targetConfusion"));
    m_reliability = new QCustomPlot(this);
    m_reliability->setObjectName(QStringLiteral("reliabilityDiagram"));
    m_reliability->setMinimumSize(260, 200);
    m_reliability->setToolTip(tr("Reliability diagram of the target: bars are how often the model is right at each "
                                 "confidence, with the number of texts above each; a calibrated model follows the "
                                 "diagonal"));
    m_reliabilityTitle = new QCPTextElement(m_reliability, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
    m_reliability->plotLayout()->insertRow(0);
    m_reliability->plotLayout()->addElement(0, 0, m_reliabilityTitle);

    auto *baselineRow = new QHBoxLayout;
    baselineRow->addWidget(m_baseline, 1);
    baselineRow->addWidget(m_addBaseline);
    // Tables as large as their contents; the reliability diagram takes the rest of the row.
    for (QTableWidget *table : {m_results, m_sourceConfusion, m_targetConfusion}) {
        table->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Maximum);
        table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    }
    for (QLabel *caption : {m_sourceCaption, m_targetCaption})
        caption->setWordWrap(true);
    auto *matrices = new QGridLayout;
    matrices->addWidget(m_sourceCaption, 0, 0);
    matrices->addWidget(m_targetCaption, 0, 1);
    matrices->addWidget(m_sourceConfusion, 1, 0, Qt::AlignTop | Qt::AlignLeft);
    matrices->addWidget(m_targetConfusion, 1, 1, Qt::AlignTop | Qt::AlignLeft);
    matrices->addWidget(m_reliability, 0, 2, 3, 1);
    matrices->setRowStretch(2, 1);
    matrices->setColumnStretch(2, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_headline);
    layout->addWidget(m_warnings);
    layout->addLayout(baselineRow);
    layout->addWidget(m_results, 0, Qt::AlignLeft);
    layout->addLayout(matrices, 1);
    applyPalette();
    setSummary({});
}

QTableWidget *RunResultsPanel::confusionTable(Domain domain) const
{
    return domain == Domain::Source ? m_sourceConfusion : m_targetConfusion;
}

void RunResultsPanel::setSummary(const RunSummary &summary)
{
    m_summary = summary;
    const DomainResult &target = summary.target;
    if (!target.isValid() && !summary.source.isValid())
        m_headline->setText(summary.run.status == RunRecord::Status::Finished
                                ? tr("This run has no classification results (it trains a language model).")
                                : tr("Results appear when the run finishes: every text of each domain's test split "
                                     "(validation when the corpus has none) is evaluated."));
    else if (target.isValid())
        m_headline->setText(tr("Target (%1): accuracy %2, macro-F1 %3; always answering the most frequent label "
                               "scores %4.%5")
                                .arg(target.describe(), value(target.accuracy), value(target.macroF1),
                                     value(target.majorityAccuracy),
                                     std::isnan(summary.gap()) ? QString()
                                                               : tr(" Transfer gap (source − target accuracy): %1.")
                                                                     .arg(value(summary.gap(), 3))));
    else
        m_headline->setText(tr("Source (%1): accuracy %2").arg(summary.source.describe(), value(summary.source.accuracy)));
    m_warnings->setText(summary.warningTexts.isEmpty()
                            ? QString()
                            : QStringLiteral("⚠ ") + summary.warningTexts.join(QStringLiteral("\n⚠ ")));
    m_warnings->setVisible(!summary.warningTexts.isEmpty());
    const bool isBaseline = summary.isBaseline();
    if (summary.baselineRunId > 0)
        m_baseline->setText(tr("Source-only baseline with the same settings: run %1, target accuracy %2.")
                                .arg(summary.baselineRunId)
                                .arg(value(summary.baselineTargetAccuracy)));
    else
        m_baseline->setText(isBaseline ? tr("This run is the source-only baseline other strategies are compared with.")
                                       : tr("No source-only run with the same settings yet."));
    m_addBaseline->setVisible(!isBaseline && summary.baselineRunId == 0 && summary.run.id > 0);
    fillResults();
    fillConfusion(m_sourceConfusion, m_sourceCaption, summary.source);
    fillConfusion(m_targetConfusion, m_targetCaption, summary.target);
    fillReliability();
}

void RunResultsPanel::fillResults()
{
    m_results->setRowCount(0);
    for (Domain domain : {Domain::Source, Domain::Target}) {
        const DomainResult &r = m_summary.result(domain);
        if (!r.isValid())
            continue;
        const int row = m_results->rowCount();
        m_results->insertRow(row);
        m_results->setItem(row, 0, cell(domainName(domain), Qt::AlignLeft | Qt::AlignVCenter));
        m_results->setItem(row, 1, cell(r.split.section(QLatin1Char('/'), 1), Qt::AlignLeft | Qt::AlignVCenter));
        m_results->setItem(row, 2, cell(r.examples < r.available ? tr("%1 of %2").arg(r.examples).arg(r.available)
                                                                 : QString::number(r.examples)));
        m_results->setItem(row, 3, cell(value(r.accuracy)));
        m_results->setItem(row, 4, cell(value(r.macroF1)));
        m_results->setItem(row, 5, cell(value(r.ece)));
        m_results->setItem(row, 6, cell(value(r.majorityAccuracy)));
        m_results->setItem(row, 7, cell(value(r.majorityMacroF1)));
    }
}

void RunResultsPanel::fillConfusion(QTableWidget *table, QLabel *caption, const DomainResult &result)
{
    const int classes = int(result.confusion.size());
    table->clear();
    table->setVisible(classes > 0);
    caption->setVisible(classes > 0);
    if (classes == 0)
        return;
    caption->setText(tr("%1: rows are true labels, columns predicted").arg(result.describe()));
    // The matrix, then each class's recall; a last row of precisions.
    table->setRowCount(classes + 1);
    table->setColumnCount(classes + 1);
    QStringList columns = result.classes;
    columns.append(tr("recall"));
    QStringList rows = result.classes;
    rows.append(tr("precision"));
    table->setHorizontalHeaderLabels(columns);
    table->setVerticalHeaderLabels(rows);
    for (int t = 0; t < classes; ++t) {
        for (int p = 0; p < classes; ++p) {
            QTableWidgetItem *item = cell(QString::number(result.confusion[t][p]));
            if (t == p) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
            }
            table->setItem(t, p, item);
        }
        table->setItem(t, classes, cell(value(result.perClass.value(t).recall)));
        table->setItem(classes, t, cell(value(result.perClass.value(t).precision)));
    }
    table->setItem(classes, classes, cell(QString()));
}

void RunResultsPanel::fillReliability()
{
    m_reliability->clearPlottables();
    m_reliability->clearItems();
    const DomainResult &r = m_summary.target;
    m_reliability->setVisible(!r.calibration.isEmpty());
    if (r.calibration.isEmpty())
        return;
    auto *bars = new QCPBars(m_reliability->xAxis, m_reliability->yAxis);
    bars->setName(tr("accuracy"));
    const double width = 1.0 / r.calibration.size();
    bars->setWidth(width * 0.9);
    const QFont countFont(font().family(), font().pointSize() - 2);
    for (int b = 0; b < r.calibration.size(); ++b) {
        if (r.calibration[b].count == 0)
            continue;
        bars->addData((b + 0.5) * width, r.calibration[b].accuracy);
        // How many texts the bar stands for: a bar of 2 texts says little about calibration.
        auto *count = new QCPItemText(m_reliability);
        count->position->setCoords((b + 0.5) * width, r.calibration[b].accuracy);
        count->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        count->setFont(countFont);
        count->setColor(palette().color(QPalette::Text));
        count->setText(QLocale().toString(r.calibration[b].count));
    }
    bars->setBrush(QColor(0xff, 0x7f, 0x0e, 160));
    bars->setPen(Qt::NoPen);
    QCPGraph *diagonal = m_reliability->addGraph();
    diagonal->setData({0.0, 1.0}, {0.0, 1.0});
    diagonal->setPen(QPen(palette().color(QPalette::Text), 1.0, Qt::DashLine));
    m_reliabilityTitle->setText(tr("Reliability · %1").arg(r.describe()));
    m_reliability->xAxis->setRange(0, 1);
    m_reliability->yAxis->setRange(0, kCountHeadroom); // room for the counts above bars at accuracy 1
    m_reliability->xAxis->setLabel(tr("confidence"));
    m_reliability->yAxis->setLabel(tr("accuracy"));
    m_reliability->replot();
}

void RunResultsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QWidget::changeEvent(event);
}

void RunResultsPanel::applyPalette()
{
    m_warnings->setStyleSheet(QStringLiteral("color: %1;").arg(ThemeController::warningColor(palette()).name()));
    ChartStyle::apply(m_reliability, palette());
    fillReliability(); // the diagonal and the counts take the text colour
}

} // namespace ts::ui
