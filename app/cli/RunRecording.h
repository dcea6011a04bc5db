#pragma once

#include "RunFlags.h"

#include "transfer/RunRequest.h"
#include "util/Result.h"

#include <QCommandLineParser>
#include <QList>
#include <QSqlDatabase>

namespace ts::cli {

/// What `run`'s flags ask for (`run` and `submit` read them the same way).
struct RunAsk
{
    RunRequest request;
    int seeds = 1;
    QList<int> budgets; // few-shot sweep: labelled target texts per class (-1: all); empty: none
};

/// Reads `run`'s flags; a failure is a usage error naming the flag.
Result<RunAsk> readRunAsk(const QCommandLineParser &parser, const RunFlags &flags);

/// Checks `ask` against the project `db` before anything is recorded (Preflight, the model's defaults
/// for what the flags leave out, the memory estimate). Returns -1 when it may be recorded, otherwise
/// the exit code after printing the error.
int prepareRunAsk(const QCommandLineParser &parser, const RunFlags &flags, const QSqlDatabase &db, RunAsk &ask);

/// Records `ask` in `db` as queued runs (one, or a group of seeds and label budgets); their ids.
Result<QList<qint64>> recordRunAsk(const QSqlDatabase &db, const RunAsk &ask);

} // namespace ts::cli
