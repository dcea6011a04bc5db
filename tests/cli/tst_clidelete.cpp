// transfer-studio-cli delete and rename: what goes is printed before anything is deleted, --yes
// deletes, a run that executes in another process (its lock file held) is refused.
#include "CliRunner.h"
#include "ProjectFixture.h"
#include "TempProject.h"

#include "project/Project.h"
#include "transfer/TransferRunner.h"

#include <QLockFile>
#include <QTest>

using namespace ts;
using test::runCli;

class TestCliDelete : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void withoutYesPrintsWhatWouldGo();
    void yesDeletesCorpusAndItsRuns();
    void runExecutingElsewhereIsRefused();
    void renameAndClash();
    void exactlyOneItem();

private:
    /// count(*) of `table` in the project, read through a fresh connection.
    qint64 count(const QString &table);

    std::unique_ptr<test::TempFolder> m_dir;
    QString m_path;
    qint64 m_musicRuns[2] = {};
    qint64 m_otherRun = 0;
};

void TestCliDelete::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    m_path = m_dir->path(QStringLiteral("p.tstudio"));
    auto project = Project::create(m_path);
    QVERIFY(project);
    test::ProjectFixture rows(*project.value());
    const qint64 music = rows.corpus(QStringLiteral("music"));
    const qint64 video = rows.corpus(QStringLiteral("video"));
    const qint64 model = rows.model(QStringLiteral("tiny"));
    m_musicRuns[0] = rows.run(music, video, model);
    m_musicRuns[1] = rows.run(video, music, model, QStringLiteral("running"));
    m_otherRun = rows.run(video, video, model);
}

qint64 TestCliDelete::count(const QString &table)
{
    auto project = Project::open(m_path, Project::Access::ReadOnly);
    if (!project)
        return -1;
    return test::ProjectFixture(*project.value()).count(table);
}

void TestCliDelete::withoutYesPrintsWhatWouldGo()
{
    const auto r = runCli({QStringLiteral("delete"), m_path, QStringLiteral("--corpus"), QStringLiteral("music")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("deleting corpus music also deletes its 2 runs (%1, %2)")
                                .arg(m_musicRuns[0])
                                .arg(m_musicRuns[1])),
             qPrintable(r.err));
    QVERIFY(r.err.contains(QLatin1String("nothing was deleted: add --yes")));
    QCOMPARE(count(QStringLiteral("runs")), 3);
    QCOMPARE(count(QStringLiteral("corpora")), 2);
}

void TestCliDelete::yesDeletesCorpusAndItsRuns()
{
    // Run 2 is recorded as running, but no process holds its lock: it was abandoned, and may go.
    const auto r = runCli({QStringLiteral("delete"), m_path, QStringLiteral("--corpus"), QStringLiteral("music"),
                           QStringLiteral("--yes")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(r.out.trimmed(), QStringLiteral("deleted corpus music and 2 run(s)"));
    QCOMPARE(count(QStringLiteral("runs")), 1);
    QCOMPARE(count(QStringLiteral("corpora")), 1);
    QCOMPARE(count(QStringLiteral("metrics")), 2);
    QCOMPARE(count(QStringLiteral("artifact_chunks")), 1);

    const auto run = runCli({QStringLiteral("delete"), m_path, QStringLiteral("--run"), QString::number(m_otherRun),
                             QStringLiteral("--yes")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(count(QStringLiteral("runs")), 0);
    const auto check = runCli({QStringLiteral("info"), m_path, QStringLiteral("--check")});
    QVERIFY2(check.exitCode == 0, qPrintable(check.err));
}

void TestCliDelete::runExecutingElsewhereIsRefused()
{
    QLockFile lock(TransferRunner::lockPath(m_path, m_musicRuns[1]));
    QVERIFY(lock.tryLock(0));
    for (const QStringList &item : {QStringList{QStringLiteral("--corpus"), QStringLiteral("video")},
                                    QStringList{QStringLiteral("--run"), QString::number(m_musicRuns[1])}}) {
        const auto r = runCli(QStringList{QStringLiteral("delete"), m_path} + item + QStringList{QStringLiteral("--yes")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("run %1 is running").arg(m_musicRuns[1])), qPrintable(r.err));
    }
    QCOMPARE(count(QStringLiteral("runs")), 3);
}

void TestCliDelete::renameAndClash()
{
    const auto r = runCli({QStringLiteral("rename"), m_path, QStringLiteral("--model"), QStringLiteral("tiny"),
                           QStringLiteral("--to"), QStringLiteral("small")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(r.out.trimmed(), QStringLiteral("renamed model tiny to small"));
    const auto clash = runCli({QStringLiteral("rename"), m_path, QStringLiteral("--corpus"), QStringLiteral("music"),
                               QStringLiteral("--to"), QStringLiteral("video")});
    QCOMPARE(clash.exitCode, 1);
    QVERIFY(clash.err.contains(QLatin1String("already has a corpus named video")));
    const auto missing = runCli({QStringLiteral("rename"), m_path, QStringLiteral("--model"), QStringLiteral("tiny"),
                                 QStringLiteral("--to"), QStringLiteral("x")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains(QLatin1String("the project has no model tiny")));
}

void TestCliDelete::exactlyOneItem()
{
    const auto both = runCli({QStringLiteral("delete"), m_path, QStringLiteral("--corpus"), QStringLiteral("music"),
                              QStringLiteral("--model"), QStringLiteral("tiny")});
    QCOMPARE(both.exitCode, 2);
    const auto noTo = runCli({QStringLiteral("rename"), m_path, QStringLiteral("--run"), QStringLiteral("1")});
    QCOMPARE(noTo.exitCode, 2);
    QCOMPARE(count(QStringLiteral("runs")), 3);
}

QTEST_GUILESS_MAIN(TestCliDelete)
#include "tst_clidelete.moc"
