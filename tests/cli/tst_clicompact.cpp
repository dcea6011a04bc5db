// transfer-studio-cli compact and info's space: a SIGKILL in the middle of a compaction leaves the
// project intact, and the next compaction completes; refused while the project is open.
#include "CliRunner.h"
#include "ProjectFixture.h"
#include "TempProject.h"

#include "project/Project.h"
#include "project/ProjectCompactor.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QThread>

using namespace ts;
using test::runCli;

namespace {

constexpr int kRuns = 6;
constexpr int kCheckpointBytes = 40000000; // per run: a compaction long enough to be killed midway

} // namespace

class TestCliCompact : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void killedCompactionLeavesProjectIntact();
    void refusedWhileOpen();
    void infoShowsSpaceByKind();

private:
    std::unique_ptr<test::TempFolder> m_dir;
    QString m_path;
};

void TestCliCompact::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    m_path = m_dir->path(QStringLiteral("p.tstudio"));
    auto project = Project::create(m_path);
    QVERIFY(project);
    test::ProjectFixture rows(*project.value());
    const qint64 corpus = rows.corpus(QStringLiteral("music"), 50);
    const qint64 model = rows.model(QStringLiteral("tiny"));
    for (int i = 0; i < kRuns; ++i)
        rows.run(corpus, corpus, model, QStringLiteral("finished"), 0, i == 0 ? kCheckpointBytes / 4 : kCheckpointBytes);
}

void TestCliCompact::killedCompactionLeavesProjectIntact()
{
    const auto deleted = runCli({QStringLiteral("delete"), m_path, QStringLiteral("--run"), QStringLiteral("1"),
                                 QStringLiteral("--yes")});
    QVERIFY2(deleted.exitCode == 0, qPrintable(deleted.err));

    QProcess cli;
    cli.start(QStringLiteral(TS_CLI_PATH), {QStringLiteral("compact"), m_path});
    QVERIFY(cli.waitForStarted());
    const QString copy = ProjectCompactor::copyPath(m_path);
    QElapsedTimer waited;
    waited.start();
    while (QFileInfo(copy).size() < kCheckpointBytes && cli.state() == QProcess::Running && waited.elapsed() < 60000)
        QThread::msleep(2);
    QVERIFY2(cli.state() == QProcess::Running, "the compaction ended before it could be killed");
    cli.kill(); // SIGKILL
    QVERIFY(cli.waitForFinished());
    QVERIFY(QFileInfo(copy).size() > 0); // killed while writing the copy

    {
        auto project = Project::open(m_path, Project::Access::ReadOnly);
        QVERIFY2(project, qPrintable(project.error()));
        test::ProjectFixture rows(*project.value());
        QCOMPARE(rows.integrity(), QStringLiteral("ok"));
        QCOMPARE(rows.count(QStringLiteral("runs")), kRuns - 1);
        QCOMPARE(rows.count(QStringLiteral("documents")), 50);
        QCOMPARE(rows.count(QStringLiteral("artifact_chunks")), kRuns - 1);
    }
    const qint64 before = QFileInfo(m_path).size();
    const auto again = runCli({QStringLiteral("compact"), m_path});
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    QVERIFY(again.out.startsWith(QStringLiteral("compacted %1:").arg(m_path)));
    QVERIFY(!QFileInfo::exists(copy));
    QVERIFY(QFileInfo(m_path).size() <= before - kCheckpointBytes / 4);
    const auto check = runCli({QStringLiteral("info"), m_path, QStringLiteral("--check")});
    QVERIFY2(check.exitCode == 0, qPrintable(check.err));
}

void TestCliCompact::refusedWhileOpen()
{
    auto project = Project::open(m_path);
    QVERIFY(project);
    const auto r = runCli({QStringLiteral("compact"), m_path});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QLatin1String("is open in another program")), qPrintable(r.err));
}

void TestCliCompact::infoShowsSpaceByKind()
{
    const auto r = runCli({QStringLiteral("info"), m_path, QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject bytes = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("bytes")).toObject();
    QVERIFY(bytes.value(QStringLiteral("checkpoints")).toDouble() >= (kRuns - 1) * double(kCheckpointBytes));
    QVERIFY(bytes.value(QStringLiteral("file")).toDouble() >= bytes.value(QStringLiteral("checkpoints")).toDouble());
    QVERIFY(bytes.value(QStringLiteral("corpora")).toDouble() > 0);
    const auto human = runCli({QStringLiteral("info"), m_path});
    QVERIFY(human.out.contains(QLatin1String("compact would free")));
}

QTEST_GUILESS_MAIN(TestCliCompact)
#include "tst_clicompact.moc"
