// The workbench with a real one-node Slurm cluster (tests/slurm/cluster.sh): New Experiment's
// "Run on: Slurm cluster" remembered, the submitted job in the project panel with its state, the
// run monitor drawing the job's progress file, Collect bringing the run home, and Cancel showing a
// job cancelled. QSKIPs when Slurm is not installed.
#include "CliRunner.h"
#include "SlurmCluster.h"

#include "explorer/ProjectExplorer.h"
#include "main/ClusterActions.h"
#include "main/MainWindow.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "runs/ClusterField.h"
#include "runs/ExperimentDialog.h"
#include "runs/ExperimentPlan.h"
#include "runs/RunMonitor.h"
#include "charts/MetricChart.h"

#include <QApplication>
#include <QLineEdit>
#include <QRadioButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace ts;

namespace {

constexpr int kJobTimeoutMs = 900000;

QString sample(const QString &name)
{
    return QStringLiteral(TS_SOURCE_DIR "/resources/samples/") + name;
}

/// The state the project panel shows for the job item `index` ("completed", "running · collected").
QString shownState(ui::MainWindow &window, int index = 0)
{
    QTreeWidgetItem *jobs = window.explorer()->jobsItem();
    return jobs && jobs->childCount() > index ? jobs->child(index)->text(1) : QString();
}

/// Refreshes the job states every second until job `index` shows `state` (prefix) or time is up.
bool waitForState(ui::MainWindow &window, const QString &state, int index = 0, int timeoutMs = kJobTimeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        window.cluster()->refreshStates();
        if (shownState(window, index).startsWith(state))
            return true;
        QTest::qWait(1000);
    }
    return false;
}

/// A small source-only run on books -> electronics with the tiny built-in model.
ui::ExperimentPlan smallPlan(int epochs)
{
    ui::ExperimentPlan plan;
    plan.request.sourceCorpus = QStringLiteral("books");
    plan.request.targetCorpus = QStringLiteral("electronics");
    plan.request.model = QStringLiteral("tiny-encoder");
    TrainingConfig &c = plan.request.config;
    c.strategy = QStringLiteral("source-only");
    c.epochs = epochs;
    c.maxTrainExamples = 128;
    c.maxEvalExamples = 32;
    c.maxLength = 32;
    c.batchSize = 32;
    c.learningRate = 1e-3;
    c.evalEvery = 2;
    c.cpuThreads = 1;
    return plan;
}

} // namespace

class TestSlurmGui : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void clusterSettingsAreRemembered();
    void submitWatchAndCollect();
    void cancelShowsCancelled();

private:
    QTemporaryDir m_dir;
    QString m_project;
    std::unique_ptr<test::SlurmCluster> m_cluster;
};

void TestSlurmGui::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("TransferStudioTest"));
    QApplication::setApplicationName(QStringLiteral("tst_slurmgui"));
    QSettings().clear();
    if (const QString missing = test::SlurmCluster::missing(); !missing.isEmpty())
        QSKIP(qPrintable(missing));
    QVERIFY(m_dir.isValid());
    m_cluster = std::make_unique<test::SlurmCluster>(m_dir.filePath(QStringLiteral("cluster")));
    QString error;
    QVERIFY2(m_cluster->start(&error), qPrintable(error));
    m_project = m_dir.filePath(QStringLiteral("gui.tstudio"));
    QCOMPARE(test::runCli({QStringLiteral("create"), m_project}).exitCode, 0);
    for (const QString &domain : {QStringLiteral("books"), QStringLiteral("electronics")}) {
        for (const QString &split : {QStringLiteral("train"), QStringLiteral("test")}) {
            const auto r = test::runCli({QStringLiteral("import"), m_project, QStringLiteral("--corpus"), domain,
                                         QStringLiteral("--file"), sample(QStringLiteral("%1.%2.tsv").arg(domain, split)),
                                         QStringLiteral("--no-header"), QStringLiteral("--label-column"), QStringLiteral("0"),
                                         QStringLiteral("--text-column"), QStringLiteral("1"), QStringLiteral("--split-name"),
                                         split});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        }
    }
    const auto model = test::runCli({QStringLiteral("add-model"), m_project, QStringLiteral("--builtin"),
                                     QStringLiteral("tiny-encoder")}, 600000);
    QVERIFY2(model.exitCode == 0, qPrintable(model.err));
}

void TestSlurmGui::cleanupTestCase()
{
    if (m_cluster)
        QVERIFY(m_cluster->stop());
}

void TestSlurmGui::clusterSettingsAreRemembered()
{
    auto project = Project::open(m_project);
    QVERIFY(project.ok());
    {
        ui::ExperimentDialog dialog(project.value()->database());
        dialog.restoreSettings();
        QVERIFY(!dialog.clusterField()->onCluster());
        dialog.clusterField()->clusterButton()->setChecked(true);
        dialog.clusterField()->partitionEdit()->setText(QStringLiteral("debug"));
        dialog.clusterField()->timeEdit()->setText(QStringLiteral("00:20:00"));
        dialog.saveSettings();
    }
    ui::ExperimentDialog again(project.value()->database());
    again.restoreSettings();
    QVERIFY(again.clusterField()->onCluster());
    QCOMPARE(again.clusterField()->options().partition, QStringLiteral("debug"));
    QCOMPARE(again.clusterField()->options().time, QStringLiteral("00:20:00"));
}

void TestSlurmGui::submitWatchAndCollect()
{
    ui::MainWindow window;
    QVERIFY(window.openProject(m_project));
    QVERIFY(!window.explorer()->jobsItem()); // no job yet: no branch
    ui::ClusterField field;
    field.clusterButton()->setChecked(true);
    field.jobDirEdit()->setText(m_dir.filePath(QStringLiteral("jobs/gui-run")));
    QVERIFY(window.cluster()->submitExperiment(smallPlan(2), field));
    QVERIFY(window.explorer()->jobsItem());
    QCOMPARE(window.explorer()->jobsItem()->childCount(), 1);
    const QString slurmId = window.explorer()->jobsItem()->child(0)->data(0, ui::ProjectExplorer::IdRole).toString();
    QVERIFY(!slurmId.isEmpty());

    // The monitor draws the progress file while (and after) the job runs.
    ui::RunMonitor *monitor = window.cluster()->watch(slurmId, m_dir.filePath(QStringLiteral("jobs/gui-run")));
    QVERIFY(monitor);
    QCOMPARE(window.tabs()->currentWidget(), monitor);
    QVERIFY2(waitForState(window, QStringLiteral("completed")), qPrintable(shownState(window)));
    QTRY_VERIFY_WITH_TIMEOUT(monitor->lossChart()->pointCount(QStringLiteral("train")) > 0, 10000);
    QVERIFY(monitor->transferChart()->pointCount(QStringLiteral("target/validation")) > 0);

    const QStringList report = window.cluster()->collect();
    QVERIFY2(report.join(QLatin1Char('\n')).contains(QStringLiteral("Job %1 (completed): 1 run(s) collected").arg(slurmId)),
             qPrintable(report.join(QLatin1Char('\n'))));
    QVERIFY(shownState(window).contains(QLatin1String("collected")));
    QCOMPARE(window.explorer()->runsItem()->childCount(), 1);
    const auto runs = RunStore(window.project()->database()).list();
    QVERIFY(runs.ok());
    QCOMPARE(runs->first().status, RunRecord::Status::Finished);
}

void TestSlurmGui::cancelShowsCancelled()
{
    ui::MainWindow window;
    QVERIFY(window.openProject(m_project));
    ui::ClusterField field;
    field.clusterButton()->setChecked(true);
    QVERIFY(window.cluster()->submitExperiment(smallPlan(500), field));
    const int index = window.explorer()->jobsItem()->childCount() - 1;
    const QString slurmId = window.explorer()->jobsItem()->child(index)->data(0, ui::ProjectExplorer::IdRole).toString();
    QVERIFY2(waitForState(window, QStringLiteral("running"), index, 120000), qPrintable(shownState(window, index)));
    window.cluster()->cancel(slurmId);
    QVERIFY2(waitForState(window, QStringLiteral("cancelled"), index, 120000), qPrintable(shownState(window, index)));
}

QTEST_MAIN(TestSlurmGui)
#include "tst_slurmgui.moc"
