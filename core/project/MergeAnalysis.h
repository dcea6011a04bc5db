#pragma once

#include "project/MergeParams.h"
#include "util/Result.h"

#include <QMap>
#include <QSqlDatabase>
#include <QVariantList>

namespace ts {

/// What merging runs of another project means for this one, read from both files (ProjectMerger
/// plans and merges with it): the runs asked for, what becomes of each corpus and model they use
/// (reused when this project holds the same content, copied, or a name clash), and the runs merged
/// before. Reads only.
struct MergeAnalysis
{
    /// A run of the other project, as far as merging needs it.
    struct Run
    {
        qint64 id = 0;
        QString status;
        qint64 source = 0; // corpus ids there; 0: none
        qint64 target = 0;
        qint64 model = 0;
        qint64 group = 0;
        QVariantList identity; // strategy, config_json, init_seed, data_seed, created_at, finished_at
    };

    /// A corpus or model of the other project and what becomes of it here.
    struct Item
    {
        QString name;    // its name there (here, when reused)
        qint64 here = 0; // this project's item with the same content; 0: to be copied
        bool clash = false;
        QString renamed; // the free name a Rename copy takes
    };

    QList<Run> runs;            // the runs asked for, ascending
    QMap<qint64, Item> corpora; // by id there
    QMap<qint64, Item> models;
    MergePlan plan;

    /// Analyses merging runs `wanted` (empty: all) of `there` (the project at `path`) into `here`.
    /// Fails naming a run that is running or queued there, or that does not exist.
    static Result<MergeAnalysis> of(const QSqlDatabase &there, const QString &path, const QSqlDatabase &here,
                                    const QList<qint64> &wanted);

    /// The runs of plan.runs, ascending.
    QList<Run> runsToCopy() const;
};

} // namespace ts
