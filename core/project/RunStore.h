#pragma once

#include "project/MetricPoint.h"
#include "project/RunRecord.h"
#include "util/Result.h"

#include <QMap>
#include <QSqlDatabase>

namespace ts {

/// Reads and writes runs, run groups and metrics of a project through one connection
/// (the calling thread's Project::database()). Not thread-safe, like the connection.
class RunStore
{
public:
    explicit RunStore(QSqlDatabase db);

    /// Inserts `run` (its id and created_at are assigned) and returns the new id.
    Result<qint64> create(const RunRecord &run);
    /// The run with `id`; fails naming the id when there is none.
    Result<RunRecord> load(qint64 id) const;
    /// Every run, oldest first.
    Result<QList<RunRecord>> list() const;
    /// Runs whose id is greater than `afterId`, oldest first: what another process added.
    Result<QList<RunRecord>> listAfter(qint64 afterId) const;

    /// Sets status running, the device and started_at (kept when already set, for resumes).
    Status markStarted(qint64 id, const QString &device);
    /// Sets a final (or interrupted) status, finished_at and the error text.
    Status markEnded(qint64 id, RunRecord::Status status, const QString &errorText = {});
    /// Replaces the run's configuration JSON (e.g. resolved defaults once training starts).
    Status setConfig(qint64 id, const QString &configJson);

    /// Creates a group of runs (kind: "seeds", "label-budget", ...) and returns its id. `createdAt`
    /// (ISO 8601, UTC, milliseconds; empty: now) is given when several projects record the same
    /// group: merged, they join one group (MergeWriter).
    Result<qint64> createGroup(const QString &name, const QString &kind, const QString &createdAt = {});

    /// The run's metrics with a row id greater than `afterRowId`, in insertion order.
    /// `lastRowId` receives the largest row id read (unchanged when none), for incremental reads.
    Result<MetricPoints> metrics(qint64 runId, qint64 afterRowId = 0, qint64 *lastRowId = nullptr) const;
    /// The last value of every (split, metric) of a run: split -> metric -> value.
    Result<QMap<QString, QMap<QString, double>>> finalMetrics(qint64 runId) const;

    /// Writes `points` in one transaction (all or none).
    Status appendMetrics(const MetricPoints &points);
    /// Deletes run `runId`'s metric rows with a step greater than `step`, and its test splits' rows
    /// at `step` (the final evaluation's, which a resume repeats), in one transaction.
    Status deleteMetricsAfter(qint64 runId, qint64 step);

    /// The current time as stored in the project (ISO 8601, UTC, milliseconds).
    static QString now();

private:
    Result<QList<RunRecord>> select(const QString &where, qint64 bound) const;

    QSqlDatabase m_db;
};

} // namespace ts
