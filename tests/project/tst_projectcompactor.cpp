// ProjectCompactor and SpaceMeter: deleting a run and compacting returns the file to its size before
// the run; compaction is refused while the project is open, and a cancelled one changes nothing.
#include "ProjectFixture.h"
#include "TempProject.h"

#include "project/Project.h"
#include "project/ProjectCompactor.h"
#include "project/ProjectEraser.h"
#include "project/SpaceMeter.h"

#include <QFile>
#include <QFileInfo>
#include <QTest>

using namespace ts;

namespace {

constexpr int kCheckpointBytes = 4000000; // one run's checkpoint in the fixture

} // namespace

class TestProjectCompactor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void deleteThenCompactReturnsTheSpace();
    void refusedWhileOpen();
    void cancelChangesNothing();

private:
    std::unique_ptr<test::TempFolder> m_dir;
    QString m_path;
    qint64 m_corpus = 0;
    qint64 m_model = 0;
};

void TestProjectCompactor::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    m_path = m_dir->path(QStringLiteral("p.tstudio"));
    auto project = Project::create(m_path);
    QVERIFY(project);
    test::ProjectFixture rows(*project.value());
    m_corpus = rows.corpus(QStringLiteral("music"), 200);
    m_model = rows.model(QStringLiteral("tiny"));
}

void TestProjectCompactor::deleteThenCompactReturnsTheSpace()
{
    QVERIFY(QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner)); // a private project stays private
    const QFile::Permissions permissions = QFile::permissions(m_path);
    QVERIFY(ProjectCompactor::compact(m_path));
    QCOMPARE(QFile::permissions(m_path), permissions);
    const qint64 beforeRun = QFileInfo(m_path).size();
    qint64 run = 0;
    {
        auto project = Project::open(m_path);
        QVERIFY(project);
        run = test::ProjectFixture(*project.value()).run(m_corpus, m_corpus, m_model, QStringLiteral("finished"), 0,
                                                         kCheckpointBytes);
        const auto space = SpaceMeter::measure(project.value()->database(), m_path);
        QVERIFY2(space, qPrintable(space.error()));
        QVERIFY(space->exact);
        QVERIFY2(space->checkpoints >= kCheckpointBytes, qPrintable(QString::number(space->checkpoints)));
        QVERIFY(space->corpora > 0);
        QCOMPARE(space->freeBytes, 0);
    }
    QVERIFY(ProjectCompactor::compact(m_path));
    QVERIFY(QFileInfo(m_path).size() >= beforeRun + kCheckpointBytes);
    {
        auto project = Project::open(m_path);
        QVERIFY(project);
        const ProjectEraser::RunIsLive none = [](qint64) { return false; };
        const auto plan = ProjectEraser::plan(project.value()->database(), ErasePlan::Kind::Run, QString::number(run), none);
        QVERIFY(plan);
        QVERIFY(ProjectEraser::erase(*project.value(), plan.value(), none));
        const auto space = SpaceMeter::measure(project.value()->database(), m_path);
        QVERIFY(space);
        QVERIFY2(space->freeBytes >= kCheckpointBytes, qPrintable(QString::number(space->freeBytes)));
        QCOMPARE(space->checkpoints, 0);
    }
    QList<qint64> progress;
    CompactParams params;
    params.progress = [&progress](qint64 written, qint64) { progress.append(written); };
    const auto report = ProjectCompactor::compact(m_path, params);
    QVERIFY2(report, qPrintable(report.error()));
    QVERIFY(!progress.isEmpty());
    QCOMPARE(report->after, QFileInfo(m_path).size());
    QVERIFY2(report->after <= beforeRun * 105 / 100,
             qPrintable(QStringLiteral("%1 bytes after, %2 before the run").arg(report->after).arg(beforeRun)));
    QVERIFY(!QFileInfo::exists(ProjectCompactor::copyPath(m_path)));
    auto project = Project::open(m_path);
    QVERIFY(project);
    test::ProjectFixture rows(*project.value());
    QCOMPARE(rows.integrity(), QStringLiteral("ok"));
    QCOMPARE(rows.count(QStringLiteral("documents")), 200);
}

void TestProjectCompactor::refusedWhileOpen()
{
    auto project = Project::open(m_path, Project::Access::ReadOnly);
    QVERIFY(project);
    const QByteArray digest = test::fileDigest(m_path);
    const auto report = ProjectCompactor::compact(m_path);
    QVERIFY(!report);
    QVERIFY2(report.error().contains(QLatin1String("is open in another program")), qPrintable(report.error()));
    QCOMPARE(test::fileDigest(m_path), digest);
}

void TestProjectCompactor::cancelChangesNothing()
{
    {
        auto project = Project::open(m_path);
        QVERIFY(project);
        test::ProjectFixture(*project.value()).run(m_corpus, m_corpus, m_model, QStringLiteral("finished"), 0, kCheckpointBytes);
    }
    CompactParams params;
    params.cancelled = [] { return true; };
    const auto report = ProjectCompactor::compact(m_path, params);
    QVERIFY(!report);
    QVERIFY2(report.error().startsWith(QLatin1String("compaction cancelled")), qPrintable(report.error()));
    QVERIFY(!QFileInfo::exists(ProjectCompactor::copyPath(m_path)));
    auto project = Project::open(m_path);
    QVERIFY(project);
    test::ProjectFixture rows(*project.value());
    QCOMPARE(rows.integrity(), QStringLiteral("ok"));
    QCOMPARE(rows.count(QStringLiteral("artifact_chunks")), 1);
}

QTEST_GUILESS_MAIN(TestProjectCompactor)
#include "tst_projectcompactor.moc"
