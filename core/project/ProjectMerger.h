#pragma once

#include "project/MergeParams.h"
#include "util/Result.h"

#include <QString>

namespace ts {

class Project;

/// Copies runs of another project into this one, with what they need and own: their corpora (with
/// documents and import records), models (with stored files), groups, metrics, evaluations,
/// predictions and checkpoints, every id remapped. The other project is opened read-only and never
/// written; the destination is written in one transaction (all or nothing; a cancel or a failure
/// leaves it as it was).
///
/// A corpus or model whose content (ContentHash) the destination already holds, under any name, is
/// reused, never copied twice. A run the destination already holds (the same strategy, settings,
/// seeds, creation and end times, on the same corpora and model) is not copied again: merging the
/// same runs twice copies nothing the second time and reports them as present. A group the
/// destination already holds (the same name, kind and creation time) is joined, not copied. A
/// corpus or model whose name the destination gives to different content is a clash
/// (MergeClashChoice).
class ProjectMerger
{
public:
    /// What merging `params.runs` (empty: all) of the project at `sourcePath` into `destination`
    /// would do, without writing. Fails naming the run when one of them is running or queued, and
    /// when the other project cannot be read (damaged, newer or older format, the same file).
    static Result<MergePlan> plan(const Project &destination, const QString &sourcePath, const QList<qint64> &runs);

    /// Merges as plan() says, in one transaction of `destination`. With MergeClashChoice::Fail a clash
    /// fails naming each corpus and model and the choices. Refused while a run of `destination` trains
    /// (MergeParams::runIsLive). Waits for another writer as long as the
    /// project's busy timeout, then fails saying that another program is writing.
    static Result<MergeReport> merge(Project &destination, const QString &sourcePath, const MergeParams &params = {});
};

} // namespace ts
