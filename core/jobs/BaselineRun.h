#pragma once

#include "transfer/RunRequest.h"
#include "util/Result.h"

#include <QSqlDatabase>

namespace ts {

/// The source-only run a strategy is judged against (RunSummary's baseline), asked for in one
/// click: run `runId`'s corpora, model, settings and seeds with the baseline strategy.
class BaselineRun
{
public:
    /// The request; fails naming what is missing (a deleted corpus or model).
    static Result<RunRequest> requestFor(const QSqlDatabase &db, qint64 runId);
};

} // namespace ts
