// The run monitor with real widgets (offscreen): points routed to the right charts, the compared
// metric switch, button states and signals, chart export in three formats.
#include "TempProject.h"

#include "charts/LegendNote.h"
#include "charts/MetricChart.h"
#include "runs/RunMonitor.h"

#include <QApplication>
#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QGridLayout>
#include <QTest>
#include <QToolTip>
#include <qcustomplot.h>

using namespace ts;

namespace {

MetricPoints trainingCurve(qint64 runId, int steps)
{
    MetricPoints points;
    for (int step = 1; step <= steps; ++step) {
        points.append({runId, step, step / 100.0, QStringLiteral("train"), QStringLiteral("loss"), 1.0 / step, 0});
        points.append({runId, step, step / 100.0, QStringLiteral("train"), QStringLiteral("lr"), 1e-4, 0});
        if (step % 10 == 0) {
            points.append({runId, step, step / 100.0, QStringLiteral("source/validation"), QStringLiteral("accuracy"), 0.9, 0});
            points.append({runId, step, step / 100.0, QStringLiteral("target/validation"), QStringLiteral("accuracy"), 0.7, 0});
            points.append({runId, step, step / 100.0, QStringLiteral("target/validation"), QStringLiteral("macro_f1"), 0.65, 0});
        }
    }
    return points;
}

RunRecord runningRun()
{
    RunRecord run;
    run.id = 7;
    run.strategy = QStringLiteral("dann");
    run.status = RunRecord::Status::Running;
    return run;
}

} // namespace

class TestRunMonitor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void routesPointsToCharts();
    void ignoresOtherRuns();
    void domainChartAppearsWithDannPoints();
    void gradientNormChartAppearsWithItsPoints();
    void switchingMetricRebuildsFromHistory();
    void buttonsFollowStatus();
    void exportsThreeFormats();
    void preTrainingRunShowsItsLossAndPerplexity();
    void userChoiceOfMetricStays();
    void legendListsOnlyCurvesWithPoints();
    void manyCurvesNameThemselvesInsteadOfALegend();
    void markerLabelsStayInsideTheAxes();
    void legendEntriesAreNeverCut();
    void runWithoutTrainingSaysSoInItsEmptyCharts();
};

void TestRunMonitor::routesPointsToCharts()
{
    ui::RunMonitor monitor;
    monitor.setRun(runningRun());
    monitor.appendMetrics(trainingCurve(7, 100));
    QCOMPARE(monitor.lossChart()->pointCount(QStringLiteral("train")), 100);
    QCOMPARE(monitor.learningRateChart()->pointCount(QStringLiteral("lr")), 100);
    QCOMPARE(monitor.transferChart()->pointCount(QStringLiteral("source/validation")), 10);
    QCOMPARE(monitor.transferChart()->pointCount(QStringLiteral("target/validation")), 10);
    QVERIFY(monitor.domainChart()->isHidden());
}

void TestRunMonitor::ignoresOtherRuns()
{
    ui::RunMonitor monitor;
    monitor.setRun(runningRun());
    monitor.appendMetrics(trainingCurve(8, 20));
    QCOMPARE(monitor.lossChart()->pointCount(QStringLiteral("train")), 0);
}

void TestRunMonitor::domainChartAppearsWithDannPoints()
{
    ui::RunMonitor monitor;
    monitor.setRun(runningRun());
    monitor.appendMetrics({{7, 5, 0.1, QStringLiteral("train"), QStringLiteral("domain_accuracy"), 0.8, 0}});
    QVERIFY(!monitor.domainChart()->isHidden());
    QCOMPARE(monitor.domainChart()->pointCount(QStringLiteral("domain")), 1);
}

void TestRunMonitor::gradientNormChartAppearsWithItsPoints()
{
    ui::RunMonitor monitor;
    monitor.setRun(runningRun());
    monitor.show();
    QVERIFY(monitor.gradientNormChart()->isHidden());
    auto *grid = qobject_cast<QGridLayout *>(monitor.learningRateChart()->parentWidget()->layout());
    QVERIFY(grid);
    const auto cell = [grid](QWidget *chart) {
        int row, column, rows, columns;
        grid->getItemPosition(grid->indexOf(chart), &row, &column, &rows, &columns);
        return QList<int>{row, column, columns};
    };
    // The lower charts share the row under source-vs-target and the loss (6 columns, 3 each).
    QCOMPARE(cell(monitor.learningRateChart()), (QList<int>{1, 0, 6})); // alone: the whole row
    monitor.appendMetrics({{7, 1, 0.01, QStringLiteral("train"), QStringLiteral("grad_norm"), 14.3, 0},
                           {7, 2, 0.02, QStringLiteral("train"), QStringLiteral("grad_norm"), 9.1, 0}});
    QVERIFY(!monitor.gradientNormChart()->isHidden());
    QCOMPARE(monitor.gradientNormChart()->pointCount(QStringLiteral("grad_norm")), 2);
    QCOMPARE(cell(monitor.learningRateChart()), (QList<int>{1, 0, 3}));
    QCOMPARE(cell(monitor.gradientNormChart()), (QList<int>{1, 3, 3}));
    // With DANN's domain classifier too, three in the row: no third row that would squeeze the
    // upper charts.
    monitor.appendMetrics({{7, 2, 0.02, QStringLiteral("train"), QStringLiteral("domain_accuracy"), 0.8, 0}});
    QCOMPARE(cell(monitor.domainChart()), (QList<int>{1, 0, 2}));
    QCOMPARE(cell(monitor.learningRateChart()), (QList<int>{1, 2, 2}));
    QCOMPARE(cell(monitor.gradientNormChart()), (QList<int>{1, 4, 2}));
    QCOMPARE(cell(monitor.transferChart()), (QList<int>{0, 0, 3}));
    QCOMPARE(cell(monitor.lossChart()), (QList<int>{0, 3, 3}));
    // Another run starts without it.
    monitor.setRun(runningRun());
    QVERIFY(monitor.gradientNormChart()->isHidden());
}

void TestRunMonitor::switchingMetricRebuildsFromHistory()
{
    ui::RunMonitor monitor;
    monitor.setRun(runningRun());
    monitor.appendMetrics(trainingCurve(7, 50));
    auto *combo = monitor.findChild<QComboBox *>(QStringLiteral("comparedMetric"));
    QVERIFY(combo);
    QVERIFY(combo->findData(QStringLiteral("macro_f1")) >= 0);
    combo->setCurrentIndex(combo->findData(QStringLiteral("macro_f1")));
    QCOMPARE(monitor.comparedMetric(), QStringLiteral("macro_f1"));
    QCOMPARE(monitor.transferChart()->pointCount(QStringLiteral("target/validation")), 5);
    QCOMPARE(monitor.transferChart()->pointCount(QStringLiteral("source/validation")), 0);
    // New points keep flowing into the rebuilt chart.
    monitor.appendMetrics({{7, 60, 0.6, QStringLiteral("target/validation"), QStringLiteral("macro_f1"), 0.7, 0}});
    QCOMPARE(monitor.transferChart()->pointCount(QStringLiteral("target/validation")), 6);
}

void TestRunMonitor::buttonsFollowStatus()
{
    ui::RunMonitor monitor;
    monitor.setRun(runningRun());
    auto button = [&monitor](const QString &text) {
        for (QPushButton *b : monitor.findChildren<QPushButton *>()) {
            if (b->text() == text)
                return b;
        }
        return static_cast<QPushButton *>(nullptr);
    };
    QPushButton *pause = button(QStringLiteral("Pause"));
    QPushButton *resume = button(QStringLiteral("Resume"));
    QPushButton *cancel = button(QStringLiteral("Cancel"));
    QVERIFY(pause && resume && cancel);
    QVERIFY(pause->isEnabled() && cancel->isEnabled() && !resume->isEnabled());

    QSignalSpy cancelSpy(&monitor, &ui::RunMonitor::cancelRequested);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QCOMPARE(cancelSpy.count(), 1);
    QCOMPARE(cancelSpy.first().first().toLongLong(), 7);

    monitor.setStatus(RunRecord::Status::Running, true);
    QVERIFY(!pause->isEnabled() && resume->isEnabled());
    monitor.setStatus(RunRecord::Status::Cancelled);
    QVERIFY(!pause->isEnabled() && resume->isEnabled() && !cancel->isEnabled());
    monitor.setStatus(RunRecord::Status::Finished);
    QVERIFY(!pause->isEnabled() && !resume->isEnabled() && !cancel->isEnabled());
}

void TestRunMonitor::exportsThreeFormats()
{
    ui::RunMonitor monitor;
    monitor.resize(1000, 700);
    monitor.setRun(runningRun());
    monitor.appendMetrics(trainingCurve(7, 200));
    test::TempFolder dir;
    const QByteArray signatures[][2] = {{"png", "\x89PNG"}, {"pdf", "%PDF"}, {"svg", "<svg"}};
    for (const auto &entry : signatures) {
        QString error;
        const QStringList files = monitor.exportCharts(dir.path(QString()), QString::fromLatin1(entry[0]), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(files.size(), 3); // no domain chart without DANN points
        for (const QString &path : files) {
            QFile file(path);
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
            QVERIFY2(file.read(400).contains(entry[1]), qPrintable(path));
            QVERIFY(file.size() > 1000);
        }
    }
    QString error;
    QVERIFY(!monitor.lossChart()->exportTo(dir.path(QStringLiteral("chart.bmpx")), &error));
    QVERIFY(error.contains(QLatin1String("bmpx")));
}

void TestRunMonitor::preTrainingRunShowsItsLossAndPerplexity()
{
    // What continued-pretraining records: its training loss under "pretrain", perplexity and
    // lm_loss on the validation splits, no accuracy.
    MetricPoints points;
    for (int step = 1; step <= 40; ++step) {
        points.append({7, step, step / 40.0, QStringLiteral("pretrain"), QStringLiteral("loss"), 9.0 - step / 10.0, 0});
        points.append({7, step, step / 40.0, QStringLiteral("pretrain"), QStringLiteral("lr"), 1e-3, 0});
        if (step % 10 == 0) {
            for (const char *split : {"source/validation", "target/validation"}) {
                points.append({7, step, step / 40.0, QLatin1String(split), QStringLiteral("perplexity"), 500.0 - step, 0});
                points.append({7, step, step / 40.0, QLatin1String(split), QStringLiteral("lm_loss"), 6.0, 0});
            }
        }
    }
    ui::RunMonitor monitor;
    monitor.setRun(runningRun());
    monitor.appendMetrics(points);
    QCOMPARE(monitor.lossChart()->pointCount(QStringLiteral("pretrain")), 40);
    QCOMPARE(monitor.comparedMetric(), QStringLiteral("perplexity"));
    QCOMPARE(monitor.transferChart()->pointCount(QStringLiteral("source/validation")), 4);
    QCOMPARE(monitor.transferChart()->pointCount(QStringLiteral("target/validation")), 4);
}

void TestRunMonitor::userChoiceOfMetricStays()
{
    ui::RunMonitor monitor;
    monitor.setRun(runningRun());
    monitor.appendMetrics(trainingCurve(7, 20)); // accuracy and macro-F1
    QCOMPARE(monitor.comparedMetric(), QStringLiteral("accuracy"));
    monitor.setComparedMetric(QStringLiteral("ece"));
    monitor.appendMetrics(trainingCurve(7, 40).mid(60));
    QCOMPARE(monitor.comparedMetric(), QStringLiteral("ece"));
}

void TestRunMonitor::legendListsOnlyCurvesWithPoints()
{
    ui::RunMonitor monitor;
    monitor.resize(1000, 700);
    monitor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&monitor));
    monitor.setRun(runningRun());
    monitor.appendMetrics(trainingCurve(7, 30));
    QCustomPlot *plot = monitor.lossChart()->plot();
    QTRY_VERIFY(plot->legend->hasItemWithPlottable(plot->graph(0))); // training
    QVERIFY(!plot->legend->hasItemWithPlottable(plot->graph(2))); // no source validation loss recorded
    QCOMPARE(plot->legend->itemCount(), 1);
    QVERIFY(plot->legend->visible());
    // Under the axes, not over the curves: the legend is a row of the chart's layout.
    QCOMPARE(plot->legend->layout(), plot->plotLayout());
    QVERIFY(plot->legend->outerRect().top() >= plot->axisRect()->outerRect().bottom());
}

void TestRunMonitor::manyCurvesNameThemselvesInsteadOfALegend()
{
    ui::MetricChart chart(QStringLiteral("accuracy"), QStringLiteral("accuracy"));
    chart.resize(800, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const auto addRun = [&chart](int run) {
        const QString key = QStringLiteral("run %1").arg(run);
        chart.addCurve(key, key, Qt::blue);
        chart.appendPoints(key, {0.0, 10.0}, {0.1 * run, 0.1 * run}); // flat, one above the other
    };
    for (int run = 1; run <= 12; ++run)
        addRun(run);
    QCustomPlot *plot = chart.plot();
    QTRY_COMPARE(plot->legend->itemCount(), 12);
    plot->replot(); // lays the chart out now, not at the next queued redraw
    const int listedHeight = plot->legend->outerRect().height();

    addRun(13); // one more than a legend lists: with dozens it would take the axes' height
    QTRY_COMPARE(plot->legend->itemCount(), 1);
    plot->replot();
    auto *note = dynamic_cast<ui::LegendNote *>(plot->legend->item(0));
    QVERIFY(note);
    QVERIFY(plot->legend->visible());
    QVERIFY(plot->legend->outerRect().height() < listedHeight / 3);
    QVERIFY(plot->legend->outerRect().top() >= plot->axisRect()->outerRect().bottom());
    QCOMPARE(plot->axisRect()->outerRect().width(), plot->viewport().width()); // the axes keep the width

    // Resting on run 7's line names it; off the lines the chart's own help shows.
    const QPoint at(int(plot->xAxis->coordToPixel(5.0)), int(plot->yAxis->coordToPixel(0.7)));
    QHelpEvent onCurve(QEvent::ToolTip, at, plot->mapToGlobal(at));
    QApplication::sendEvent(plot, &onCurve);
    QTRY_COMPARE(QToolTip::text(), QStringLiteral("run 7"));
    const QPoint between(at.x(), int(plot->yAxis->coordToPixel(0.75)));
    QHelpEvent offCurves(QEvent::ToolTip, between, plot->mapToGlobal(between));
    QApplication::sendEvent(plot, &offCurves);
    QTRY_VERIFY(QToolTip::text().startsWith(QStringLiteral("Drag to move")));
}

void TestRunMonitor::markerLabelsStayInsideTheAxes()
{
    // A final test result at the right end and a zero-shot run's one evaluation at step 0: each
    // value is written on the side with room, not across the axis.
    ui::MetricChart chart(QStringLiteral("accuracy"), QStringLiteral("accuracy"));
    chart.resize(800, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.addCurve(QStringLiteral("line"), QStringLiteral("training"), Qt::black);
    chart.appendPoints(QStringLiteral("line"), {0.0, 100.0}, {0.5, 0.8});
    for (const auto &[key, step] : {std::pair{QStringLiteral("start"), 0.0}, std::pair{QStringLiteral("end"), 100.0}}) {
        chart.addCurve(key, key, Qt::blue);
        chart.showAsMarkers(key);
        chart.appendPoint(key, step, 0.6);
    }
    QCustomPlot *plot = chart.plot();
    QTRY_VERIFY(plot->legend->hasItemWithPlottable(plot->graph(2))); // the coalesced redraw has run
    plot->replot();
    QList<QCPItemText *> labels;
    for (int i = 0; i < plot->itemCount(); ++i) {
        auto *text = qobject_cast<QCPItemText *>(plot->item(i));
        if (text && text->visible())
            labels.append(text);
    }
    QCOMPARE(labels.size(), 2);
    const QRect axes = plot->axisRect()->rect();
    for (QCPItemText *label : std::as_const(labels)) {
        QCOMPARE(label->text(), QStringLiteral("0.600"));
        QVERIFY2(label->left->pixelPosition().x() >= axes.left() && label->right->pixelPosition().x() <= axes.right(),
                 qPrintable(QStringLiteral("label at %1..%2, axes %3..%4").arg(label->left->pixelPosition().x())
                                .arg(label->right->pixelPosition().x()).arg(axes.left()).arg(axes.right())));
    }
}

void TestRunMonitor::legendEntriesAreNeverCut()
{
    // Entries side by side while they fit; one under the other in a narrow chart, where two in a
    // row would cut "target (validation, 99 texts)" to "target (validation, 99 te".
    ui::MetricChart chart(QStringLiteral("accuracy"), QStringLiteral("accuracy"));
    chart.resize(800, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    for (const QString &key : {QStringLiteral("source (validation, 100 texts)"), QStringLiteral("target (validation, 99 texts)"),
                               QStringLiteral("source (test, 300 texts)"), QStringLiteral("target (test, 300 texts)")}) {
        chart.addCurve(key, key, Qt::blue);
        chart.appendPoints(key, {0.0, 10.0}, {0.5, 0.6});
    }
    QCustomPlot *plot = chart.plot();
    const auto entriesUncut = [plot] {
        plot->replot();
        for (int i = 0; i < plot->legend->itemCount(); ++i) {
            QCPAbstractLegendItem *item = plot->legend->item(i);
            if (item && item->outerRect().width() < item->minimumOuterSizeHint().width())
                return false;
        }
        return true;
    };
    QTRY_COMPARE(plot->legend->wrap(), 2);
    QVERIFY(entriesUncut());
    chart.resize(300, 400);
    QTRY_COMPARE(plot->legend->wrap(), 1);
    QVERIFY(entriesUncut());
    chart.resize(800, 400);
    QTRY_COMPARE(plot->legend->wrap(), 2);
}

void TestRunMonitor::runWithoutTrainingSaysSoInItsEmptyCharts()
{
    // A finished zero-shot run: one evaluation at step 0, no training loss, no learning rate.
    RunRecord run = runningRun();
    run.strategy = QStringLiteral("zero-shot");
    run.status = RunRecord::Status::Finished;
    ui::RunMonitor monitor;
    monitor.resize(1000, 700);
    monitor.setRun(run);
    monitor.appendMetrics({{7, 0, 0, QStringLiteral("source/validation"), QStringLiteral("accuracy"), 0.53, 0},
                           {7, 0, 0, QStringLiteral("target/validation"), QStringLiteral("accuracy"), 0.5, 0}});
    monitor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&monitor));
    const auto shownNote = [](ui::MetricChart *chart) {
        for (int i = 0; i < chart->plot()->itemCount(); ++i) {
            auto *text = qobject_cast<QCPItemText *>(chart->plot()->item(i));
            if (text && text->visible())
                return text->text();
        }
        return QString();
    };
    QTRY_COMPARE(shownNote(monitor.lossChart()), QStringLiteral("This run took no training step"));
    QTRY_COMPARE(shownNote(monitor.learningRateChart()), QStringLiteral("This run took no training step"));
    QCOMPARE(shownNote(monitor.transferChart()), QString()); // it has its evaluation
    // The empty chart's axes keep its width: its hidden legend is out of the layout.
    QCustomPlot *plot = monitor.lossChart()->plot();
    plot->replot();
    QVERIFY2(plot->axisRect()->outerRect().width() > plot->viewport().width() * 9 / 10,
             qPrintable(QString::number(plot->axisRect()->outerRect().width())));

    // While a run is queued, its charts are waiting, not empty for good.
    run.status = RunRecord::Status::Queued;
    monitor.setRun(run);
    QTRY_COMPARE(shownNote(monitor.lossChart()), QStringLiteral("Waiting for the first training step"));
    QTRY_COMPARE(shownNote(monitor.transferChart()), QStringLiteral("Waiting for the first evaluation"));
}

QTEST_MAIN(TestRunMonitor)
#include "tst_runmonitor.moc"
