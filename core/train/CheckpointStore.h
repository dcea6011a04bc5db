#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QSqlDatabase>

#include <optional>

namespace ts {

/// A resumable snapshot of a run: the serialised model, optimiser and RNG states (`tensors`) and
/// the trainer's position (`state`: phase, step, epoch, batch, early-stopping record).
struct Checkpoint
{
    qint64 step = 0;
    QJsonObject state;
    QByteArray tensors;
};

/// Keeps a run's checkpoints as artifacts inside the project file, replacing older ones so that
/// only the newest `kKept` remain.
class CheckpointStore
{
public:
    /// Checkpoints kept per run: the newest, and one before it in case the newest is damaged.
    static constexpr int kKept = 2;

    CheckpointStore(QSqlDatabase db, qint64 runId);

    /// Stores `checkpoint` in one transaction and drops the older ones beyond kKept.
    Status save(const Checkpoint &checkpoint);
    /// The newest checkpoint of the run, or nullopt when it has none.
    Result<std::optional<Checkpoint>> latest() const;

private:
    QSqlDatabase m_db;
    qint64 m_runId;
};

} // namespace ts
