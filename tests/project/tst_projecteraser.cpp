// ProjectEraser: what deleting a run, group, corpus or model takes with it, refusals for runs in
// use, one transaction, and renaming.
#include "ProjectFixture.h"
#include "TempProject.h"

#include "project/Project.h"
#include "project/ProjectEraser.h"

#include <QTest>

using namespace ts;

class TestProjectEraser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void corpusTakesItsRuns();
    void eraseRemovesEveryRowOfTheRuns();
    void groupTakesItsRunsAndLastRunTakesItsGroup();
    void queuedRunKeepsItsModel();
    void runningRunIsRefusedUnlessAbandoned();
    void changedProjectIsRefused();
    void unknownItemsAreNamed();
    void renameChecksNames();

private:
    std::unique_ptr<test::TempFolder> m_dir;
    std::unique_ptr<Project> m_project;
    std::unique_ptr<test::ProjectFixture> m_rows;
    const ProjectEraser::RunIsLive m_noneLive = [](qint64) { return false; };
};

void TestProjectEraser::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    auto project = Project::create(m_dir->path(QStringLiteral("p.tstudio")));
    QVERIFY2(project, qPrintable(project.error()));
    m_project = std::move(project.value());
    m_rows = std::make_unique<test::ProjectFixture>(*m_project);
}

void TestProjectEraser::cleanup()
{
    m_rows.reset();
    m_project.reset();
    m_dir.reset();
}

void TestProjectEraser::corpusTakesItsRuns()
{
    const qint64 music = m_rows->corpus(QStringLiteral("music"));
    const qint64 video = m_rows->corpus(QStringLiteral("video"));
    const qint64 books = m_rows->corpus(QStringLiteral("books"));
    const qint64 model = m_rows->model(QStringLiteral("tiny"));
    const qint64 a = m_rows->run(music, video, model);
    const qint64 b = m_rows->run(video, music, model);
    m_rows->run(books, video, model);
    const qint64 c = m_rows->run(music, books, model);

    const auto plan = ProjectEraser::plan(m_project->database(), ErasePlan::Kind::Corpus, QStringLiteral("music"), m_noneLive);
    QVERIFY2(plan, qPrintable(plan.error()));
    QCOMPARE(plan->runs, (QList<qint64>{a, b, c}));
    QCOMPARE(plan->describe(), QStringLiteral("deleting corpus music also deletes its 3 runs (%1, %2, %3) with their "
                                              "metrics, predictions and checkpoints")
                                   .arg(a)
                                   .arg(b)
                                   .arg(c));
}

void TestProjectEraser::eraseRemovesEveryRowOfTheRuns()
{
    const qint64 music = m_rows->corpus(QStringLiteral("music"), 5);
    const qint64 video = m_rows->corpus(QStringLiteral("video"), 4);
    const qint64 model = m_rows->model(QStringLiteral("tiny"));
    const qint64 gone = m_rows->run(music, video, model);
    const qint64 kept = m_rows->run(video, video, model);

    const auto plan = ProjectEraser::plan(m_project->database(), ErasePlan::Kind::Corpus, QStringLiteral("music"), m_noneLive);
    QVERIFY2(plan, qPrintable(plan.error()));
    const Status erased = ProjectEraser::erase(*m_project, plan.value(), m_noneLive);
    QVERIFY2(erased, qPrintable(erased.error()));

    QCOMPARE(m_rows->count(QStringLiteral("corpora")), 1);
    QCOMPARE(m_rows->count(QStringLiteral("documents")), 4);
    QCOMPARE(m_rows->count(QStringLiteral("runs"), QStringLiteral("id = %1").arg(gone)), 0);
    QCOMPARE(m_rows->count(QStringLiteral("runs"), QStringLiteral("id = %1").arg(kept)), 1);
    QCOMPARE(m_rows->count(QStringLiteral("metrics")), 2);
    QCOMPARE(m_rows->count(QStringLiteral("run_evaluations")), 1);
    QCOMPARE(m_rows->count(QStringLiteral("predictions")), 1);
    QCOMPARE(m_rows->count(QStringLiteral("artifacts")), 1);
    QCOMPARE(m_rows->count(QStringLiteral("artifact_chunks")), 1);
    QCOMPARE(m_rows->integrity(), QStringLiteral("ok"));
}

void TestProjectEraser::groupTakesItsRunsAndLastRunTakesItsGroup()
{
    const qint64 music = m_rows->corpus(QStringLiteral("music"));
    const qint64 model = m_rows->model(QStringLiteral("tiny"));
    const qint64 seeds = m_rows->group(QStringLiteral("seeds"));
    const qint64 budgets = m_rows->group(QStringLiteral("budgets"));
    const qint64 s1 = m_rows->run(music, music, model, QStringLiteral("finished"), seeds);
    const qint64 s2 = m_rows->run(music, music, model, QStringLiteral("failed"), seeds);
    const qint64 b1 = m_rows->run(music, music, model, QStringLiteral("finished"), budgets);

    const auto group = ProjectEraser::plan(m_project->database(), ErasePlan::Kind::Group, QString::number(seeds), m_noneLive);
    QVERIFY2(group, qPrintable(group.error()));
    QCOMPARE(group->runs, (QList<qint64>{s1, s2}));
    QCOMPARE(group->groups, QList<qint64>{seeds});
    QVERIFY(group->describe().startsWith(QStringLiteral("deleting group %1 also deletes its 2 runs").arg(seeds)));

    const auto lastRun = ProjectEraser::plan(m_project->database(), ErasePlan::Kind::Run, QString::number(b1), m_noneLive);
    QVERIFY2(lastRun, qPrintable(lastRun.error()));
    QCOMPARE(lastRun->groups, QList<qint64>{budgets});
    QCOMPARE(lastRun->describe(), QStringLiteral("deleting run %1 deletes its metrics, predictions and checkpoints, and "
                                                 "group %2, which has no other run")
                                      .arg(b1)
                                      .arg(budgets));
    QVERIFY(ProjectEraser::erase(*m_project, group.value(), m_noneLive));
    QVERIFY(ProjectEraser::erase(*m_project, lastRun.value(), m_noneLive));
    QCOMPARE(m_rows->count(QStringLiteral("runs")), 0);
    QCOMPARE(m_rows->count(QStringLiteral("run_groups")), 0);
}

void TestProjectEraser::queuedRunKeepsItsModel()
{
    const qint64 music = m_rows->corpus(QStringLiteral("music"));
    const qint64 model = m_rows->model(QStringLiteral("tiny"));
    const qint64 queued = m_rows->run(music, music, model, QStringLiteral("queued"));

    const auto plan = ProjectEraser::plan(m_project->database(), ErasePlan::Kind::Model, QStringLiteral("tiny"), m_noneLive);
    QVERIFY(!plan);
    QCOMPARE(plan.error(), QStringLiteral("cannot delete model tiny: run %1 is queued to use it; delete run %1 first, or "
                                          "wait until it ends")
                               .arg(queued));
    // The queued run itself may go (nothing executes it yet).
    QVERIFY(ProjectEraser::plan(m_project->database(), ErasePlan::Kind::Run, QString::number(queued), m_noneLive));
    QCOMPARE(m_rows->count(QStringLiteral("models")), 1);
}

void TestProjectEraser::runningRunIsRefusedUnlessAbandoned()
{
    const qint64 music = m_rows->corpus(QStringLiteral("music"));
    const qint64 model = m_rows->model(QStringLiteral("tiny"));
    const qint64 running = m_rows->run(music, music, model, QStringLiteral("running"));
    const ProjectEraser::RunIsLive live = [running](qint64 id) { return id == running; };

    const auto refused = ProjectEraser::plan(m_project->database(), ErasePlan::Kind::Corpus, QStringLiteral("music"), live);
    QVERIFY(!refused);
    QVERIFY2(refused.error().contains(QStringLiteral("run %1 is running").arg(running)), qPrintable(refused.error()));
    QVERIFY(!ProjectEraser::plan(m_project->database(), ErasePlan::Kind::Run, QString::number(running), live));

    // Recorded as running by a process that died: it goes.
    const auto abandoned = ProjectEraser::plan(m_project->database(), ErasePlan::Kind::Corpus, QStringLiteral("music"), m_noneLive);
    QVERIFY2(abandoned, qPrintable(abandoned.error()));
    QCOMPARE(abandoned->runs, QList<qint64>{running});
}

void TestProjectEraser::changedProjectIsRefused()
{
    const qint64 music = m_rows->corpus(QStringLiteral("music"));
    const qint64 model = m_rows->model(QStringLiteral("tiny"));
    m_rows->run(music, music, model);
    const auto plan = ProjectEraser::plan(m_project->database(), ErasePlan::Kind::Corpus, QStringLiteral("music"), m_noneLive);
    QVERIFY(plan);
    m_rows->run(music, music, model); // another process adds a run between the confirmation and the delete

    const Status erased = ProjectEraser::erase(*m_project, plan.value(), m_noneLive);
    QVERIFY(!erased);
    QVERIFY2(erased.error().contains(QLatin1String("changed since it was planned")), qPrintable(erased.error()));
    QCOMPARE(m_rows->count(QStringLiteral("runs")), 2);
    QCOMPARE(m_rows->count(QStringLiteral("corpora")), 1);
}

void TestProjectEraser::unknownItemsAreNamed()
{
    const QSqlDatabase db = m_project->database();
    QCOMPARE(ProjectEraser::plan(db, ErasePlan::Kind::Corpus, QStringLiteral("nope"), m_noneLive).error(),
             QStringLiteral("the project has no corpus nope"));
    QCOMPARE(ProjectEraser::plan(db, ErasePlan::Kind::Run, QStringLiteral("x1"), m_noneLive).error(),
             QStringLiteral("'x1' is not a run id (a positive number)"));
    QCOMPARE(ProjectEraser::plan(db, ErasePlan::Kind::Group, QStringLiteral("7"), m_noneLive).error(),
             QStringLiteral("the project has no group 7"));
}

void TestProjectEraser::renameChecksNames()
{
    const qint64 music = m_rows->corpus(QStringLiteral("music"));
    m_rows->corpus(QStringLiteral("video"));
    const qint64 model = m_rows->model(QStringLiteral("tiny"));
    const qint64 run = m_rows->run(music, music, model);

    QVERIFY(ProjectEraser::rename(*m_project, ErasePlan::Kind::Corpus, QStringLiteral("music"), QStringLiteral(" songs ")));
    QCOMPARE(m_rows->count(QStringLiteral("corpora"), QStringLiteral("name = 'songs' AND id = %1").arg(music)), 1);
    const Status clash = ProjectEraser::rename(*m_project, ErasePlan::Kind::Corpus, QStringLiteral("songs"), QStringLiteral("video"));
    QCOMPARE(clash.error(), QStringLiteral("cannot rename corpus songs: the project already has a corpus named video; "
                                           "choose another name"));
    QVERIFY(!ProjectEraser::rename(*m_project, ErasePlan::Kind::Model, QStringLiteral("tiny"), QStringLiteral("  ")));
    QVERIFY(ProjectEraser::rename(*m_project, ErasePlan::Kind::Run, QString::number(run), QStringLiteral("baseline")));
    QCOMPARE(m_rows->count(QStringLiteral("runs"), QStringLiteral("name = 'baseline'")), 1);
    QCOMPARE(m_rows->count(QStringLiteral("corpora"), QStringLiteral("name = 'video'")), 1);
}

QTEST_GUILESS_MAIN(TestProjectEraser)
#include "tst_projecteraser.moc"
