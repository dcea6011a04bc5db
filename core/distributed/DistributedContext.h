#pragma once

#include "util/Result.h"

#include <QProcessEnvironment>
#include <QString>

namespace ts {

/// Where this process stands in a data-parallel run: its rank among `worldSize` processes and the
/// rendezvous (rank 0 hosts a TCP store at masterAddress:masterPort). Read from the environment
/// that `run --processes N` and the Slurm scripts set (kRankVariable, ...); without those
/// variables a process is the only rank of its run. A plain value: torch-free, copyable.
struct DistributedContext
{
    static constexpr const char *kRankVariable = "TS_DIST_RANK";
    static constexpr const char *kWorldSizeVariable = "TS_DIST_WORLD_SIZE";
    static constexpr const char *kMasterAddressVariable = "TS_DIST_MASTER_ADDR";
    static constexpr const char *kMasterPortVariable = "TS_DIST_MASTER_PORT";
    static constexpr const char *kTimeoutVariable = "TS_DIST_TIMEOUT_S";
    /// Seconds a collective (and the rendezvous) waits for the other ranks before it fails.
    static constexpr int kDefaultTimeoutSeconds = 300;
    /// Largest world size accepted (a typo guard, not a limit of Gloo).
    static constexpr int kMaxWorldSize = 4096;
    /// Gradients are summed in flat buckets of about this many bytes (PyTorch DDP's default).
    static constexpr qint64 kDefaultBucketBytes = 25 * 1024 * 1024;

    int rank = 0;
    int worldSize = 1;
    QString masterAddress = QStringLiteral("127.0.0.1");
    int masterPort = 0;
    int timeoutSeconds = kDefaultTimeoutSeconds;
    /// Size of the gradient buckets (GradientBucketReducer); smaller in tests, to get several.
    qint64 bucketBytes = kDefaultBucketBytes;

    /// The context `environment` describes. Without TS_DIST_WORLD_SIZE (or with 1) the process is
    /// the only rank. Fails naming the variable that is missing or out of range.
    static Result<DistributedContext> fromEnvironment(const QProcessEnvironment &environment);

    /// Sets the variables that make a child process rank `rank` of this run.
    void writeTo(QProcessEnvironment &environment) const;

    /// Whether more than one process trains the run.
    bool isDistributed() const { return worldSize > 1; }
    /// Whether this process writes the project (metrics, checkpoints, predictions, status).
    bool isLeader() const { return rank == 0; }
};

} // namespace ts
