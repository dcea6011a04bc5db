// Runs, groups and metrics in the project file: records, status changes, incremental metric
// reads (how the GUI follows a run written by another connection or process).
#include "TempProject.h"

#include "project/Project.h"
#include "project/RunStore.h"

#include <QSqlQuery>
#include <QTest>

using namespace ts;

class TestRunStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void createAndLoad();
    void statusLifecycle();
    void unknownRunIsAnError();
    void metricsIncrementalRead();
    void metricsBatchIsAllOrNothing();
    void listAfterSeesOtherConnection();
    void groups();

private:
    RunRecord sampleRun() const;

    std::unique_ptr<test::TempFolder> m_dir;
    std::unique_ptr<Project> m_project;
};

void TestRunStore::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    auto project = Project::create(m_dir->path(QStringLiteral("runs.tstudio")));
    QVERIFY2(project.ok(), qPrintable(project.error()));
    m_project = std::move(project.value());
    QSqlQuery q(m_project->database());
    QVERIFY(q.exec(QStringLiteral("INSERT INTO corpora(id, name, created_at) VALUES (1, 'music', 'now'), (2, 'video', 'now')")));
}

RunRecord TestRunStore::sampleRun() const
{
    RunRecord run;
    run.name = QStringLiteral("music -> video");
    run.strategy = QStringLiteral("dann");
    run.sourceCorpusId = 1;
    run.targetCorpusId = 2;
    run.configJson = QStringLiteral("{\"lr\":0.0003}");
    run.initSeed = 13;
    run.dataSeed = 17;
    return run;
}

void TestRunStore::createAndLoad()
{
    RunStore store(m_project->database());
    const auto id = store.create(sampleRun());
    QVERIFY2(id.ok(), qPrintable(id.error()));
    const auto loaded = store.load(id.value());
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->strategy, QStringLiteral("dann"));
    QCOMPARE(loaded->sourceCorpusId, 1);
    QCOMPARE(loaded->targetCorpusId, 2);
    QCOMPARE(loaded->modelId, 0);
    QCOMPARE(loaded->initSeed, 13);
    QCOMPARE(loaded->dataSeed, 17);
    QCOMPARE(loaded->status, RunRecord::Status::Queued);
    QVERIFY(!loaded->createdAt.isEmpty());
    QVERIFY(loaded->startedAt.isEmpty());
}

void TestRunStore::statusLifecycle()
{
    RunStore store(m_project->database());
    const qint64 id = store.create(sampleRun()).value();
    QVERIFY(store.markStarted(id, QStringLiteral("cuda:0")).ok());
    const QString started = store.load(id)->startedAt;
    QVERIFY(!started.isEmpty());
    QCOMPARE(store.load(id)->status, RunRecord::Status::Running);
    QVERIFY(store.markEnded(id, RunRecord::Status::Interrupted).ok());
    QCOMPARE(store.load(id)->status, RunRecord::Status::Interrupted);
    // A resume keeps the first start time.
    QTest::qWait(5);
    QVERIFY(store.markStarted(id, QStringLiteral("cpu")).ok());
    QCOMPARE(store.load(id)->startedAt, started);
    QVERIFY(store.markEnded(id, RunRecord::Status::Failed, QStringLiteral("CUDA out of memory")).ok());
    const RunRecord run = store.load(id).value();
    QCOMPARE(run.status, RunRecord::Status::Failed);
    QCOMPARE(run.errorText, QStringLiteral("CUDA out of memory"));
    QCOMPARE(run.device, QStringLiteral("cpu"));
    QVERIFY(!run.finishedAt.isEmpty());
}

void TestRunStore::unknownRunIsAnError()
{
    RunStore store(m_project->database());
    const auto missing = store.load(99);
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().contains(QLatin1String("run 99")));
    QVERIFY(!store.markStarted(99, QStringLiteral("cpu")).ok());
    QVERIFY(!store.markEnded(99, RunRecord::Status::Finished).ok());
}

void TestRunStore::metricsIncrementalRead()
{
    RunStore store(m_project->database());
    const qint64 id = store.create(sampleRun()).value();
    MetricPoints first;
    for (int step = 1; step <= 3; ++step)
        first.append({id, step, step / 10.0, QStringLiteral("train"), QStringLiteral("loss"), 1.0 / step, 1.0e9});
    QVERIFY(store.appendMetrics(first).ok());
    qint64 last = 0;
    const auto read1 = store.metrics(id, 0, &last);
    QVERIFY(read1.ok());
    QCOMPARE(read1->size(), 3);
    QCOMPARE(read1->at(2).step, 3);
    QCOMPARE(read1->at(2).value, 1.0 / 3);
    QCOMPARE(read1->at(1).epoch, 0.2);
    QVERIFY(last > 0);

    QVERIFY(store.appendMetrics({{id, 4, 0.4, QStringLiteral("target/validation"), QStringLiteral("accuracy"), 0.7, 1.0e9}}).ok());
    const qint64 before = last;
    const auto read2 = store.metrics(id, last, &last);
    QVERIFY(read2.ok());
    QCOMPARE(read2->size(), 1);
    QCOMPARE(read2->first().split, QStringLiteral("target/validation"));
    QVERIFY(last > before);
    QCOMPARE(store.metrics(id, last, &last)->size(), 0);
}

void TestRunStore::metricsBatchIsAllOrNothing()
{
    RunStore store(m_project->database());
    const qint64 id = store.create(sampleRun()).value();
    // The second point names a run that does not exist: the foreign key fails the batch.
    const Status s = store.appendMetrics({{id, 1, 0, QStringLiteral("train"), QStringLiteral("loss"), 1, 0},
                                          {id + 100, 1, 0, QStringLiteral("train"), QStringLiteral("loss"), 1, 0}});
    QVERIFY(!s.ok());
    QCOMPARE(store.metrics(id)->size(), 0);
}

void TestRunStore::listAfterSeesOtherConnection()
{
    RunStore store(m_project->database());
    const qint64 first = store.create(sampleRun()).value();
    auto other = Project::open(m_project->path());
    QVERIFY2(other.ok(), qPrintable(other.error()));
    RunStore otherStore(other.value()->database());
    const qint64 second = otherStore.create(sampleRun()).value();
    const auto added = store.listAfter(first);
    QVERIFY(added.ok());
    QCOMPARE(added->size(), 1);
    QCOMPARE(added->first().id, second);
    QCOMPARE(store.list()->size(), 2);
}

void TestRunStore::groups()
{
    RunStore store(m_project->database());
    const auto group = store.createGroup(QStringLiteral("dann x3 seeds"), QStringLiteral("seeds"));
    QVERIFY(group.ok());
    RunRecord run = sampleRun();
    run.groupId = group.value();
    const qint64 id = store.create(run).value();
    QCOMPARE(store.load(id)->groupId, group.value());
}

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_runstore.moc"
