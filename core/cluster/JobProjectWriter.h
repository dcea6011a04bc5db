#pragma once

#include "util/Result.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace ts {

/// Writes the project of a Slurm job: a new project holding only what its runs need from the
/// user's project, the corpora (with their documents, labels and import records) and the base
/// model (with its stored files), copied row by row with TableCopier as ProjectMerger copies
/// them. The runs are recorded afterwards by the caller (queued, for `resume` on the cluster).
class JobProjectWriter
{
public:
    /// Creates the project at `path` (which must not exist) with corpora `corpora` (names) and
    /// model `modelId` of `from`, in one transaction: on failure nothing is left at `path`. Fails
    /// naming a corpus or model that `from` lacks, or the file that cannot be written.
    static Status create(const QSqlDatabase &from, const QString &path, const QStringList &corpora, qint64 modelId);
};

} // namespace ts
