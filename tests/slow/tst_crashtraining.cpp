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
#include "CliProject.h"
#include "CliRunner.h"
#include "CrashTrial.h"
#include "KillTrials.h"
#include "KilledTraining.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
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
    test::TrainingReference m_reference; // of the uninterrupted run
    qint64 m_runMs = 0;
};

void TestCrashTraining::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_base = m_dir.filePath(QStringLiteral("base.tstudio"));
    const QStringList books{QStringLiteral("book"), QStringLiteral("novel"), QStringLiteral("plot"), QStringLiteral("author")};
    const QStringList phones{QStringLiteral("phone"), QStringLiteral("screen"), QStringLiteral("battery"),
                             QStringLiteral("cable")};
    const QString failed = test::createTrainingProject(
        m_base, {{QStringLiteral("books"), corpusText(books, 1)}, {QStringLiteral("phones"), corpusText(phones, 2)}});
    QVERIFY2(failed.isEmpty(), qPrintable(failed));

    const QString reference = m_dir.filePath(QStringLiteral("reference.tstudio"));
    QVERIFY(test::copyProject(m_base, reference));
    QElapsedTimer timer;
    timer.start();
    const auto run = runCli(runArguments(reference), kTimeoutMs);
    m_runMs = timer.elapsed();
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    m_reference.distinctMetrics = test::readRows(reference, test::kDistinctMetricRows);
    QVERIFY(m_reference.distinctMetrics.size() > 50);
    const QJsonArray runs = test::runsOf(reference);
    QCOMPARE(runs.size(), qsizetype(1));
    m_reference.finalMetrics = runs.at(0).toObject().value(QLatin1String("metrics")).toObject();
    QVERIFY(m_reference.finalMetrics.contains(QLatin1String("target/test")));
    qInfo("an uninterrupted run takes %lld ms and records %lld distinct metric values", m_runMs,
          qint64(m_reference.distinctMetrics.size()));
}

void TestCrashTraining::killedRunsResumeToTheSameMetrics()
{
    test::KillTrials trials(kDefaultSeed, kInterrupted);
    test::KilledTrainingTally tally;
    int trial = 0;
    for (; trials.goOn(tally.interrupted, trial); ++trial) {
        const QString project = m_dir.filePath(QStringLiteral("trial.tstudio"));
        QVERIFY(test::copyProject(m_base, project));
        const int delayMs = trials.nextDelayMs(m_runMs);
        QStringList seen; // metric rows committed just before the kill
        const test::KillOutcome outcome = test::runAndKill(runArguments(project), delayMs, [&] {
            seen = test::readRows(project, test::kMetricRows);
        });
        const QString context = QStringLiteral("trial %1, killed after %2 ms").arg(trial).arg(delayMs);
        if (!outcome.killed)
            QVERIFY2(outcome.exitCode == 0, qPrintable(context + QStringLiteral(": ") + outcome.err));

        bool recorded = false;
        test::checkKilledTraining(project, outcome, seen, context, m_reference, tally, &recorded);
        if (QTest::currentTestFailed())
            return;
        if (!recorded)
            continue; // killed before the run was recorded: nothing to resume
        const QStringList repeated = test::readRows(project, kRepeatedMetrics);
        QVERIFY2(repeated.isEmpty(), qPrintable(context + QStringLiteral(": recorded more than once: ") + repeated.join(u' ')));
        QSet<QString> resumedValues; // rows without their id: the resume replaces rows after its checkpoint
        for (const QString &row : test::readRows(project, test::kMetricRows))
            resumedValues.insert(row.section(QLatin1Char('\x1f'), 1));
        for (const QString &row : std::as_const(seen))
            QVERIFY2(resumedValues.contains(row.section(QLatin1Char('\x1f'), 1)),
                     qPrintable(context + QStringLiteral(": lost after resume ") + row));
    }
    qInfo("%d of %d runs were killed while running; %d resumed from a checkpoint", tally.interrupted, trial,
          tally.fromCheckpoint);
    // Delays are drawn over the whole run, so about half the kills interrupt training.
    QVERIFY2(tally.interrupted >= trials.kills(), qPrintable(QStringLiteral("%1 of %2").arg(tally.interrupted).arg(trial)));
    QVERIFY(tally.fromCheckpoint > 0);
}

QTEST_GUILESS_MAIN(TestCrashTraining)
#include "tst_crashtraining.moc"
