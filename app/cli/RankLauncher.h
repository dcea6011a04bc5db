#pragma once

#include <QString>

namespace ts::cli {

/// Starts the ranks of a data-parallel run on this machine (`run --processes N`, `resume
/// --processes N`): N copies of this executable, each `resume PROJECT --run ID` with
/// TS_DIST_RANK = 0..N-1, the world size N and a free loopback port for the rendezvous in its
/// environment (DistributedContext), and OMP_NUM_THREADS = this machine's threads / N. Rank 0's
/// output is this command's; the others print only errors. Ctrl+C is passed to every rank (they
/// stop together after the current step with a checkpoint). When a rank fails, the others get
/// kGraceMs to notice (their next collective fails, rank 0 marks the run failed) before they are
/// killed.
class RankLauncher
{
public:
    /// How long the other ranks may take to end by themselves once one has failed.
    static constexpr int kGraceMs = 20000;
    /// Most ranks `--processes` accepts on one machine.
    static constexpr int kMaxProcesses = 64;

    /// Runs run `runId` of `projectPath` as `processes` ranks and waits for them all. Returns
    /// rank 0's exit code (kExitError when it did not exit by itself).
    static int run(const QString &projectPath, qint64 runId, int processes);

    /// A TCP port on 127.0.0.1 that is free now, or 0 when none could be found.
    static int freeLoopbackPort();
};

} // namespace ts::cli
