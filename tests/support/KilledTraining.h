#pragma once
// Helpers of the tests that SIGKILL a process while it trains run 1 of a project, and check what
// it leaves and what `resume` makes of it: tests/slow/tst_crashtraining (the CLI) and
// tests/gui/tst_crashgui (the window).

#include "CliRunner.h"
#include "CrashTrial.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

namespace ts::test {

/// How long a resume may take.
constexpr int kResumeTimeoutMs = 600000;

/// Every metric row, in the order written.
inline const QString kMetricRows = QStringLiteral("SELECT id, run_id, step, split, metric, value FROM metrics ORDER BY id");
/// The distinct metric values of run 1.
inline const QString kDistinctMetricRows =
    QStringLiteral("SELECT DISTINCT step, split, metric, value FROM metrics WHERE run_id = 1 ORDER BY 1, 2, 3, 4");

/// The runs of `project` as `runs --json` prints them.
inline QJsonArray runsOf(const QString &project)
{
    return QJsonDocument::fromJson(runCli({QStringLiteral("runs"), project, QStringLiteral("--json")}).out.toUtf8()).array();
}

/// What the uninterrupted run recorded.
struct TrainingReference
{
    QStringList distinctMetrics; // kDistinctMetricRows
    QJsonObject finalMetrics;    // its "metrics" as `runs --json` prints them
};

/// The kill trials so far.
struct KilledTrainingTally
{
    int interrupted = 0;    // kills that landed while the run trained
    int fromCheckpoint = 0; // resumes that started from a checkpoint
};

/// Checks `project` after `outcome`: it opens with a clean integrity check and still holds `seen`
/// (the metric rows a reader saw committed just before the kill). Unless the kill came before run
/// 1 was recorded (then no metric may be there either), the run shows as interrupted where the
/// kill landed while it trained, and `resume` finishes it with the metrics of `reference`;
/// `recorded`, when given, says which. A failure names `context`; the caller checks
/// QTest::currentTestFailed().
inline void checkKilledTraining(const QString &project, const KillOutcome &outcome, const QStringList &seen,
                                const QString &context, const TrainingReference &reference,
                                KilledTrainingTally &tally, bool *recorded = nullptr)
{
    if (recorded)
        *recorded = false;
    QVERIFY2(openAndCheck(project) == QLatin1String("ok"), qPrintable(context));
    const QStringList afterRows = readRows(project, kMetricRows);
    const QSet<QString> after(afterRows.begin(), afterRows.end());
    for (const QString &row : seen)
        QVERIFY2(after.contains(row), qPrintable(context + QStringLiteral(": lost metric row ") + row));

    const QJsonArray runs = runsOf(project);
    if (runs.isEmpty()) {
        QVERIFY2(after.isEmpty(), qPrintable(context));
        return;
    }
    if (recorded)
        *recorded = true;
    QCOMPARE(runs.size(), qsizetype(1));
    const QString status = runs.at(0).toObject().value(QLatin1String("status")).toString();
    // A kill that lands after the run recorded its end (but before the process exited) finds it finished.
    if (outcome.killed && status != QLatin1String("queued") && status != QLatin1String("finished")) {
        QVERIFY2(status == QLatin1String("interrupted"), qPrintable(context + QStringLiteral(": ") + status));
        ++tally.interrupted;
    }
    if (status != QLatin1String("finished")) {
        const auto resumed =
            runCli({QStringLiteral("resume"), project, QStringLiteral("--run"), QStringLiteral("1")}, kResumeTimeoutMs);
        QVERIFY2(resumed.exitCode == 0, qPrintable(context + QStringLiteral(": ") + resumed.err));
        if (resumed.err.contains(QLatin1String("resuming from the checkpoint")))
            ++tally.fromCheckpoint;
    }
    const QJsonObject finished = runsOf(project).at(0).toObject();
    QCOMPARE(finished.value(QLatin1String("status")).toString(), QStringLiteral("finished"));
    QVERIFY2(finished.value(QLatin1String("metrics")).toObject() == reference.finalMetrics, qPrintable(context));
    QVERIFY2(readRows(project, kDistinctMetricRows) == reference.distinctMetrics, qPrintable(context));
}

} // namespace ts::test
