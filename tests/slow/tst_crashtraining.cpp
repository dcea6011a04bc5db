// SIGKILL during `run`, at random moments (delays from a fixed-seed generator that the test
// prints), until kInterrupted kills have landed while the run was training (TS_CRASH_KILLS sets
// how many: the on-demand 100-kill mode; at most 4 times as many trials: under load, startup takes
// a larger share of the run and more kills land before it). After each kill: the project opens
// with a clean integrity check, every metric row a reader saw committed just before the kill is
// still there, `runs` shows the run as interrupted, and `resume` continues from its last
// checkpoint to exactly the metrics of an uninterrupted run.
//
// "Exactly": the CLI trains on one thread with fixed seeds; the checkpoint holds the weights, the
// AdamW state and the CPU generator's state, and the data order is a function of (seed, epoch), so
// a resumed run repeats the same floating-point operations in the same order as the reference and
// must give bit-identical values. The rows of steps between the last checkpoint and the kill are
// replaced by the resume (same values, new row ids): each (step, split, metric) is recorded once.
#include "CliRunner.h"
#include "CrashTrial.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;
using test::runCli;

namespace {

constexpr int kInterrupted = 10;
constexpr quint32 kDefaultSeed = 20240802;
constexpr int kDocumentsPerCorpus = 240;
constexpr int kTimeoutMs = 600000;

const QString kMetrics = QStringLiteral("SELECT id, run_id, step, split, metric, value FROM metrics ORDER BY id");
const QString kDistinctMetrics =
    QStringLiteral("SELECT DISTINCT step, split, metric, value FROM metrics WHERE run_id = 1 ORDER BY 1, 2, 3, 4");
const QString kRepeatedMetrics = QStringLiteral(
    "SELECT step, split, metric, COUNT(*) FROM metrics WHERE run_id = 1 GROUP BY 1, 2, 3 HAVING COUNT(*) > 1");

/// A small run: 24 optimiser steps with an evaluation and a checkpoint every 2 steps.
QStringList runArguments(const QString &project)
{
    return {QStringLiteral("run"),         project,
            QStringLiteral("--source"),    QStringLiteral("books"),
            QStringLiteral("--target"),    QStringLiteral("phones"),
            QStringLiteral("--model"),     QStringLiteral("tiny-encoder"),
            QStringLiteral("--strategy"),  QStringLiteral("source-only"),
            QStringLiteral("--epochs"),    QStringLiteral("3"),
            QStringLiteral("--lr"),        QStringLiteral("0.001"),
            QStringLiteral("--max-train"), QStringLiteral("64"),
            QStringLiteral("--max-eval"),  QStringLiteral("32"),
            QStringLiteral("--max-length"), QStringLiteral("32"),
            QStringLiteral("--batch-size"), QStringLiteral("8"),
            QStringLiteral("--eval-every"), QStringLiteral("2"),
            QStringLiteral("--threads"),   QStringLiteral("1")};
}

/// A labelled corpus whose label shows in its words, in a vocabulary of its own domain.
QByteArray corpusText(const QStringList &nouns, quint32 seed)
{
    QRandomGenerator rng(seed);
    const QStringList good{QStringLiteral("great"), QStringLiteral("lovely"), QStringLiteral("solid"),
                           QStringLiteral("excellent")};
    const QStringList bad{QStringLiteral("awful"), QStringLiteral("broken"), QStringLiteral("poor"),
                          QStringLiteral("weak")};
    QByteArray text;
    for (int i = 0; i < kDocumentsPerCorpus; ++i) {
        const bool positive = rng.bounded(2) == 1;
        const QStringList &words = positive ? good : bad;
        text += QStringLiteral("%1\tthe %2 was %3 and %4 %5\n")
                    .arg(positive ? QStringLiteral("pos") : QStringLiteral("neg"), nouns.at(int(rng.bounded(int(nouns.size())))),
                         words.at(int(rng.bounded(int(words.size())))), words.at(int(rng.bounded(int(words.size())))))
                    .arg(i)
                    .toUtf8();
    }
    return text;
}

QJsonArray runsOf(const QString &project)
{
    return QJsonDocument::fromJson(runCli({QStringLiteral("runs"), project, QStringLiteral("--json")}).out.toUtf8()).array();
}

} // namespace

class TestCrashTraining : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void killedRunsResumeToTheSameMetrics();

private:
    QTemporaryDir m_dir;
    QString m_base;                 // corpora "books" and "phones" and the model "tiny-encoder"
    QStringList m_referenceMetrics; // distinct metric rows of the uninterrupted run
    QJsonObject m_referenceFinal;   // its final metrics as `runs --json` prints them
    qint64 m_runMs = 0;
};

void TestCrashTraining::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_base = m_dir.filePath(QStringLiteral("base.tstudio"));
    QCOMPARE(runCli({QStringLiteral("create"), m_base}).exitCode, 0);
    const struct
    {
        const char *name;
        QStringList nouns;
        quint32 seed;
    } corpora[] = {
        {"books", {QStringLiteral("book"), QStringLiteral("novel"), QStringLiteral("plot"), QStringLiteral("author")}, 1},
        {"phones", {QStringLiteral("phone"), QStringLiteral("screen"), QStringLiteral("battery"), QStringLiteral("cable")}, 2},
    };
    for (const auto &c : corpora) {
        const QString file = m_dir.filePath(QLatin1String(c.name) + QStringLiteral(".tsv"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(corpusText(c.nouns, c.seed));
        out.close();
        const auto imported = runCli({QStringLiteral("import"), m_base, QStringLiteral("--corpus"), QLatin1String(c.name),
                                      QStringLiteral("--file"), file, QStringLiteral("--no-header"),
                                      QStringLiteral("--label-column"), QStringLiteral("0"),
                                      QStringLiteral("--text-column"), QStringLiteral("1")});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    }
    const auto model = runCli({QStringLiteral("add-model"), m_base, QStringLiteral("--builtin"), QStringLiteral("tiny-encoder")},
                              kTimeoutMs);
    QVERIFY2(model.exitCode == 0, qPrintable(model.err));

    const QString reference = m_dir.filePath(QStringLiteral("reference.tstudio"));
    QVERIFY(test::copyProject(m_base, reference));
    QElapsedTimer timer;
    timer.start();
    const auto run = runCli(runArguments(reference), kTimeoutMs);
    m_runMs = timer.elapsed();
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    m_referenceMetrics = test::readRows(reference, kDistinctMetrics);
    QVERIFY(m_referenceMetrics.size() > 50);
    const QJsonArray runs = runsOf(reference);
    QCOMPARE(runs.size(), qsizetype(1));
    m_referenceFinal = runs.at(0).toObject().value(QLatin1String("metrics")).toObject();
    QVERIFY(m_referenceFinal.contains(QLatin1String("target/test")));
    qInfo("an uninterrupted run takes %lld ms and records %lld distinct metric values", m_runMs,
          qint64(m_referenceMetrics.size()));
}

void TestCrashTraining::killedRunsResumeToTheSameMetrics()
{
    const quint32 seed = test::crashSeed(kDefaultSeed);
    qInfo("kill delays drawn with seed %u (set TS_CRASH_SEED to replay)", seed);
    QRandomGenerator delays(seed);
    const int kills = test::crashKills(kInterrupted);
    int interrupted = 0;
    int fromCheckpoint = 0;
    int trial = 0;
    for (; interrupted < kills && trial < 4 * kills; ++trial) {
        const QString project = m_dir.filePath(QStringLiteral("trial.tstudio"));
        QVERIFY(test::copyProject(m_base, project));
        const int delayMs = int(delays.bounded(int(m_runMs) + 1));
        QStringList seen; // metric rows committed just before the kill
        const test::KillOutcome outcome = test::runAndKill(runArguments(project), delayMs, [&] {
            seen = test::readRows(project, kMetrics);
        });
        const QString context = QStringLiteral("trial %1, killed after %2 ms").arg(trial).arg(delayMs);
        if (!outcome.killed)
            QVERIFY2(outcome.exitCode == 0, qPrintable(context + QStringLiteral(": ") + outcome.err));

        QVERIFY2(test::openAndCheck(project) == QLatin1String("ok"), qPrintable(context));
        const QStringList afterRows = test::readRows(project, kMetrics);
        const QSet<QString> after(afterRows.begin(), afterRows.end());
        for (const QString &row : std::as_const(seen))
            QVERIFY2(after.contains(row), qPrintable(context + QStringLiteral(": lost metric row ") + row));

        const QJsonArray runs = runsOf(project);
        if (runs.isEmpty()) {
            // Killed before the run was recorded: nothing to resume; it must have left no metric.
            QVERIFY2(after.isEmpty(), qPrintable(context));
            continue;
        }
        QCOMPARE(runs.size(), qsizetype(1));
        const QString status = runs.at(0).toObject().value(QLatin1String("status")).toString();
        // A kill that lands after the run recorded its end (but before the process exited) finds it finished.
        if (outcome.killed && status != QLatin1String("queued") && status != QLatin1String("finished")) {
            QVERIFY2(status == QLatin1String("interrupted"), qPrintable(context + QStringLiteral(": ") + status));
            ++interrupted;
        }
        if (status != QLatin1String("finished")) {
            const auto resumed = runCli({QStringLiteral("resume"), project, QStringLiteral("--run"), QStringLiteral("1")},
                                        kTimeoutMs);
            QVERIFY2(resumed.exitCode == 0, qPrintable(context + QStringLiteral(": ") + resumed.err));
            if (resumed.err.contains(QLatin1String("resuming from the checkpoint")))
                ++fromCheckpoint;
        }
        const QJsonObject finished = runsOf(project).at(0).toObject();
        QCOMPARE(finished.value(QLatin1String("status")).toString(), QStringLiteral("finished"));
        QVERIFY2(finished.value(QLatin1String("metrics")).toObject() == m_referenceFinal, qPrintable(context));
        QVERIFY2(test::readRows(project, kDistinctMetrics) == m_referenceMetrics, qPrintable(context));
        const QStringList repeated = test::readRows(project, kRepeatedMetrics);
        QVERIFY2(repeated.isEmpty(), qPrintable(context + QStringLiteral(": recorded more than once: ") + repeated.join(u' ')));
        QSet<QString> resumedValues; // rows without their id: the resume replaces rows after its checkpoint
        for (const QString &row : test::readRows(project, kMetrics))
            resumedValues.insert(row.section(QLatin1Char('\x1f'), 1));
        for (const QString &row : std::as_const(seen))
            QVERIFY2(resumedValues.contains(row.section(QLatin1Char('\x1f'), 1)),
                     qPrintable(context + QStringLiteral(": lost after resume ") + row));
    }
    qInfo("%d of %d runs were killed while running; %d resumed from a checkpoint", interrupted, trial, fromCheckpoint);
    // Delays are drawn over the whole run, so about half the kills interrupt training.
    QVERIFY2(interrupted >= kills, qPrintable(QStringLiteral("%1 of %2").arg(interrupted).arg(trial)));
    QVERIFY(fromCheckpoint > 0);
}

QTEST_GUILESS_MAIN(TestCrashTraining)
#include "tst_crashtraining.moc"
