// The results a domain expert reads in the run monitor (offscreen): both domains with split and
// number of texts, warnings, the baseline button, confusion matrices, the error browser with
// its filters and CSV export; charts whose y range holds every point (a single test result, a
// flat curve) with the test result drawn as a labelled marker.
#include "TempProject.h"

#include "charts/MetricChart.h"
#include "runs/PredictionBrowser.h"
#include "runs/RunMonitor.h"
#include "runs/RunResultsPanel.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <qcustomplot.h>

using namespace ts;
using namespace ts::ui;

namespace {

DomainResult result(const QString &split, int examples, double accuracy)
{
    DomainResult r;
    r.split = split;
    r.examples = examples;
    r.available = examples;
    r.classes = {QStringLiteral("neg"), QStringLiteral("pos")};
    r.accuracy = accuracy;
    r.macroF1 = accuracy - 0.01;
    r.ece = 0.05;
    r.majorityAccuracy = 0.5;
    r.majorityMacroF1 = 1.0 / 3.0;
    r.confusion = {{40, 10}, {5, 45}};
    r.perClass = {{0.89, 0.8, 0.84, 50, 45}, {0.82, 0.9, 0.86, 50, 55}};
    r.calibration = QList<ClassificationReport::CalibrationBin>(ClassificationReport::kCalibrationBins);
    r.calibration[13] = {100, 0.9, 0.85};
    r.fromPredictions = true;
    return r;
}

RunSummary summary()
{
    RunSummary s;
    s.run.id = 7;
    s.run.strategy = QStringLiteral("dann");
    s.run.status = RunRecord::Status::Finished;
    s.source = result(QStringLiteral("source/test"), 300, 0.95);
    s.target = result(QStringLiteral("target/test"), 390, 0.85);
    s.warnings = {QLatin1String(RunSummary::kNegativeTransfer)};
    s.warningTexts = {QStringLiteral("negative transfer: target accuracy 0.850 is below the source-only run 3 (0.900)")};
    return s;
}

PredictionSet predictions()
{
    PredictionSet set;
    set.split = QStringLiteral("target/test");
    set.classes = {QStringLiteral("neg"), QStringLiteral("pos")};
    set.predictions = {{11, 0, 0, {0.9f, 0.1f}, false},
                       {12, 0, 1, {0.3f, 0.7f}, false},
                       {13, 1, 0, {0.6f, 0.4f}, true},
                       {14, 1, 1, {0.2f, 0.8f}, false}};
    set.available = 4;
    return set;
}

} // namespace

class TestRunResultsGui : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void panelShowsBothDomains();
    void baselineButton();
    void monitorHasResultsTabs();
    void browserFiltersAndExports();
    void lossChartHasPointsBeforeFirstEvaluation();
    void yRangeContainsEveryPoint();
    void testResultIsALabelledMarker();
    void legendsSayHowManyTexts();
};

void TestRunResultsGui::panelShowsBothDomains()
{
    RunResultsPanel panel;
    panel.setSummary(summary());
    QTableWidget *table = panel.resultsTable();
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("source"));
    QCOMPARE(table->item(1, 0)->text(), QStringLiteral("target"));
    QCOMPARE(table->item(1, 1)->text(), QStringLiteral("test"));
    QCOMPARE(table->item(1, 2)->text(), QStringLiteral("390"));
    QCOMPARE(table->item(1, 3)->text(), QStringLiteral("0.850"));
    QCOMPARE(table->item(1, 6)->text(), QStringLiteral("0.500"));
    QVERIFY(panel.findChild<QLabel *>(QStringLiteral("resultsHeadline"))->text().contains(QLatin1String("390 texts")));
    QVERIFY(!panel.warningLabel()->isHidden());
    QVERIFY(panel.warningLabel()->text().contains(QLatin1String("negative transfer")));
    QTableWidget *confusion = panel.confusionTable(Domain::Target);
    QCOMPARE(confusion->rowCount(), 3); // two labels and the precision row
    QCOMPARE(confusion->item(0, 1)->text(), QStringLiteral("10"));
    QCOMPARE(confusion->item(1, 2)->text(), QStringLiteral("0.900")); // recall of pos
    // The reliability diagram names its split and texts, and each bar says how many it holds.
    auto *diagram = panel.findChild<QCustomPlot *>(QStringLiteral("reliabilityDiagram"));
    auto *title = qobject_cast<QCPTextElement *>(diagram->plotLayout()->element(0, 0));
    QVERIFY(title);
    QCOMPARE(title->text(), QStringLiteral("Reliability · target test, 390 texts"));
    QCOMPARE(diagram->itemCount(), 1);
    auto *count = qobject_cast<QCPItemText *>(diagram->item(0));
    QVERIFY(count);
    QCOMPARE(count->text(), QStringLiteral("100"));
    QCOMPARE(count->position->coords(), QPointF(13.5 / ClassificationReport::kCalibrationBins, 0.85));
}

void TestRunResultsGui::baselineButton()
{
    RunResultsPanel panel;
    RunSummary s = summary();
    panel.setSummary(s);
    auto *button = panel.findChild<QPushButton *>(QStringLiteral("addBaseline"));
    QVERIFY(!button->isHidden());
    QSignalSpy spy(&panel, &RunResultsPanel::baselineRequested);
    button->click();
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.first().first().toLongLong(), 7);
    s.baselineRunId = 3;
    s.baselineTargetAccuracy = 0.9;
    panel.setSummary(s);
    QVERIFY(button->isHidden());
}

void TestRunResultsGui::monitorHasResultsTabs()
{
    RunMonitor monitor;
    RunRecord run = summary().run;
    monitor.setRun(run);
    monitor.setResults(summary(), predictions(), {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")});
    QCOMPARE(monitor.views()->count(), 3);
    QCOMPARE(monitor.resultsPanel()->resultsTable()->rowCount(), 2);
    QSignalSpy spy(&monitor, &RunMonitor::baselineRequested);
    monitor.resultsPanel()->findChild<QPushButton *>(QStringLiteral("addBaseline"))->click();
    QCOMPARE(spy.size(), 1);
    monitor.showResults();
    QCOMPARE(monitor.views()->currentIndex(), 1);
    QVERIFY(monitor.views()->currentWidget()->isAncestorOf(monitor.resultsPanel()));
}

void TestRunResultsGui::browserFiltersAndExports()
{
    PredictionBrowser browser;
    browser.setPredictions(predictions(), {QStringLiteral("fine"), QStringLiteral("meh"), QStringLiteral("long"), QStringLiteral("great")});
    QCOMPARE(browser.shownCount(), 2); // errors only by default
    browser.setFilter(-1, -1, false);
    QCOMPARE(browser.shownCount(), 4);
    browser.setFilter(1, -1, true); // true label pos, wrong
    QCOMPARE(browser.shownCount(), 1);
    QCOMPARE(browser.table()->item(0, 0)->text(), QStringLiteral("13"));
    browser.setFilter(-1, -1, true);
    // Most confident first: document 12 (0.7) before 13 (0.6).
    QCOMPARE(browser.table()->item(0, 0)->text(), QStringLiteral("12"));
    test::TempFolder dir;
    const QString path = dir.path(QStringLiteral("errors.csv"));
    QString error;
    QVERIFY2(browser.exportCsv(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.at(0), QByteArray("id,label,predicted,confidence,p_neg,p_pos,truncated,text"));
    QCOMPARE(lines.at(1), QByteArray("12,neg,pos,0.700000,0.300000,0.700000,no,meh"));
    QVERIFY(!browser.exportCsv(path, &error)); // never over an existing file
}

void TestRunResultsGui::lossChartHasPointsBeforeFirstEvaluation()
{
    RunMonitor monitor;
    RunRecord run = summary().run;
    run.status = RunRecord::Status::Running;
    monitor.setRun(run);
    MetricPoints points;
    for (int step = 1; step <= 5; ++step)
        points.append({7, step, 0.01 * step, QStringLiteral("train"), QStringLiteral("loss"), 0.7 - 0.01 * step, 0});
    monitor.appendMetrics(points);
    QCOMPARE(monitor.lossChart()->pointCount(QStringLiteral("train")), 5);
}

void TestRunResultsGui::yRangeContainsEveryPoint()
{
    MetricChart chart(QStringLiteral("t"), QStringLiteral("accuracy"));
    chart.addCurve(QStringLiteral("a"), QStringLiteral("a"), Qt::blue);
    chart.addCurve(QStringLiteral("b"), QStringLiteral("b"), Qt::red);
    chart.addCurve(QStringLiteral("c"), QStringLiteral("c"), Qt::green);
    chart.appendPoints(QStringLiteral("a"), {1, 2, 3}, {0.5, 0.52, 0.51});
    chart.appendPoint(QStringLiteral("b"), 3, 0.97); // one point, far above
    chart.appendPoints(QStringLiteral("c"), {1, 2}, {0.2, 0.2}); // flat, far below
    chart.resize(600, 400);
    chart.show();
    QTRY_VERIFY(chart.plot()->yAxis->range().contains(0.97));
    const QCPRange y = chart.plot()->yAxis->range();
    QVERIFY(y.contains(0.2) && y.contains(0.52));
    QVERIFY(chart.plot()->xAxis->range().contains(1) && chart.plot()->xAxis->range().contains(3));
    MetricChart flat(QStringLiteral("f"), QStringLiteral("loss"));
    flat.addCurve(QStringLiteral("x"), QStringLiteral("x"), Qt::blue);
    flat.appendPoint(QStringLiteral("x"), 5, 0.693);
    flat.show();
    QTRY_VERIFY(flat.plot()->yAxis->range().size() > 0 && flat.plot()->yAxis->range().contains(0.693));
}

void TestRunResultsGui::testResultIsALabelledMarker()
{
    RunMonitor monitor;
    RunRecord run = summary().run;
    monitor.setRun(run);
    monitor.appendMetrics({{7, 40, 2.0, QStringLiteral("target/test"), QStringLiteral("accuracy"), 0.85, 0}});
    MetricChart *chart = monitor.transferChart();
    QCOMPARE(chart->pointCount(QStringLiteral("target/test")), 1);
    bool labelled = false;
    for (int i = 0; i < chart->plot()->itemCount(); ++i) {
        if (auto *text = qobject_cast<QCPItemText *>(chart->plot()->item(i)))
            labelled = labelled || text->text() == QLatin1String("0.850");
    }
    QVERIFY(labelled);
}

void TestRunResultsGui::legendsSayHowManyTexts()
{
    RunMonitor monitor;
    RunRecord run = summary().run;
    monitor.setRun(run);
    monitor.appendMetrics({{7, 10, 0.5, QStringLiteral("target/validation"), QStringLiteral("accuracy"), 0.7, 0},
                           {7, 10, 0.5, QStringLiteral("target/validation"), QStringLiteral("examples"), 32, 0},
                           {7, 10, 0.5, QStringLiteral("target/validation"), QStringLiteral("available"), 300, 0},
                           {7, 40, 2.0, QStringLiteral("target/test"), QStringLiteral("accuracy"), 0.8, 0},
                           {7, 40, 2.0, QStringLiteral("target/test"), QStringLiteral("examples"), 390, 0},
                           {7, 40, 2.0, QStringLiteral("target/test"), QStringLiteral("available"), 390, 0}});
    QCOMPARE(monitor.transferChart()->curveLegend(QStringLiteral("target/validation")),
             QStringLiteral("target (validation, 32 of 300 texts)"));
    QCOMPARE(monitor.transferChart()->curveLegend(QStringLiteral("target/test")), QStringLiteral("target (test, 390 texts)"));
    QCOMPARE(monitor.lossChart()->curveLegend(QStringLiteral("target/validation")),
             QStringLiteral("target validation, 32 of 300 texts"));
    // Texts counts are not metrics to compare.
    auto *compare = monitor.findChild<QComboBox *>(QStringLiteral("comparedMetric"));
    QCOMPARE(compare->findData(QStringLiteral("examples")), -1);
}

QTEST_MAIN(TestRunResultsGui)
#include "tst_runresults.moc"
