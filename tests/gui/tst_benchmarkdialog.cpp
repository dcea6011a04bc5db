// Runs > New Benchmark… with real widgets (offscreen): the dialog lists every ordered pair of the
// project's labelled corpora and the registry's strategies; 2 pairs × 2 strategies × 2 seeds
// queue 8 runs as one benchmark group through the RunController, and Compare Runs shows the
// group's table with its progress over the matrix.
#include "TempProject.h"

#include "corpus/SampleCorpora.h"
#include "explorer/ProjectExplorer.h"
#include "jobs/BenchmarkRunner.h"
#include "main/MainWindow.h"
#include "model/BuiltinModels.h"
#include "model/ModelDefaults.h"
#include "model/ModelRegistry.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "project/WeightRetention.h"
#include "runs/BenchmarkDialog.h"
#include "runs/ComparisonView.h"
#include "runs/KeepWeightsField.h"
#include "runs/RunController.h"
#include "transfer/StrategyRegistry.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

using namespace ts;

namespace {

void check(QListWidget *list, const QStringList &keys)
{
    for (int i = 0; i < list->count(); ++i) {
        if (keys.contains(list->item(i)->data(Qt::UserRole).toString()))
            list->item(i)->setCheckState(Qt::Checked);
    }
}

} // namespace

class TestBenchmarkDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void dialogListsPairsAndStrategies();
    void startQueuesTheMatrixAsOneGroup();
    void weightsKeptStartFromTheProjectDefault();
    void cleanupTestCase();

private:
    test::TempFolder m_folder;
    QString m_path;
    ui::MainWindow *m_window = nullptr;
};

void TestBenchmarkDialog::initTestCase()
{
    m_path = m_folder.path(QStringLiteral("bench.tstudio"));
    m_window = new ui::MainWindow;
    QVERIFY(m_window->createProject(m_path));
    {
        auto project = Project::open(m_path);
        QVERIFY2(project.ok(), qPrintable(project.error()));
        for (const QString &domain : {QStringLiteral("books"), QStringLiteral("electronics")}) {
            const Status s = SampleCorpora::importDomain(*project.value(), domain);
            QVERIFY2(s.ok(), qPrintable(s.error()));
        }
    }
    const auto id = BuiltinModels::addToProject(m_window->project()->database(), QStringLiteral("tiny-encoder"),
                                                QStringLiteral("tiny"), {QStringLiteral("books")}, {});
    QVERIFY2(id.ok(), qPrintable(id.error()));
    m_window->refresh();
}

void TestBenchmarkDialog::dialogListsPairsAndStrategies()
{
    ui::BenchmarkDialog dialog(m_window->project()->database());
    QCOMPARE(dialog.pairList()->count(), 2); // books -> electronics and electronics -> books
    QCOMPARE(dialog.strategyList()->count(), int(StrategyRegistry::all().size()));
    QVERIFY(!dialog.startButton()->isEnabled()); // nothing checked yet
    check(dialog.pairList(), {QStringLiteral("books\telectronics")});
    check(dialog.strategyList(), {QStringLiteral("source-only")});
    dialog.seedBox()->setValue(4);
    QVERIFY(dialog.startButton()->isEnabled());
    const BenchmarkPlan plan = dialog.plan();
    QCOMPARE(plan.cellCount(), 4);
    QCOMPARE(plan.model, QStringLiteral("tiny"));
    QCOMPARE(plan.pairs.first().target, QStringLiteral("electronics"));
    // The model's proposal, as in the experiment dialog: the built-in model's higher learning rate.
    const auto model = ModelRegistry::find(m_window->project()->database(), QStringLiteral("tiny"));
    QVERIFY(model.ok());
    QCOMPARE(plan.config.learningRate, ModelDefaults::forModel(model.value()).learningRate);
}

void TestBenchmarkDialog::startQueuesTheMatrixAsOneGroup()
{
    bool answered = false;
    QTimer::singleShot(0, [&answered] {
        auto *dialog = qobject_cast<ui::BenchmarkDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        check(dialog->pairList(), {QStringLiteral("books\telectronics"), QStringLiteral("electronics\tbooks")});
        check(dialog->strategyList(), {QStringLiteral("source-only"), QStringLiteral("freeze")});
        dialog->seedBox()->setValue(2);
        answered = dialog->findChild<QLabel *>(QStringLiteral("count"))->text().contains(QStringLiteral("= 8 runs"));
        dialog->startButton()->click();
    });
    m_window->findChild<QAction *>(QStringLiteral("actionNewBenchmark"))->trigger();
    QVERIFY(answered);
    QSignalSpy idle(m_window->runs(), &ui::RunController::idle);
    m_window->runs()->stopAll(); // the queue has what it needs; no training in this test

    const auto runs = RunStore(m_window->project()->database()).list();
    QVERIFY(runs.ok());
    QCOMPARE(runs->size(), 8);
    const qint64 group = runs->first().groupId;
    QVERIFY(group > 0);
    for (const RunRecord &run : runs.value()) {
        QCOMPARE(run.groupId, group);
        // Each run records what it keeps when it finishes: the project's default.
        QCOMPARE(QJsonDocument::fromJson(run.configJson.toUtf8()).object().value(QLatin1String("keep")).toString(),
                 QString::fromLatin1(WeightRetention::kFinal));
    }
    QCOMPARE(BenchmarkRunner::runsOf(m_window->project()->database(), group)->size(), 8);

    auto *view = m_window->findChild<ui::ComparisonView *>();
    QVERIFY(view);
    QCOMPARE(view->benchmarkGroup(), group);
    view->reload();
    QVERIFY2(view->matrixNote().contains(QStringLiteral("of 8 runs finished")), qPrintable(view->matrixNote()));
    QCOMPARE(view->matrixTable()->rowCount(), 3);    // 2 pairs and the average row
    QCOMPARE(view->matrixTable()->columnCount(), 4); // pair, evaluated on, 2 strategies
    QVERIFY(idle.count() > 0 || idle.wait(60000));

    // Opened later from the project panel, the group shows the same table.
    delete view;
    QVERIFY(!m_window->findChild<ui::ComparisonView *>());
    auto *explorer = m_window->findChild<ui::ProjectExplorer *>();
    QVERIFY(explorer);
    Q_EMIT explorer->itemActivatedFor(ui::ProjectExplorer::ItemKind::Group, group, QString());
    view = m_window->findChild<ui::ComparisonView *>();
    QVERIFY(view);
    QCOMPARE(view->benchmarkGroup(), group);
    QVERIFY2(view->matrixNote().contains(QStringLiteral("of 8 runs finished")), qPrintable(view->matrixNote()));
    QCOMPARE(view->matrixTable()->rowCount(), 3);
}

void TestBenchmarkDialog::weightsKeptStartFromTheProjectDefault()
{
    const QSqlDatabase db = m_window->project()->database();
    {
        ui::BenchmarkDialog dialog(db);
        ui::KeepWeightsField *keep = dialog.keepField();
        QCOMPARE(keep->keep(), QString::fromLatin1(WeightRetention::kFinal));
        QVERIFY(keep->combo()->currentText().contains(QStringLiteral("project default")));
        keep->combo()->setCurrentIndex(keep->combo()->findData(QString::fromLatin1(WeightRetention::kNone)));
        QCOMPARE(dialog.plan().config.keep, QString::fromLatin1(WeightRetention::kNone));
        // Without the box ticked the project's default stays.
        QVERIFY(keep->applyToProject().ok());
        QCOMPARE(WeightRetention::projectDefault(db).value(), QString::fromLatin1(WeightRetention::kFinal));
        keep->makeDefaultBox()->setChecked(true);
        QVERIFY(keep->applyToProject().ok());
        QCOMPARE(WeightRetention::projectDefault(db).value(), QString::fromLatin1(WeightRetention::kNone));
    }
    ui::BenchmarkDialog next(db);
    QCOMPARE(next.keepField()->keep(), QString::fromLatin1(WeightRetention::kNone));
    QCOMPARE(next.plan().config.keep, QString::fromLatin1(WeightRetention::kNone));
    QVERIFY(WeightRetention::setProjectDefault(db, QString::fromLatin1(WeightRetention::kFinal)).ok());
}

void TestBenchmarkDialog::cleanupTestCase()
{
    delete m_window;
}

QTEST_MAIN(TestBenchmarkDialog)
#include "tst_benchmarkdialog.moc"
