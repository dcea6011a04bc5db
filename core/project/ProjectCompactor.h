#pragma once

#include "project/CompactParams.h"
#include "util/Result.h"

#include <QString>

namespace ts {

/// Returns a project's free pages to the disk, safely: SQLite writes a compacted copy beside the
/// file (VACUUM INTO `copyPath()`), which is verified (integrity check, schema version, row counts)
/// and only then renamed over the project. The project stays locked throughout: compaction is
/// refused while another connection (the workbench, a run, another command) has it open, and
/// nobody opens it meanwhile. Killing the process at any moment leaves the original file intact.
class ProjectCompactor
{
public:
    /// Where the compacted copy is written: PATH.compacting (a leftover of a killed compaction is
    /// removed by the next one).
    static QString copyPath(const QString &path);

    /// Compacts the project at `path` (upgrading an older format first, as Project::open does).
    /// Fails naming the reason, with the project unchanged, when it is open elsewhere, when the copy
    /// fails its checks, when the disk is full, or when `params.cancelled` says so.
    static Result<CompactReport> compact(const QString &path, const CompactParams &params = {});
};

} // namespace ts
