#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QSqlDatabase>

#include <optional>

namespace ts {

/// A resumable snapshot of a run: `tensors` is a safetensors image (CheckpointTensors: model,
/// optimiser and RNG states) whose __metadata__ holds `state`, the trainer's position (phase, step,
/// epoch, batch, early-stopping record) as JSON.
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
    /// The __metadata__ key of the checkpoint's state JSON.
    static constexpr const char *kStateKey = "ts_checkpoint_state";

    CheckpointStore(QSqlDatabase db, qint64 runId);

    /// Stores `checkpoint` in one transaction and drops the older ones beyond kKept.
    Status save(const Checkpoint &checkpoint);
    /// The newest intact checkpoint of the run (its header validated), or nullopt when it has none.
    /// Fails when every checkpoint is damaged, and on a checkpoint in libtorch's pickle format
    /// (older versions), which is never parsed.
    Result<std::optional<Checkpoint>> latest() const;

private:
    /// `blob`'s state JSON, or an error saying what is wrong with the checkpoint.
    Result<QJsonObject> readState(const QByteArray &blob, const QString &name) const;

    QSqlDatabase m_db;
    qint64 m_runId;
};

} // namespace ts
