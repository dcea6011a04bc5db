#pragma once

#include <QString>

namespace ts {

/// What `submit --slurm` asks of the cluster, as sbatch's options; empty or 0: the cluster's default.
struct SbatchOptions
{
    QString partition;   // --partition
    QString account;     // --account
    int nodes = 1;       // --nodes
    int gpusPerNode = 0; // --gpus-per-node
    int ranksPerNode = 0; // data-parallel ranks (Slurm tasks) per node; 0: one per GPU, 1 without GPUs
    int cpusPerTask = 0; // --cpus-per-task
    QString time;        // --time, HH:MM:SS
};

} // namespace ts
