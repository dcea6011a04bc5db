#pragma once

#include "project/MetricPoint.h"
#include "train/TrainingCallbacks.h"
#include "util/Result.h"

#include <QSqlDatabase>

namespace ts {

/// Where a training worker's metric values go: buffered, then written to the project in one
/// transaction per flush (through the worker's own connection) and handed to the callbacks.
/// A value waits at most kFlushSeconds (live charts move while training), or until
/// kFlushThreshold values are waiting.
class MetricSink
{
public:
    /// Points buffered before a flush happens by itself.
    static constexpr int kFlushThreshold = 512;
    /// Seconds the oldest buffered value may wait before the next add() flushes.
    static constexpr double kFlushSeconds = 0.5;

    /// What the sink does with the values: store them, or drop them (the ranks above 0 of a
    /// data-parallel run, whose values rank 0 records).
    enum class Mode { Record, Discard };

    MetricSink(QSqlDatabase db, qint64 runId, const TrainingCallbacks &callbacks, Mode mode = Mode::Record);

    /// Buffers one value measured now.
    Status add(qint64 step, double epoch, const QString &split, const QString &metric, double value);
    /// Writes the buffered values and hands them to the callbacks.
    Status flush();

private:
    QSqlDatabase m_db;
    qint64 m_runId;
    const TrainingCallbacks &m_callbacks;
    Mode m_mode;
    MetricPoints m_pending;
};

} // namespace ts
