#include "project/ProjectMerger.h"

#include "project/MergeAnalysis.h"
#include "project/MergeWriter.h"
#include "project/Project.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

#include <algorithm>
#include <functional>
#include <memory>

namespace ts {

namespace {

QString idList(const QList<qint64> &ids)
{
    QStringList parts;
    for (const qint64 id : ids)
        parts.append(QString::number(id));
    return parts.join(QStringLiteral(", "));
}

Result<std::unique_ptr<Project>> openSource(const Project &destination, const QString &sourcePath)
{
    const QFileInfo source(sourcePath);
    if (source.exists() && source.canonicalFilePath() == QFileInfo(destination.path()).canonicalFilePath())
        return Result<std::unique_ptr<Project>>::failure(
            QStringLiteral("%1 is the project itself; choose another project to merge from").arg(sourcePath));
    return Project::open(sourcePath, Project::Access::ReadOnly);
}

/// Refuses a destination with a table that refers to what merging copies but that merging does not
/// know (a newer format's): its rows would be left behind.
Status checkKnownTables(const QSqlDatabase &db)
{
    static const QStringList owners = {QStringLiteral("runs"), QStringLiteral("corpora"), QStringLiteral("models"),
                                       QStringLiteral("documents"), QStringLiteral("run_groups"), QStringLiteral("artifacts"),
                                       QStringLiteral("run_evaluations")};
    static const QStringList copied = {QStringLiteral("documents"), QStringLiteral("imports"), QStringLiteral("runs"),
                                       QStringLiteral("metrics"), QStringLiteral("artifacts"), QStringLiteral("artifact_chunks"),
                                       QStringLiteral("run_evaluations"), QStringLiteral("predictions")};
    QSqlQuery tables(db);
    if (!tables.exec(QStringLiteral("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")))
        return Status::failure(tables.lastError().text());
    while (tables.next()) {
        const QString table = tables.value(0).toString();
        if (copied.contains(table))
            continue;
        QSqlQuery keys(db);
        if (!keys.exec(QStringLiteral("PRAGMA foreign_key_list(\"%1\")").arg(table)))
            return Status::failure(keys.lastError().text());
        // PRAGMA foreign_key_list: id, seq, table, from, to, ...
        while (keys.next()) {
            if (owners.contains(keys.value(2).toString()))
                return Status::failure(QStringLiteral("%1: table %2 refers to %3, which this version cannot merge; "
                                                      "merge with the Transfer Studio that wrote the project")
                                           .arg(db.databaseName(), table, keys.value(2).toString()));
        }
    }
    return {};
}

/// Refuses while a run of the destination trains: its metric writes would wait for the merge's
/// transaction and fail after the busy timeout.
Status checkNoRunTrains(const QSqlDatabase &db, const MergeParams &params)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT id FROM runs WHERE status = 'running' ORDER BY id")))
        return Status::failure(q.lastError().text());
    while (q.next()) {
        const qint64 run = q.value(0).toLongLong();
        if (!params.runIsLive || params.runIsLive(run))
            return Status::failure(QStringLiteral("run %1 is training in %2, and merging would hold up its writes; "
                                                  "merge once it has finished or stopped")
                                       .arg(run)
                                       .arg(db.databaseName()));
    }
    return {};
}

/// Applies `choice` to the clashes: fails (Fail), leaves their runs out (Skip), or lets them be copied
/// under their new names (Rename).
Status applyChoice(MergeAnalysis &a, MergeClashChoice choice, const QString &here, const QString &there, MergeReport &report)
{
    if (a.plan.clashes.isEmpty())
        return {};
    if (choice == MergeClashChoice::Fail) {
        QStringList clashes;
        QStringList renamed;
        QList<qint64> runs;
        for (const MergeClash &clash : std::as_const(a.plan.clashes)) {
            clashes.append(QStringLiteral("%1 %2 (used by run%3 %4)")
                               .arg(clash.kind, clash.name, clash.runs.size() == 1 ? QString() : QStringLiteral("s"),
                                    idList(clash.runs)));
            renamed.append(QStringLiteral("\"%1\"").arg(clash.renamed));
            for (const qint64 run : clash.runs) {
                if (!runs.contains(run))
                    runs.append(run);
            }
        }
        std::sort(runs.begin(), runs.end());
        return Status::failure(QStringLiteral("%1 already has %2 with other content than in %3; nothing was merged: "
                                              "choose on-clash rename (copies them as %4) or on-clash skip (leaves out "
                                              "runs %5)")
                                   .arg(here, clashes.join(QStringLiteral(", ")), there, renamed.join(QStringLiteral(", ")),
                                        idList(runs)));
    }
    if (choice == MergeClashChoice::Skip) {
        for (const MergeClash &clash : std::as_const(a.plan.clashes)) {
            for (const qint64 run : clash.runs) {
                if (a.plan.runs.removeOne(run))
                    report.skipped.append(run);
            }
        }
        std::sort(report.skipped.begin(), report.skipped.end());
    }
    return {};
}

/// Runs `work` inside one read transaction of `db`, so that every read sees the same state of the
/// other project while another program writes it.
template <typename T>
Result<T> readConsistently(const QSqlDatabase &db, const std::function<Result<T>()> &work)
{
    QSqlQuery begin(db);
    if (!begin.exec(QStringLiteral("BEGIN")))
        return Result<T>::failure(QStringLiteral("cannot read %1: %2").arg(db.databaseName(), begin.lastError().text()));
    Result<T> result = work();
    QSqlQuery end(db);
    end.exec(QStringLiteral("ROLLBACK"));
    return result;
}

} // namespace

Result<MergePlan> ProjectMerger::plan(const Project &destination, const QString &sourcePath, const QList<qint64> &runs)
{
    const auto source = openSource(destination, sourcePath);
    if (!source)
        return Result<MergePlan>::failure(source.error());
    return readConsistently<MergePlan>(source.value()->database(), [&]() -> Result<MergePlan> {
        const auto analysis = MergeAnalysis::of(source.value()->database(), sourcePath, destination.database(), runs);
        if (!analysis)
            return Result<MergePlan>::failure(analysis.error());
        return analysis->plan;
    });
}

Result<MergeReport> ProjectMerger::merge(Project &destination, const QString &sourcePath, const MergeParams &params)
{
    const auto source = openSource(destination, sourcePath);
    if (!source)
        return Result<MergeReport>::failure(source.error());
    const QSqlDatabase there = source.value()->database();
    MergeReport report;
    bool cancelled = false;
    const auto mergeInto = [&](QSqlDatabase &here) -> Status {
        if (const Status known = checkKnownTables(here); !known)
            return known;
        if (const Status idle = checkNoRunTrains(here, params); !idle)
            return idle;
        auto analysis = MergeAnalysis::of(there, sourcePath, here, params.runs);
        if (!analysis)
            return Status::failure(analysis.error());
        report.present = analysis->plan.present;
        if (const Status s = applyChoice(analysis.value(), params.onClash, destination.path(), sourcePath, report); !s)
            return s;
        MergeWriter writer(there, here, analysis.value(), params, report);
        const Status written = writer.run();
        cancelled = writer.cancelled();
        return written;
    };
    const auto merged = readConsistently<MergeReport>(there, [&]() -> Result<MergeReport> {
        if (const Status s = destination.transaction(mergeInto); !s)
            return Result<MergeReport>::failure(s.error());
        return report;
    });
    if (cancelled)
        return Result<MergeReport>::failure(QStringLiteral("merge cancelled; %1 is unchanged").arg(destination.path()));
    return merged;
}

} // namespace ts
