#pragma once

#include "project/MetricPoint.h"
#include "util/Result.h"

#include <QString>

namespace ts {

/// The JSON-lines progress file of a job's cell (CELL/progress.jsonl), which rank 0 appends to while
/// a run trains on the cluster: one object per line, appended whole and flushed, never rewritten
/// (safe on network filesystems where SQLite's locking is not). Lines:
///   {"type":"progress","run":ID,"phase":"...","step":S,"total_steps":T,"epoch":E,"samples_per_second":X}
///   {"type":"metric","run":ID,"step":S,"epoch":E,"split":"...","metric":"...","value":V}
class ProgressLog
{
public:
    /// The environment variable naming the file (set by the batch script, SbatchScript).
    static constexpr const char *kEnvironmentVariable = "TS_PROGRESS_JSONL";

    /// What a progress file says so far.
    struct Contents
    {
        MetricPoints metrics;  // every metric line, in file order
        qint64 run = 0;        // the run of the last progress line (0: none yet)
        QString phase;         // of the last progress line
        qint64 step = 0;
        qint64 totalSteps = 0;
        double epoch = 0;
    };

    /// The file this process appends to: the environment's TS_PROGRESS_JSONL when this process is
    /// rank 0 (TS_DIST_RANK unset or 0); empty otherwise.
    static QString pathFromEnvironment();
    /// Appends a progress line for run `run`.
    static Status appendProgress(const QString &path, qint64 run, const QString &phase, qint64 step, qint64 totalSteps,
                                 double epoch, double samplesPerSecond);
    /// Appends one line per metric point.
    static Status appendMetrics(const QString &path, const MetricPoints &points);
    /// Reads the complete lines of the file at `path` (a line still being written is left for the
    /// next read); lines that are not JSON objects of the two kinds are skipped.
    static Result<Contents> read(const QString &path);
};

} // namespace ts
