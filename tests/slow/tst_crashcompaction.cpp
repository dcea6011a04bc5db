// SIGKILL during `compact`, at random moments of its work (once the compacted copy has appeared
// beside the project, after a delay drawn from a fixed-seed generator that the test prints): kKills
// kills (TS_CRASH_KILLS sets how many: the on-demand 100-kill mode). After each kill: the project opens with a clean integrity check and
// holds exactly the rows it held before (a compaction moves pages, never content), it is either the
// original file or the finished compaction, and the next `compact` completes, leaves no copy behind
// and gives the size of an uninterrupted compaction.
#include "CliRunner.h"
#include "CrashTrial.h"
#include "KillTrials.h"
#include "ProjectFixture.h"

#include "project/ProjectCompactor.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace ts;
using test::runCli;

namespace {

constexpr int kKills = 10;
constexpr quint32 kDefaultSeed = 20241206;
constexpr int kRuns = 6;
constexpr int kCheckpointBytes = 8000000; // per run: a compaction of a few hundred milliseconds
constexpr int kTimeoutMs = 600000;

// Every row a compaction must keep, as text: runs, documents, metrics, predictions and the bytes
// of every artifact chunk (by length and a checksum-like aggregate, to keep the rows small).
const QStringList kContent{
    QStringLiteral("SELECT id, strategy, status, source_corpus_id, model_id FROM runs ORDER BY id"),
    QStringLiteral("SELECT id, corpus_id, split, label, text FROM documents ORDER BY id"),
    QStringLiteral("SELECT id, run_id, step, split, metric, value FROM metrics ORDER BY id"),
    QStringLiteral("SELECT evaluation_id, ordinal, label, predicted, hex(probabilities) FROM predictions ORDER BY 1, 2"),
    QStringLiteral("SELECT artifact_id, seq, length(data), hex(substr(data, 1, 16)) FROM artifact_chunks ORDER BY 1, 2"),
};

QStringList contentOf(const QString &path)
{
    QStringList rows;
    for (const QString &sql : kContent) {
        QString error;
        const QStringList table = test::readRows(path, sql, &error);
        if (!error.isEmpty())
            return {error};
        rows << sql << table;
    }
    return rows;
}

QStringList compactArguments(const QString &project)
{
    return {QStringLiteral("compact"), project};
}

/// Starts `compact` on `project`, waits for its copy to appear, then for `delayMs` more, and kills
/// it. Returns the milliseconds from the copy's appearance to the process's end when it ended by
/// itself first (-1 when it was killed), or -2 when it failed or never wrote a copy.
qint64 compactAndKill(const QString &project, int delayMs)
{
    QProcess process;
    process.start(QStringLiteral(TS_CLI_PATH), compactArguments(project));
    if (!process.waitForStarted(30000))
        return -2;
    const QString copy = ProjectCompactor::copyPath(project);
    QElapsedTimer waited;
    waited.start();
    while (!QFileInfo::exists(copy) && process.state() == QProcess::Running && waited.elapsed() < kTimeoutMs)
        QThread::usleep(200);
    if (process.state() != QProcess::Running)
        return -2;
    QElapsedTimer sinceCopy;
    sinceCopy.start();
    if (process.waitForFinished(delayMs))
        return process.exitCode() == 0 ? sinceCopy.elapsed() : -2;
    process.kill();
    process.waitForFinished(30000);
    return -1;
}

} // namespace

class TestCrashCompaction : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void killedCompactionsLeaveTheProjectWhole();

private:
    QTemporaryDir m_dir;
    QString m_base;           // a project with one run deleted: free pages to compact
    QStringList m_content;    // its rows
    qint64 m_baseBytes = 0;
    qint64 m_compactedBytes = 0; // after an uninterrupted compaction
    qint64 m_workMs = 0; // of an uninterrupted compaction, from its copy's appearance to its end
};

void TestCrashCompaction::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_base = m_dir.filePath(QStringLiteral("base.tstudio"));
    {
        auto project = Project::create(m_base);
        QVERIFY2(project, qPrintable(project.error()));
        test::ProjectFixture rows(*project.value());
        const qint64 corpus = rows.corpus(QStringLiteral("music"), 200);
        const qint64 model = rows.model(QStringLiteral("tiny"));
        for (int i = 0; i < kRuns; ++i)
            rows.run(corpus, corpus, model, QStringLiteral("finished"), 0, kCheckpointBytes);
    }
    const auto deleted = runCli({QStringLiteral("delete"), m_base, QStringLiteral("--run"), QStringLiteral("2"),
                                 QStringLiteral("--yes")});
    QVERIFY2(deleted.exitCode == 0, qPrintable(deleted.err));
    m_content = contentOf(m_base);
    QVERIFY2(m_content.size() > 200, qPrintable(m_content.join(QLatin1Char('\n')).left(2000)));
    m_baseBytes = QFileInfo(m_base).size();

    const QString reference = m_dir.filePath(QStringLiteral("reference.tstudio"));
    QVERIFY(test::copyProject(m_base, reference));
    m_workMs = compactAndKill(reference, kTimeoutMs);
    QVERIFY2(m_workMs >= 0, "the uninterrupted compaction failed");
    m_compactedBytes = QFileInfo(reference).size();
    QVERIFY(m_compactedBytes < m_baseBytes - kCheckpointBytes / 2);
    QCOMPARE(contentOf(reference), m_content);
    qInfo("an uninterrupted compaction works %lld ms after its copy appears: %lld -> %lld bytes", m_workMs, m_baseBytes,
          m_compactedBytes);
}

void TestCrashCompaction::killedCompactionsLeaveTheProjectWhole()
{
    test::KillTrials trials(kDefaultSeed, kKills);
    int killedMidway = 0;
    int leftCopies = 0;
    int trial = 0;
    // Delays are drawn over the work and a little beyond: most kills land in it.
    for (; trials.goOn(killedMidway, trial); ++trial) {
        const QString folder = m_dir.filePath(QStringLiteral("trial-%1").arg(trial));
        const QString project = test::copyIntoFolder(m_base, folder);
        QVERIFY(!project.isEmpty());
        const int delayMs = trials.nextDelayMs(m_workMs * 5 / 4);
        const qint64 outcome = compactAndKill(project, delayMs);
        const QString context = QStringLiteral("trial %1, killed %2 ms after the copy appeared").arg(trial).arg(delayMs);
        QVERIFY2(outcome != -2, qPrintable(context + QStringLiteral(": the compaction failed or wrote no copy")));
        if (outcome == -1)
            ++killedMidway;
        if (QFileInfo::exists(ProjectCompactor::copyPath(project)))
            ++leftCopies;

        QVERIFY2(test::openAndCheck(project) == QLatin1String("ok"), qPrintable(context));
        QVERIFY2(contentOf(project) == m_content, qPrintable(context + QStringLiteral(": rows changed")));
        const qint64 bytes = QFileInfo(project).size();
        QVERIFY2(bytes == m_baseBytes || bytes == m_compactedBytes,
                 qPrintable(context + QStringLiteral(": %1 bytes, neither the original nor the compacted size").arg(bytes)));

        const auto again = runCli(compactArguments(project), kTimeoutMs);
        QVERIFY2(again.exitCode == 0, qPrintable(context + QStringLiteral(": ") + again.err));
        QVERIFY2(!QFileInfo::exists(ProjectCompactor::copyPath(project)), qPrintable(context));
        QCOMPARE(QFileInfo(project).size(), m_compactedBytes);
        QVERIFY2(contentOf(project) == m_content, qPrintable(context));
        QDir(folder).removeRecursively();
    }
    qInfo("%d of %d compactions were killed before they finished; %d left a copy that the next compaction "
          "replaced",
          killedMidway, trial, leftCopies);
    QVERIFY2(killedMidway >= trials.kills(), qPrintable(QStringLiteral("%1 of %2").arg(killedMidway).arg(trial)));
}

QTEST_GUILESS_MAIN(TestCrashCompaction)
#include "tst_crashcompaction.moc"
