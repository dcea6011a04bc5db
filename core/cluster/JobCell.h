#pragma once

#include "util/Result.h"

#include <QList>
#include <QSqlDatabase>
#include <QStringList>

#include <functional>

namespace ts {

/// One cell of a Slurm job: a job project with the corpora and model its runs need, and the runs
/// themselves, recorded queued by `record` (the caller's engine: core/cluster does not train).
struct JobCell
{
    QStringList corpora; // names, as the user's project has them
    qint64 modelId = 0;  // the base model, by its id in the user's project
    /// Records the cell's runs in the job project `db` (queued); returns their ids there.
    std::function<Result<QList<qint64>>(const QSqlDatabase &db)> record;
};

} // namespace ts
