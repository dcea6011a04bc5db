#pragma once

#include "project/ErasePlan.h"
#include "util/Result.h"

#include <QSqlDatabase>

#include <functional>

namespace ts {

class Project;

/// Deletes and renames runs, groups, corpora and models of a project.
///
/// A run goes with its metrics, predictions and checkpoints; a group with its runs; a corpus or a
/// model with every run that used it. Deleting is planned first (plan(): what goes, for the
/// confirmation) and then done in one transaction (erase()), which refuses when the project changed
/// in between. A run that is executing (in any process) cannot be deleted, and a running or queued
/// run cannot lose its corpus or model.
class ProjectEraser
{
public:
    /// Whether run `runId`, recorded as running, executes in a live process. Front ends pass
    /// `!TransferRunner::isAbandoned(path, id)` (the executing process holds the run's lock file).
    using RunIsLive = std::function<bool(qint64 runId)>;

    /// What deleting the item `key` of `kind` removes: a run or group by id, a corpus or model by name.
    /// Fails naming the item when there is none, and naming the run when a run in use stands in the way.
    static Result<ErasePlan> plan(const QSqlDatabase &db, ErasePlan::Kind kind, const QString &key,
                                  const RunIsLive &isLive);

    /// Deletes what `plan` names in one transaction, after checking (inside it) that the project still
    /// plans the same; all or nothing.
    static Status erase(Project &project, const ErasePlan &plan, const RunIsLive &isLive);

    /// Renames the item `key` of `kind` to `newName` (trimmed, not empty). Corpus and model names are
    /// unique: a name in use is refused, naming it.
    static Status rename(Project &project, ErasePlan::Kind kind, const QString &key, const QString &newName);
};

} // namespace ts
