#pragma once

#include "project/PredictionSet.h"
#include "util/Result.h"

#include <QSqlDatabase>

namespace ts {

/// Stores and reads the predictions of runs' final evaluations (tables `run_evaluations` and
/// `predictions`, schema version 6) through one connection. Not thread-safe, like the connection.
class PredictionStore
{
public:
    explicit PredictionStore(QSqlDatabase db);

    /// Replaces run `runId`'s predictions on `set.split` with `set`, in one transaction.
    Status save(qint64 runId, const PredictionSet &set);
    /// The splits run `runId` has predictions for.
    Result<QStringList> splits(qint64 runId) const;
    /// Run `runId`'s predictions on `split`; an empty set (no classes) when there are none.
    Result<PredictionSet> load(qint64 runId, const QString &split) const;
    /// The texts of project documents `ids`, in that order ("" for an id that is gone).
    Result<QStringList> documentTexts(const QList<qint64> &ids) const;
    /// Deletes every prediction of run `runId` (a resume that trains again).
    Status clear(qint64 runId);

private:
    QSqlDatabase m_db;
};

} // namespace ts
