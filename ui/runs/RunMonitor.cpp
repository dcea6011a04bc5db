#include "runs/RunMonitor.h"

#include "charts/MetricChart.h"
#include "main/Plural.h"
#include "project/RunSummary.h"
#include "project/RunVocabulary.h"
#include "runs/PredictionBrowser.h"
#include "runs/RunResultsPanel.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>

namespace ts::ui {

namespace {

const QColor kTrainColor; // invalid: the palette's text colour, light or dark with the theme
const QColor kSourceColor(0x1f, 0x77, 0xb4);
const QColor kTargetColor(0xff, 0x7f, 0x0e);
const QColor kDomainColor(0x2c, 0xa0, 0x2c);
// Columns of the training tab's chart grid: divisible by 2 (the upper charts) and by 1, 2 and 3
// (the lower ones: learning rate, gradient norm, DANN's domain classifier).
constexpr int kChartColumns = 6;

const QString kSourceValidation = Splits::kSourceValidation;
const QString kTargetValidation = Splits::kTargetValidation;
const QString kTargetTest = Splits::kTargetTest;
const QString kSourceTest = Splits::kSourceTest;
// Metrics the Compare box starts with, the first one the run records: classifiers have accuracy,
// pre-training runs (continued-pretraining, DAPT's first phase) only perplexity.
const QStringList kPreferredCompared = {Metrics::kAccuracy, Metrics::kPerplexity, Metrics::kMacroF1};

QString metricLabel(const QString &metric)
{
    if (metric == Metrics::kMacroF1)
        return QObject::tr("macro-F1");
    return metric;
}

} // namespace

RunMonitor::RunMonitor(QWidget *parent) : QWidget(parent)
{
    m_title = new QLabel(this);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true); // a long run name wraps rather than widening the window
    m_stats = new QLabel(this);
    m_stats->setObjectName(QStringLiteral("runStatus"));
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stats->setWordWrap(true);
    // Never wider than the page: a long status (a path in an error) wraps or is cut, not the panel.
    m_stats->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(240);

    m_metric = new QComboBox(this);
    m_metric->setObjectName(QStringLiteral("comparedMetric"));
    m_metric->setToolTip(tr("The metric compared between the source and the target domain"));
    m_metric->addItem(metricLabel(Metrics::kAccuracy), QString(Metrics::kAccuracy));
    connect(m_metric, &QComboBox::currentIndexChanged, this, &RunMonitor::rebuildTransferChart);
    connect(m_metric, &QComboBox::currentIndexChanged, this, [this] { m_metricChosen = !m_choosingMetric; });

    m_pause = new QPushButton(tr("Pause"), this);
    m_resume = new QPushButton(tr("Resume"), this);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_export = new QPushButton(tr("Export Charts…"), this);
    m_tryIt = new QPushButton(tr("Try It…"), this);
    m_tryIt->setObjectName(QStringLiteral("tryItButton"));
    m_tryIt->setToolTip(tr("Type a text and see what this run's model makes of it (once the run has finished)"));
    m_tryIt->setEnabled(false);
    m_pause->setToolTip(tr("Hold training after the current batch; nothing is lost"));
    m_resume->setToolTip(tr("Continue training (from the last checkpoint when the run was stopped)"));
    m_cancel->setToolTip(tr("Stop training after the current batch and keep a checkpoint to resume from"));
    connect(m_pause, &QPushButton::clicked, this, [this] { Q_EMIT pauseRequested(m_run.id); });
    connect(m_resume, &QPushButton::clicked, this, [this] { Q_EMIT resumeRequested(m_run.id); });
    connect(m_cancel, &QPushButton::clicked, this, [this] { Q_EMIT cancelRequested(m_run.id); });
    connect(m_export, &QPushButton::clicked, this, &RunMonitor::exportDialog);
    connect(m_tryIt, &QPushButton::clicked, this, [this] { Q_EMIT tryItRequested(m_run.id); });

    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(new QLabel(tr("Compare:"), this));
    header->addWidget(m_metric);
    header->addWidget(m_pause);
    header->addWidget(m_resume);
    header->addWidget(m_cancel);
    header->addWidget(m_export);
    header->addWidget(m_tryIt);
    auto *status = new QHBoxLayout;
    status->addWidget(m_progress);
    status->addWidget(m_stats, 1);

    m_loss = new MetricChart(tr("Loss"), tr("loss"), this);
    m_loss->addCurve(Splits::kTrain, tr("training"), kTrainColor);
    m_loss->addCurve(Splits::kPretrain, tr("pre-training (language model)"), kTrainColor, Qt::DashDotLine);
    m_loss->addCurve(kSourceValidation, tr("source validation"), kSourceColor, Qt::DashLine);
    m_loss->addCurve(kTargetValidation, tr("target validation"), kTargetColor, Qt::DashLine);
    m_transfer = new MetricChart(tr("Source vs target"), metricLabel(Metrics::kAccuracy), this);
    m_domain = new MetricChart(tr("Domain classifier accuracy"), tr("accuracy (0.5: chance)"), this);
    m_domain->addCurve(QStringLiteral("domain"), tr("domain classifier (0.5 = domains indistinguishable)"), kDomainColor);
    m_domain->setLegendShown(false);
    m_domain->setToolTip(tr("DANN trains features that the domain classifier cannot tell apart: "
                            "this curve should fall towards 0.5"));
    m_learningRate = new MetricChart(tr("Learning rate"), tr("learning rate"), this);
    m_learningRate->addCurve(QStringLiteral("lr"), tr("learning rate"), kTrainColor);
    m_learningRate->setLegendShown(false);
    m_domain->hide();
    m_gradientNorm = new MetricChart(tr("Gradient norm"), tr("norm before clipping"), this);
    m_gradientNorm->addCurve(QString(Metrics::kGradientNorm), tr("gradient norm before clipping"), kTrainColor);
    m_gradientNorm->setLegendShown(false);
    m_gradientNorm->setToolTip(tr("The size of each step's update before gradient clipping scales it down to the "
                                  "clipping limit. A norm far above the limit for many steps means one loss "
                                  "dominates every update (for example a new language-model head), and a jump "
                                  "warns of divergence."));
    m_gradientNorm->hide();

    // Source vs target and the loss side by side, with more of the height than the smaller charts
    // in one row under them (kChartColumns: the two upper ones span half each, the lower ones share).
    m_charts = new QGridLayout;
    m_charts->addWidget(m_transfer, 0, 0, 1, kChartColumns / 2);
    m_charts->addWidget(m_loss, 0, kChartColumns / 2, 1, kChartColumns / 2);
    m_charts->setRowStretch(0, 3);
    m_charts->setRowStretch(1, 2);
    for (int column = 0; column < kChartColumns; ++column)
        m_charts->setColumnStretch(column, 1);
    placeLowerCharts();

    auto *training = new QWidget(this);
    training->setLayout(m_charts);
    m_results = new RunResultsPanel(this);
    m_predictions = new PredictionBrowser(this);
    connect(m_results, &RunResultsPanel::baselineRequested, this, &RunMonitor::baselineRequested);
    m_views = new QTabWidget(this);
    m_views->setObjectName(QStringLiteral("monitorViews"));
    m_views->setDocumentMode(true);
    m_views->addTab(training, tr("Trai&ning"));
    // In scroll areas: their tables' widths must not widen the monitor (and the window) beyond
    // the room the project panel leaves.
    const auto scrolled = [this](QWidget *page) {
        auto *area = new QScrollArea(this);
        area->setWidget(page);
        area->setWidgetResizable(true);
        area->setFrameShape(QFrame::NoFrame);
        return area;
    };
    m_views->addTab(scrolled(m_results), tr("R&esults"));
    m_views->addTab(scrolled(m_predictions), tr("Target &texts"));
    m_views->setTabToolTip(1, tr("Both domains' results on every text of their test split, baselines, confusion "
                                 "matrices and calibration"));
    m_views->setTabToolTip(2, tr("What the model predicted for each target text: find the texts it gets wrong"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addLayout(status);
    layout->addWidget(m_views, 1);
    rebuildTransferChart();
    setStatus(RunRecord::Status::Queued);
}

void RunMonitor::setRun(const RunRecord &run)
{
    m_run = run;
    m_points.clear();
    m_texts.clear();
    m_title->setText(tr("Run %1 · %2").arg(run.id).arg(run.name.isEmpty() ? run.strategy : run.name));
    m_stats->clear();
    m_progress->setValue(0);
    for (MetricChart *chart : {m_loss, m_transfer, m_domain, m_learningRate, m_gradientNorm})
        chart->clearPoints();
    m_domain->hide();
    m_gradientNorm->hide();
    placeLowerCharts();
    m_metricChosen = false;
    m_comparable.clear();
    updateLegends();
    RunSummary empty;
    empty.run = run;
    m_results->setSummary(empty);
    m_predictions->setPredictions({}, {});
    setStatus(run.status);
}

QString RunMonitor::statusText() const
{
    return m_stats->text();
}

QString RunMonitor::comparedMetric() const
{
    return m_metric->currentData().toString();
}

void RunMonitor::setComparedMetric(const QString &metric)
{
    showComparedMetric(metric);
    m_metricChosen = true;
}

void RunMonitor::showComparedMetric(const QString &metric)
{
    const QScopedValueRollback<bool> choosing(m_choosingMetric, true);
    int index = m_metric->findData(metric);
    if (index < 0) {
        m_metric->addItem(metricLabel(metric), metric);
        index = m_metric->count() - 1;
    }
    m_metric->setCurrentIndex(index);
}

void RunMonitor::appendMetrics(const MetricPoints &points)
{
    for (const MetricPoint &point : points) {
        if (point.runId != m_run.id)
            continue;
        m_points.append(point);
        const bool comparable = point.split == kSourceValidation || point.split == kTargetValidation;
        if (comparable)
            m_comparable.insert(point.metric);
        if (comparable && point.metric != Metrics::kLoss && !Metrics::isBookkeeping(point.metric) &&
            m_metric->findData(point.metric) < 0)
            m_metric->addItem(metricLabel(point.metric), point.metric);
        route(point);
    }
    preferRecordedMetric();
}

void RunMonitor::preferRecordedMetric()
{
    if (m_metricChosen)
        return;
    for (const QString &metric : kPreferredCompared) {
        if (m_comparable.contains(metric)) {
            if (metric != comparedMetric())
                showComparedMetric(metric);
            return;
        }
    }
}

void RunMonitor::route(const MetricPoint &point)
{
    if (Metrics::isBookkeeping(point.metric)) {
        if (point.metric == Metrics::kExamples || point.metric == Metrics::kAvailable) {
            QPair<int, int> &texts = m_texts[point.split];
            (point.metric == Metrics::kExamples ? texts.first : texts.second) = int(point.value);
            updateLegends();
        }
        return;
    }
    const double x = double(point.step);
    if (point.metric == Metrics::kLoss) {
        m_loss->appendPoint(point.split, x, point.value);
    } else if (point.metric == QLatin1String("lr")) {
        m_learningRate->appendPoint(QStringLiteral("lr"), x, point.value);
    } else if (point.metric == QLatin1String("domain_accuracy")) {
        if (m_domain->isHidden()) {
            m_domain->show();
            placeLowerCharts();
        }
        m_domain->appendPoint(QStringLiteral("domain"), x, point.value);
    } else if (point.metric == Metrics::kGradientNorm) {
        if (m_gradientNorm->isHidden()) {
            m_gradientNorm->show();
            placeLowerCharts();
        }
        m_gradientNorm->appendPoint(point.metric, x, point.value);
    }
    if (point.metric == comparedMetric())
        m_transfer->appendPoint(point.split, x, point.value);
}

QString RunMonitor::legendFor(const QString &split, const QString &base) const
{
    const QPair<int, int> texts = m_texts.value(split);
    if (texts.first <= 0)
        return base;
    if (texts.second > texts.first)
        return tr("%1, %2 of %3 texts").arg(base).arg(texts.first).arg(texts.second);
    return tr("%1, %2 texts").arg(base).arg(texts.first);
}

void RunMonitor::updateLegends()
{
    const struct
    {
        MetricChart *chart;
        QString split;
        QString base;
    } curves[] = {{m_loss, kSourceValidation, tr("source validation")},
                  {m_loss, kTargetValidation, tr("target validation")},
                  {m_transfer, kSourceValidation, tr("source (validation")},
                  {m_transfer, kTargetValidation, tr("target (validation")},
                  {m_transfer, kSourceTest, tr("source (test")},
                  {m_transfer, kTargetTest, tr("target (test")}};
    for (const auto &c : curves) {
        QString legend = legendFor(c.split, c.base);
        if (c.base.contains(QLatin1Char('(')))
            legend += QLatin1Char(')');
        c.chart->setCurveLegend(c.split, legend);
    }
}

void RunMonitor::placeLowerCharts()
{
    // The lower charts shown (DANN's domain classifier and the gradient norm only when recorded)
    // share the row under the upper two equally.
    QList<MetricChart *> shown;
    for (MetricChart *chart : {m_domain, m_learningRate, m_gradientNorm}) {
        m_charts->removeWidget(chart);
        // The learning rate is always there (before the window is shown every child is hidden).
        if (chart == m_learningRate || !chart->isHidden())
            shown.append(chart);
    }
    const int span = kChartColumns / int(shown.size());
    for (int i = 0; i < shown.size(); ++i)
        m_charts->addWidget(shown[i], 1, i * span, 1, span);
}

void RunMonitor::rebuildTransferChart()
{
    const QString metric = comparedMetric();
    auto *fresh = new MetricChart(tr("Source vs target: %1").arg(metricLabel(metric)), metricLabel(metric), this);
    fresh->addCurve(kSourceValidation, tr("source (validation)"), kSourceColor);
    fresh->addCurve(kTargetValidation, tr("target (validation)"), kTargetColor);
    fresh->addCurve(kSourceTest, tr("source (test)"), kSourceColor);
    fresh->addCurve(kTargetTest, tr("target (test)"), kTargetColor);
    fresh->showAsMarkers(kSourceTest);
    fresh->showAsMarkers(kTargetTest);
    fresh->shadeBetween(kSourceValidation, kTargetValidation, kTargetColor);
    fresh->setToolTip(tr("The shaded area is the transfer gap: how much worse the model does on the "
                         "target domain than on the source domain it was trained on"));
    for (const MetricPoint &p : std::as_const(m_points)) {
        if (p.metric == metric)
            fresh->appendPoint(p.split, double(p.step), p.value);
    }
    delete m_charts->replaceWidget(m_transfer, fresh); // the layout item of the old chart is ours to delete
    delete m_transfer;
    m_transfer = fresh;
    updateLegends();
    updateEmptyTexts();
}

void RunMonitor::setResults(const RunSummary &summary, const PredictionSet &targetPredictions, const QStringList &texts)
{
    if (summary.run.id != m_run.id)
        return;
    m_results->setSummary(summary);
    m_predictions->setPredictions(targetPredictions, texts);
}

void RunMonitor::showResults()
{
    m_views->setCurrentIndex(1);
}

void RunMonitor::setProgress(const TrainingProgress &progress)
{
    if (progress.runId != m_run.id)
        return;
    m_progress->setValue(int(progress.fraction() * 1000));
    QStringList parts;
    parts << tr("%1: step %2%3").arg(progress.phase).arg(progress.step)
                 .arg(progress.totalSteps > 0 ? QStringLiteral(" / %1").arg(progress.totalSteps) : QString());
    parts << tr("epoch %1").arg(progress.epoch, 0, 'f', 2);
    if (progress.samplesPerSecond > 0)
        parts << tr("%1 samples/s").arg(progress.samplesPerSecond, 0, 'f', 1);
    if (const QString eta = TrainingProgress::formatDuration(progress.etaSeconds); !eta.isEmpty())
        parts << tr("ETA %1").arg(eta);
    if (const QString memory = TrainingProgress::formatBytes(progress.deviceMemoryBytes); !memory.isEmpty())
        parts << tr("%1 on %2").arg(memory, progress.device);
    else if (!progress.device.isEmpty())
        parts << progress.device;
    m_stats->setText(parts.join(QStringLiteral(" · ")));
}

void RunMonitor::setStatus(RunRecord::Status status, bool paused)
{
    m_run.status = status;
    m_paused = paused;
    const bool running = status == RunRecord::Status::Running;
    const bool resumable = status == RunRecord::Status::Cancelled || status == RunRecord::Status::Interrupted;
    m_pause->setEnabled(m_controllable && running && !paused);
    m_resume->setEnabled(m_controllable && ((running && paused) || resumable));
    m_cancel->setEnabled(m_controllable && (running || status == RunRecord::Status::Queued));
    m_tryIt->setEnabled(status == RunRecord::Status::Finished);
    if (status == RunRecord::Status::Finished)
        m_progress->setValue(m_progress->maximum());
    if (!running || paused)
        m_stats->setText(RunRecord::describe(status, paused, m_run.errorText));
    updateEmptyTexts();
}

void RunMonitor::updateEmptyTexts()
{
    // A queued or running run's charts fill as it goes; one that has ended will get no more
    // points (a zero-shot run is evaluated once and takes no training step).
    const bool ended = m_run.status != RunRecord::Status::Queued && m_run.status != RunRecord::Status::Running;
    const QString noStep = ended ? tr("This run took no training step") : tr("Waiting for the first training step");
    m_loss->setEmptyText(noStep);
    m_learningRate->setEmptyText(noStep);
    m_transfer->setEmptyText(ended ? tr("This run recorded no evaluation") : tr("Waiting for the first evaluation"));
}

void RunMonitor::setControllable(bool controllable)
{
    m_controllable = controllable;
    const QString remote = tr("Another program (such as the command line) is training this run: control it there");
    for (QPushButton *button : {m_pause, m_resume, m_cancel})
        button->setStatusTip(controllable ? QString() : remote);
    m_title->setToolTip(controllable ? QString() : remote);
    setStatus(m_run.status, m_paused);
}

QStringList RunMonitor::exportCharts(const QString &folder, const QString &suffix, QString *error) const
{
    const struct
    {
        MetricChart *chart;
        const char *name;
    } charts[] = {{m_transfer, "source-vs-target"}, {m_loss, "loss"}, {m_domain, "domain"}, {m_learningRate, "lr"},
                    {m_gradientNorm, "grad-norm"}};
    QStringList written;
    for (const auto &c : charts) {
        if (!c.chart->hasPoints()) // DANN's domain chart of another strategy, a zero-shot run's loss
            continue;
        const QString path = QDir(folder).filePath(QStringLiteral("run%1-%2.%3").arg(m_run.id).arg(QLatin1String(c.name), suffix));
        if (!c.chart->exportTo(path, error))
            return written;
        written << path;
    }
    return written;
}

void RunMonitor::exportDialog()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export charts to"));
    if (folder.isEmpty())
        return;
    bool ok = false;
    const QString format = QInputDialog::getItem(this, tr("Export Charts"), tr("Format:"),
                                                 {QStringLiteral("png"), QStringLiteral("pdf"), QStringLiteral("svg")},
                                                 0, false, &ok);
    if (!ok)
        return;
    QString error;
    const QStringList written = exportCharts(folder, format, &error);
    if (!error.isEmpty())
        QMessageBox::critical(this, tr("Cannot export the charts"), error);
    else
        QMessageBox::information(this, tr("Charts exported"), plural(written.size(), tr("1 chart written to %2"), tr("%1 charts written to %2"))
                                                                     .arg(QDir::toNativeSeparators(folder)));
}

} // namespace ts::ui
