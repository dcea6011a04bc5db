#pragma once

#include "project/ProjectSpace.h"
#include "util/Result.h"

#include <QSqlDatabase>

namespace ts {

/// Measures where a project's bytes go (`info`, the GUI's project overview, before compacting).
class SpaceMeter
{
public:
    /// The project's space by kind: pages per table from SQLite's dbstat table when the library has
    /// it (stored files split between models, run weights and checkpoints by their byte counts),
    /// otherwise sums of value lengths. `path` is the project file (for its size on disk).
    static Result<ProjectSpace> measure(const QSqlDatabase &db, const QString &path);

private:
    static Status fromPages(const QSqlDatabase &db, ProjectSpace *space);
    static Status fromLengths(const QSqlDatabase &db, ProjectSpace *space);
    static Status splitStoredFiles(const QSqlDatabase &db, qint64 total, ProjectSpace *space);
};

} // namespace ts
