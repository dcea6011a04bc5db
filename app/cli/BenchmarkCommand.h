#pragma once

#include "RunFlags.h"

#include "jobs/BenchmarkPlan.h"
#include "util/Result.h"

#include <QCommandLineParser>
#include <QSqlDatabase>
#include <QStringList>

namespace ts::cli {

/// Reads the matrix `benchmark`'s flags describe (`benchmark` and `submit --benchmark` share them):
/// pairs (empty for "all"), strategies, seeds, model and training options. A failure is a usage
/// error naming the flag.
Result<BenchmarkPlan> readBenchmarkFlags(const QCommandLineParser &parser, const RunFlags &flags,
                                         const QCommandLineOption &pairsFlag, const QCommandLineOption &strategiesFlag);

/// Completes `plan` against project `db` (every pair for "all", the model's defaults) and checks each
/// strategy's settings and memory. Returns -1 when it may be recorded, otherwise the exit code after
/// printing the error.
int completeBenchmarkPlan(const QCommandLineParser &parser, const RunFlags &flags, const QSqlDatabase &db,
                          BenchmarkPlan &plan);

/// `benchmark PROJECT --pairs A:B,C:D|all --strategies s1,s2 --seeds N --model M [run options]`
/// or `benchmark PROJECT --resume GROUP`
int runBenchmark(const QStringList &arguments);

} // namespace ts::cli
