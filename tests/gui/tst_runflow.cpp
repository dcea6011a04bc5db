// A whole experiment through the main window with real widgets (offscreen): a new project, the
// books and electronics sample corpora imported through the import wizard, a built-in tiny
// encoder (added through the core, as Models > Add Model does); the experiment dialog starts a quick source-only
// run, its monitor tab shows points as they arrive, Pause and Cancel stop it, Resume finishes it
// from its checkpoint; the explorer opens a finished run's monitor from the file; a run that
// another process records and trains is noticed and followed; the comparison view summarises the
// runs, exports its chart and table, and follows a run that another process adds and finishes;
// closing the window while a run trains asks first, and stopping leaves a resumable checkpoint.
#include "TempProject.h"

#include "charts/MetricChart.h"
#include "corpus/ImportDestinationPage.h"
#include "corpus/ImportRunPage.h"
#include "corpus/ImportWizard.h"
#include "corpus/SampleCorpora.h"
#include "explorer/ProjectExplorer.h"
#include "main/MainWindow.h"
#include "model/BuiltinModels.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "runs/ComparisonView.h"
#include "runs/ExperimentDialog.h"
#include "runs/RunComparison.h"
#include "runs/RunController.h"
#include "runs/RunMonitor.h"
#include "train/CheckpointStore.h"
#include "transfer/TransferRunner.h"

#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QComboBox>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>
#include <qcustomplot.h>

#include <cmath>

using namespace ts;

namespace {

constexpr int kRunTimeoutMs = 120000; // the quick run takes a few seconds

const QString kSourceValidation = QStringLiteral("source/validation");

QPushButton *button(ui::RunMonitor *monitor, const QString &text)
{
    for (QPushButton *b : monitor->findChildren<QPushButton *>()) {
        if (b->text() == text)
            return b;
    }
    return nullptr;
}

RunRecord::Status statusOf(const Project &project, qint64 runId)
{
    return RunStore(project.database()).load(runId)->status;
}

RunRequest bookToElectronics()
{
    RunRequest request;
    request.sourceCorpus = QStringLiteral("books");
    request.targetCorpus = QStringLiteral("electronics");
    request.model = QStringLiteral("tiny");
    return request;
}

/// Clicks `buttonName` in the stop-training question once it is shown.
void answerStopQuestion(const QString &buttonName)
{
    QTimer::singleShot(0, [buttonName] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        QCOMPARE(box->objectName(), QStringLiteral("stopRunsDialog"));
        QTest::mouseClick(box->findChild<QPushButton *>(buttonName), Qt::LeftButton);
    });
}

} // namespace

class TestRunFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void experimentRunsPausesCancelsResumes();
    void explorerOpensFinishedRun();
    void followsRunOfAnotherProcess();
    void comparisonSummarisesAndExports();
    void comparisonWarnsOfNegativeTransferAndForgetting();
    void budgetAndMatrixSayWhereTheirValuesComeFrom();
    void comparisonFollowsRunsOfAnotherProcess();
    void closingWhileTrainingAsksThenStopsCleanly();

private:
    void importWithWizard(const QString &domain);

    ui::MainWindow *m_window = nullptr;
    test::TempFolder m_folder;
    QString m_path;
    qint64 m_runId = 0;
};

void TestRunFlow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    m_path = m_folder.path(QStringLiteral("flow.tstudio"));
    m_window = new ui::MainWindow;
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    QVERIFY(m_window->createProject(m_path));
    for (const QString &domain : {QStringLiteral("books"), QStringLiteral("electronics")}) {
        importWithWizard(domain);
        if (QTest::currentTestFailed())
            return;
    }
    QCOMPARE(m_window->explorer()->corporaItem()->childCount(), 2);
    const auto id = BuiltinModels::addToProject(m_window->project()->database(), QStringLiteral("tiny-encoder"),
                                                QStringLiteral("tiny"), {QStringLiteral("books")}, {});
    QVERIFY2(id.ok(), qPrintable(id.error()));
    m_window->refresh();
}

void TestRunFlow::importWithWizard(const QString &domain)
{
    // The labelled sample reviews of `domain` as a file on disk: label, tab, text; no header.
    const QString file = m_folder.path(domain + QStringLiteral(".tsv"));
    QFile::remove(file);
    QVERIFY(QFile::copy(SampleCorpora::file(domain, QStringLiteral("train")), file));
    ui::ImportWizard *wizard = m_window->showImportWizard(file);
    QVERIFY(wizard);
    QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
    QCOMPARE(wizard->currentId(), int(ui::ImportWizard::DestinationPageId));
    wizard->destinationPage()->setCorpus(domain);
    QAbstractButton *import = wizard->currentPage()->isCommitPage() ? wizard->button(QWizard::CommitButton)
                                                                    : wizard->button(QWizard::NextButton);
    QTest::mouseClick(import, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!wizard->runPage()->isRunning(), kRunTimeoutMs);
    QVERIFY(wizard->runPage()->succeeded());
    QVERIFY(wizard->runPage()->report().documents > 100);
    QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
}

void TestRunFlow::cleanupTestCase()
{
    delete m_window;
}

void TestRunFlow::experimentRunsPausesCancelsResumes()
{
    QTimer::singleShot(0, this, [] {
        auto *dialog = qobject_cast<ui::ExperimentDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        auto *strategy = dialog->findChild<QComboBox *>(QStringLiteral("strategy"));
        strategy->setCurrentIndex(strategy->findData(QStringLiteral("source-only")));
        auto *target = dialog->findChild<QComboBox *>(QStringLiteral("targetCorpus"));
        target->setCurrentIndex(target->findData(QStringLiteral("electronics")));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("quickRunCaps")), Qt::LeftButton);
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("startButton")), Qt::LeftButton);
    });
    m_window->newExperiment();

    auto *monitor = qobject_cast<ui::RunMonitor *>(m_window->tabs()->currentWidget());
    QVERIFY(monitor);
    m_runId = monitor->runId();
    QVERIFY(m_runId > 0);
    QCOMPARE(m_window->runs()->currentRun(), m_runId);
    // The project panel says what the run does, not the "queued" the file still holds.
    const auto panelStatus = [this] { return m_window->explorer()->runItem(m_runId)->text(1); };
    QVERIFY2(panelStatus().endsWith(QStringLiteral("· running")), qPrintable(panelStatus()));
    // Held before its first batch: the evaluation at step 0 still arrives.
    QVERIFY(button(monitor, QStringLiteral("Pause"))->isEnabled());
    QTest::mouseClick(button(monitor, QStringLiteral("Pause")), Qt::LeftButton);
    QVERIFY(button(monitor, QStringLiteral("Resume"))->isEnabled());
    QVERIFY2(panelStatus().endsWith(QStringLiteral("· paused")), qPrintable(panelStatus()));
    QVERIFY(monitor->statusText().startsWith(QLatin1String("Paused")));
    QTRY_VERIFY_WITH_TIMEOUT(monitor->transferChart()->pointCount(kSourceValidation) > 0, kRunTimeoutMs);
    QCOMPARE(monitor->lossChart()->pointCount(QStringLiteral("train")), 0);

    QTest::mouseClick(button(monitor, QStringLiteral("Cancel")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->runs()->currentRun(), qint64(0), kRunTimeoutMs);
    const Project &project = *m_window->project();
    QCOMPARE(statusOf(project, m_runId), RunRecord::Status::Cancelled);
    QVERIFY2(panelStatus().endsWith(QStringLiteral("· stopped")), qPrintable(panelStatus()));
    QVERIFY2(monitor->statusText().startsWith(QLatin1String("Stopped")), qPrintable(monitor->statusText()));
    QVERIFY(!button(monitor, QStringLiteral("Pause"))->isEnabled());
    QVERIFY(button(monitor, QStringLiteral("Resume"))->isEnabled());

    QTest::mouseClick(button(monitor, QStringLiteral("Resume")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(project, m_runId), RunRecord::Status::Finished, kRunTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->runs()->isBusy(), kRunTimeoutMs);
    QVERIFY(monitor->lossChart()->pointCount(QStringLiteral("train")) > 0);
    QVERIFY(monitor->transferChart()->pointCount(QStringLiteral("target/test")) > 0);
    QVERIFY(!button(monitor, QStringLiteral("Cancel"))->isEnabled());
    QVERIFY(!button(monitor, QStringLiteral("Resume"))->isEnabled());
    QTreeWidgetItem *item = m_window->explorer()->runsItem()->child(0);
    QVERIFY(item);
    QVERIFY2(item->text(1).contains(QStringLiteral("finished")), qPrintable(item->text(1)));
}

void TestRunFlow::explorerOpensFinishedRun()
{
    QTabWidget *tabs = m_window->tabs();
    while (tabs->count() > 1)
        Q_EMIT tabs->tabCloseRequested(tabs->count() - 1);
    ui::ProjectExplorer *explorer = m_window->explorer();
    QTreeWidgetItem *item = explorer->runsItem()->child(0);
    QCOMPARE(item->data(0, ui::ProjectExplorer::IdRole).toLongLong(), m_runId);
    Q_EMIT explorer->itemActivated(item, 0);
    auto *monitor = qobject_cast<ui::RunMonitor *>(tabs->currentWidget());
    QVERIFY(monitor);
    QCOMPARE(monitor->runId(), m_runId);
    const auto stored = RunStore(m_window->project()->database()).metrics(m_runId);
    int trainLoss = 0;
    for (const MetricPoint &p : stored.value())
        trainLoss += p.split == QLatin1String("train") && p.metric == QLatin1String("loss");
    QVERIFY(trainLoss > 0);
    QCOMPARE(monitor->lossChart()->pointCount(QStringLiteral("train")), trainLoss);
    QVERIFY(monitor->transferChart()->pointCount(QStringLiteral("target/validation")) > 0);
    QVERIFY(!button(monitor, QStringLiteral("Pause"))->isEnabled());
    Q_EMIT explorer->itemActivated(item, 0);
    QCOMPARE(tabs->count(), 2);
}

void TestRunFlow::followsRunOfAnotherProcess()
{
    // A second connection to the same file, as the command line would open it.
    auto other = Project::open(m_path);
    QVERIFY2(other.ok(), qPrintable(other.error()));
    const RunRequest request = bookToElectronics();
    const auto id = TransferRunner::createRun(other.value()->database(), request);
    QVERIFY2(id.ok(), qPrintable(id.error()));
    ui::ProjectExplorer *explorer = m_window->explorer();
    QTRY_COMPARE_WITH_TIMEOUT(explorer->runsItem()->childCount(), 2, 3 * ui::RunController::kNewRunsPollMs);

    RunStore store(other.value()->database());
    QVERIFY(store.markStarted(id.value(), QStringLiteral("cpu")).ok());
    ui::RunMonitor *monitor = m_window->showRun(id.value());
    QVERIFY(monitor);
    QVERIFY(!button(monitor, QStringLiteral("Pause"))->isEnabled());
    QVERIFY(!button(monitor, QStringLiteral("Cancel"))->isEnabled());
    const double now = QDateTime::currentSecsSinceEpoch();
    QVERIFY(store.appendMetrics({{id.value(), 1, 0.1, QStringLiteral("train"), QStringLiteral("loss"), 0.7, now},
                                 {id.value(), 2, 0.2, QStringLiteral("train"), QStringLiteral("loss"), 0.6, now}})
                .ok());
    QTRY_COMPARE_WITH_TIMEOUT(monitor->lossChart()->pointCount(QStringLiteral("train")), 2,
                              3 * ui::RunController::kExternalPollMs);
    // The other process resumes from a checkpoint at step 1: it replaces step 2's row and goes on.
    QVERIFY(store.deleteMetricsAfter(id.value(), 1).ok());
    QVERIFY(store.appendMetrics({{id.value(), 2, 0.2, QStringLiteral("train"), QStringLiteral("loss"), 0.65, now},
                                 {id.value(), 3, 0.3, QStringLiteral("train"), QStringLiteral("loss"), 0.5, now}})
                .ok());
    QTRY_COMPARE_WITH_TIMEOUT(monitor->lossChart()->pointCount(QStringLiteral("train")), 3,
                              3 * ui::RunController::kExternalPollMs);
    QTest::qWait(3 * ui::RunController::kExternalPollMs);
    QCOMPARE(monitor->lossChart()->pointCount(QStringLiteral("train")), 3); // each step once
    QVERIFY(store.markEnded(id.value(), RunRecord::Status::Finished).ok());
    QTRY_VERIFY_WITH_TIMEOUT(explorer->runsItem()->child(1)->text(1).contains(QStringLiteral("finished")),
                             3 * ui::RunController::kExternalPollMs);

    // Without a monitor open, the explorer still follows the other process's run to its end.
    const auto unwatched = TransferRunner::createRun(other.value()->database(), request);
    QVERIFY(unwatched.ok());
    QVERIFY(store.markStarted(unwatched.value(), QStringLiteral("cpu")).ok());
    QTRY_VERIFY_WITH_TIMEOUT(explorer->runsItem()->childCount() == 3
                                 && explorer->runsItem()->child(2)->text(1).contains(QStringLiteral("running")),
                             3 * ui::RunController::kNewRunsPollMs);
    QVERIFY(store.markEnded(unwatched.value(), RunRecord::Status::Finished).ok());
    QTRY_VERIFY_WITH_TIMEOUT(explorer->runsItem()->child(2)->text(1).contains(QStringLiteral("finished")),
                             3 * ui::RunController::kNewRunsPollMs);
}

void TestRunFlow::comparisonSummarisesAndExports()
{
    ui::ComparisonView *view = m_window->showComparison();
    QVERIFY(view);
    QCOMPARE(view->selectedRuns().size(), 3);
    view->setSelectedRuns({m_runId});
    QTableWidget *summary = view->summaryTable();
    QCOMPARE(summary->rowCount(), 1);
    QCOMPARE(summary->item(0, 0)->text(), QStringLiteral("source-only"));
    QCOMPARE(summary->item(0, 4)->text(), QStringLiteral("books → electronics"));
    const double target = summary->item(0, 1)->text().toDouble();
    const auto final = RunStore(m_window->project()->database()).finalMetrics(m_runId).value();
    QCOMPARE(target, std::round(final[QStringLiteral("target/test")][QStringLiteral("accuracy")] * 1000) / 1000);
    QVERIFY(summary->item(0, 8)->text() != QStringLiteral("—"));
    QCOMPARE(summary->item(0, 10)->text(), QStringLiteral("last step"));
    QCOMPARE(view->matrixTable()->rowCount(), 1);
    QVERIFY(view->curvesChart()->pointCount(QString::number(m_runId)) > 0);
    // The curves' title names their split and how many texts each point measured.
    auto *title = qobject_cast<QCPTextElement *>(view->curvesChart()->plot()->plotLayout()->element(0, 0));
    QVERIFY(title);
    QVERIFY2(QRegularExpression(QStringLiteral("^accuracy on target/validation, \\d+ texts \\(steps")).match(title->text()).hasMatch(),
             qPrintable(title->text()));

    const QString png = m_folder.path(QStringLiteral("comparison.png"));
    QString error;
    QVERIFY2(view->curvesChart()->exportTo(png, &error), qPrintable(error));
    QVERIFY(QFileInfo(png).size() > 1000);
    const QString csv = m_folder.path(QStringLiteral("summary.csv"));
    QVERIFY2(ui::ComparisonView::exportCsv(summary, csv, &error), qPrintable(error));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QVERIFY(lines.value(0).startsWith("Strategy,"));
    QVERIFY(lines.value(1).startsWith("source-only,"));
    QVERIFY(lines.value(1).contains(",books → electronics,tiny,0,1,"));
}

void TestRunFlow::comparisonWarnsOfNegativeTransferAndForgetting()
{
    auto run = [](qint64 id, const QString &strategy, double source, double target) {
        ui::RunComparison::Run r;
        r.record.id = id;
        r.record.strategy = strategy;
        r.record.status = RunRecord::Status::Finished;
        r.source = QStringLiteral("books");
        r.target = QStringLiteral("electronics");
        r.model = QStringLiteral("tiny");
        r.final[QStringLiteral("source/test")][QStringLiteral("accuracy")] = source;
        r.final[QStringLiteral("target/test")][QStringLiteral("accuracy")] = target;
        return r;
    };
    QList<ui::RunComparison::Run> runs{run(1, QStringLiteral("zero-shot"), 0.6, 0.6),
                                       run(2, QStringLiteral("source-only"), 0.9, 0.75),
                                       run(3, QStringLiteral("source-only"), 0.9, 0.77),
                                       run(4, QStringLiteral("dann"), 0.85, 0.70)};
    for (int step = 1; step <= 3; ++step)
        runs[3].points.append({4, step, 0, QStringLiteral("source/validation"), QStringLiteral("accuracy"),
                               step == 2 ? 0.9 : 0.8, 0});
    const ui::RunComparison comparison(runs, QStringLiteral("accuracy"));
    const auto rows = comparison.rows({2, 3});
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].targetValue.n, 2);
    QCOMPARE(rows[0].targetValue.mean, 0.76);
    QVERIFY(qAbs(rows[0].targetValue.std - 0.0141421) < 1e-6);
    QVERIFY(qAbs(rows[0].gap.mean - 0.14) < 1e-9);

    QCOMPARE(comparison.warnings({2, 3}), QStringList());
    const QStringList warnings = comparison.warnings({4});
    QCOMPARE(warnings.size(), 2);
    QVERIFY2(warnings[0].contains(QStringLiteral("source-only")), qPrintable(warnings[0]));
    QVERIFY2(warnings[1].startsWith(QStringLiteral("Forgetting")), qPrintable(warnings[1]));
    QVERIFY(comparison.warnings({1}).isEmpty());
    const auto matrix = comparison.matrix({1, 2, 3, 4});
    QCOMPARE(matrix.size(), 3);
    QCOMPARE(matrix[QStringLiteral("dann")][QStringLiteral("books → electronics")].mean, 0.70);
}

void TestRunFlow::budgetAndMatrixSayWhereTheirValuesComeFrom()
{
    auto run = [](qint64 id, int budget, const QString &split, int examples) {
        ui::RunComparison::Run r;
        r.record.id = id;
        r.record.strategy = QStringLiteral("source-only");
        r.record.status = RunRecord::Status::Finished;
        r.source = QStringLiteral("books");
        r.target = QStringLiteral("electronics");
        r.model = QStringLiteral("tiny");
        r.budget = budget;
        r.final[QStringLiteral("target/test")][QStringLiteral("accuracy")] = 0.7 + budget / 100.0;
        r.summary.target.split = split;
        r.summary.target.examples = examples;
        return r;
    };
    QString scope;
    const ui::RunComparison same({run(1, 0, QStringLiteral("target/test"), 300), run(2, 8, QStringLiteral("target/test"), 300),
                                  run(3, 32, QStringLiteral("target/test"), 300)},
                                 QStringLiteral("accuracy"));
    QCOMPARE(same.budgetCurves({1, 2, 3}, &scope).size(), 1);
    QCOMPARE(scope, QStringLiteral("test, 300 texts"));
    const ui::RunComparison mixed({run(1, 0, QStringLiteral("target/test"), 300),
                                   run(2, 8, QStringLiteral("target/validation"), 96)},
                                  QStringLiteral("accuracy"));
    QCOMPARE(mixed.budgetCurves({1, 2}, &scope).size(), 1);
    QCOMPARE(scope, QStringLiteral("test or validation, 96–300 texts"));
    QVERIFY(mixed.budgetCurves({1}, &scope).isEmpty()); // one budget: no curve, nothing to say
    QCOMPARE(scope, QString());
    // The strategy × domains matrix says it per domain pair.
    QMap<QString, QString> scopes;
    const auto matrix = same.matrix({1, 2, 3}, &scopes);
    // A run trained on target labels is a row of its own, not averaged into the strategy without them.
    QCOMPARE(matrix.keys(), (QStringList{QStringLiteral("source-only"), QStringLiteral("source-only · 32 target labels per class"),
                                        QStringLiteral("source-only · 8 target labels per class")}));
    QCOMPARE(scopes, (QMap<QString, QString>{{QStringLiteral("books → electronics"), QStringLiteral("test, 300 texts")}}));
}

void TestRunFlow::comparisonFollowsRunsOfAnotherProcess()
{
    ui::ComparisonView *view = m_window->showComparison();
    QVERIFY(view);
    QCOMPARE(m_window->showComparison(), view); // one comparison tab, brought forward
    view->setMetric(QStringLiteral("accuracy"));
    view->setSplit(QStringLiteral("target/validation"));
    const int rowsBefore = view->summaryTable()->rowCount();

    // The command line records, trains and finishes a run on the same file.
    auto other = Project::open(m_path);
    QVERIFY2(other.ok(), qPrintable(other.error()));
    const auto id = TransferRunner::createRun(other.value()->database(), bookToElectronics());
    QVERIFY2(id.ok(), qPrintable(id.error()));
    RunStore store(other.value()->database());
    QVERIFY(store.markStarted(id.value(), QStringLiteral("cpu")).ok());
    const double now = QDateTime::currentSecsSinceEpoch();
    MetricPoints points;
    for (int step = 0; step <= 20; step += 10)
        points.append({id.value(), step, step / 10.0, QStringLiteral("target/validation"), QStringLiteral("accuracy"),
                       0.5 + step / 100.0, now});
    points.append({id.value(), 20, 2, QStringLiteral("target/test"), QStringLiteral("accuracy"), 0.7, now});
    points.append({id.value(), 20, 2, QStringLiteral("source/test"), QStringLiteral("accuracy"), 0.9, now});
    QVERIFY(store.appendMetrics(points).ok());
    QVERIFY(store.markEnded(id.value(), RunRecord::Status::Finished).ok());

    // Noticed without a click: listed, ticked (finished when first seen), drawn and summarised.
    const int noticeMs = 3 * ui::RunController::kNewRunsPollMs + ui::ComparisonView::kReloadDelayMs;
    QTRY_VERIFY_WITH_TIMEOUT(view->selectedRuns().contains(id.value()), noticeMs);
    QCOMPARE(view->curvesChart()->pointCount(QString::number(id.value())), 3);
    QVERIFY(view->summaryTable()->rowCount() >= rowsBefore);
    // A run the user unticks stays unticked when the project is read again.
    QList<qint64> without = view->selectedRuns();
    without.removeAll(id.value());
    view->setSelectedRuns(without);
    view->reload();
    QVERIFY(!view->selectedRuns().contains(id.value()));
}

void TestRunFlow::closingWhileTrainingAsksThenStopsCleanly()
{
    ui::ExperimentPlan plan;
    plan.request = bookToElectronics();
    TrainingConfig &c = plan.request.config;
    c.strategy = QStringLiteral("source-only");
    c.epochs = 50; // far longer than the test waits: the run is still training when the window closes
    c.batchSize = 8;
    c.maxLength = 32;
    c.maxTrainExamples = 64;
    c.maxEvalExamples = 16;
    c.device = QStringLiteral("cpu");
    const auto ids = m_window->runs()->start(plan);
    QVERIFY2(ids.ok(), qPrintable(ids.error()));
    const qint64 id = ids->first();
    ui::RunMonitor *monitor = m_window->showRun(id);
    QVERIFY(monitor);
    QTRY_VERIFY_WITH_TIMEOUT(monitor->lossChart()->pointCount(QStringLiteral("train")) > 0, kRunTimeoutMs);

    answerStopQuestion(QStringLiteral("keepTrainingButton"));
    QVERIFY(!m_window->close());
    QVERIFY(m_window->isVisible());
    QCOMPARE(m_window->runs()->currentRun(), id);

    answerStopQuestion(QStringLiteral("stopTrainingButton"));
    m_window->close();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isVisible(), kRunTimeoutMs);
    QVERIFY(!m_window->runs()->isBusy());
    QCOMPARE(statusOf(*m_window->project(), id), RunRecord::Status::Cancelled);
    // One word for it everywhere: the panel and the monitor agree (and `runs` prints it too).
    QTRY_VERIFY(m_window->explorer()->runItem(id)->text(1).endsWith(QStringLiteral("· stopped")));
    QVERIFY2(monitor->statusText().startsWith(QLatin1String("Stopped")), qPrintable(monitor->statusText()));
    const auto checkpoint = CheckpointStore(m_window->project()->database(), id).latest();
    QVERIFY2(checkpoint.ok(), qPrintable(checkpoint.error()));
    QVERIFY(checkpoint->has_value());
    QVERIFY(checkpoint.value()->step > 0);
}

QTEST_MAIN(TestRunFlow)
#include "tst_runflow.moc"
