#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <functional>

namespace ts {

/// What ProjectMerger::merge() does with a corpus or model of the other project whose name the
/// destination already gives to different content.
enum class MergeClashChoice
{
    Fail,   // merge nothing and say which names clash
    Rename, // copy it under the first free name "music (2)", "music (3)", ...
    Skip,   // leave out the runs that use it
};

/// Options and callbacks of ProjectMerger::merge(), called on the merging thread.
struct MergeParams
{
    /// The other project's runs to copy (their ids there); empty: every run.
    QList<qint64> runs;
    /// What to do with a name clash.
    MergeClashChoice onClash = MergeClashChoice::Fail;
    /// Rows copied so far and the rows to copy (documents, metrics, predictions, artifact chunks...);
    /// called a few times a second.
    std::function<void(qint64 done, qint64 total)> progress;
    /// Polled while copying; true stops the merge and leaves the destination as it was.
    std::function<bool()> cancelled;
    /// Whether run `runId` of the destination, recorded as running, executes in a live process (front
    /// ends pass `!TransferRunner::isAbandoned(path, id)`). Such a run refuses the merge: the merge's
    /// transaction would hold up its writes. Unset: every run recorded as running counts as live.
    std::function<bool(qint64 runId)> runIsLive;
};

/// A corpus or model of the other project whose name the destination gives to different content.
struct MergeClash
{
    QString kind;       // "corpus" or "model"
    QString name;       // the name both projects use
    QString renamed;    // the name Rename would give the copy: "music (2)"
    QList<qint64> runs; // the other project's runs that use it (ids there), ascending
};

/// What merging would do, before anything is written (ProjectMerger::plan()).
struct MergePlan
{
    QList<qint64> runs;                   // the other project's runs to copy, ascending
    QList<QPair<qint64, qint64>> present; // runs merged before: (id there, id here)
    QList<MergeClash> clashes;            // names that clash, for the runs to copy
};

/// What a merge did.
struct MergeReport
{
    QList<QPair<qint64, qint64>> copied;  // (run id in the other project, new run id here), ascending
    QList<QPair<qint64, qint64>> present; // runs merged before and not copied again: (id there, id here)
    QList<qint64> skipped;                // runs left out because of a clash (MergeClashChoice::Skip)
    QStringList corporaCopied;            // names here of the corpora copied
    QStringList corporaReused;            // names here of corpora already holding the same documents
    QStringList modelsCopied;             // names here of the models copied
    QStringList modelsReused;             // names here of models already holding the same files
    QStringList renamed;                  // "corpus music as music (2)"
};

} // namespace ts
