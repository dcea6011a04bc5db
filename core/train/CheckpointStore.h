#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
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

/// Weights a finished run keeps (WeightRetention): a safetensors image of the model tensors the run
/// changed, named as in the model ("classifier.weight"), without optimiser state.
struct KeptWeights
{
    QString name;       // kResultWeights or kLastWeights
    qint64 step = 0;    // the step the weights are from
    QByteArray tensors;
};

/// Keeps a run's checkpoints as artifacts inside the project file, replacing older ones so that
/// only the newest remains while the run is unfinished; a finished run's checkpoint gives way to
/// the weights it keeps (keepFinal).
class CheckpointStore
{
public:
    /// Checkpoints kept per unfinished run: the newest (each is written in one transaction).
    static constexpr int kKept = 1;
    /// The artifact kind of a finished run's kept weights.
    static constexpr const char *kWeightsKind = "weights";
    /// The kept weights that are the run's result (model selection's choice, else the last).
    static constexpr const char *kResultWeights = "result.safetensors";
    /// The last step's weights, kept besides the result by "best-and-final" when they differ.
    static constexpr const char *kLastWeights = "last.safetensors";
    /// The __metadata__ key of the checkpoint's state JSON.
    static constexpr const char *kStateKey = "ts_checkpoint_state";
    /// The state's list of the model's parameters the phase trains (requires_grad), by name.
    static constexpr const char *kTrainedKey = "trained";

    CheckpointStore(QSqlDatabase db, qint64 runId);

    /// Stores `checkpoint` in one transaction and drops the older ones beyond kKept.
    Status save(const Checkpoint &checkpoint);
    /// The newest intact checkpoint of the run (its header validated), or nullopt when it has none.
    /// Fails when every checkpoint is damaged, and on a checkpoint in libtorch's pickle format
    /// (older versions), which is never parsed.
    Result<std::optional<Checkpoint>> latest() const;

    /// Replaces every checkpoint of the finished run by `weights` (none: it keeps no weights) in one
    /// transaction.
    Status keepFinal(const QList<KeptWeights> &weights);
    /// The kept weights called `name` (its SHA-256 checked), or nullopt when the run has none.
    Result<std::optional<KeptWeights>> kept(const QString &name) const;

private:
    /// `blob`'s state JSON, or an error saying what is wrong with the checkpoint.
    Result<QJsonObject> readState(const QByteArray &blob, const QString &name) const;

    QSqlDatabase m_db;
    qint64 m_runId;
};

} // namespace ts
