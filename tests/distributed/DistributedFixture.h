#pragma once

// Shared by the data-parallel CLI tests: a project with the sample corpora and the tiny encoder,
// and what they check in it afterwards.
#include "corpus/SampleCorpora.h"
#include "model/BuiltinModels.h"
#include "project/Project.h"
#include "project/RunStore.h"

#include <QSqlQuery>
#include <QString>

namespace ts::test {

/// Creates `path` with every sample corpus and the tiny encoder "tiny"; an error message, or empty.
inline QString createSampleProject(const QString &path)
{
    auto project = Project::create(path);
    if (!project)
        return project.error();
    for (const QString &domain : SampleCorpora::domains()) {
        if (const Status s = SampleCorpora::importDomain(*project.value(), domain); !s)
            return s.error();
    }
    BuiltinBuildParams params;
    params.seed = 7;
    const auto id = BuiltinModels::addToProject(project.value()->database(), QStringLiteral("tiny-encoder"),
                                                QStringLiteral("tiny"), {QStringLiteral("books"), QStringLiteral("electronics")},
                                                params);
    return id ? QString() : id.error();
}

/// One integer a query on `path` gives (read-only), or -1.
inline qint64 countOf(const QString &path, const QString &sql)
{
    auto project = Project::open(path, Project::Access::ReadOnly);
    if (!project)
        return -1;
    QSqlQuery q(project.value()->database());
    return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
}

/// How many training values (split, metric) of run `runId` were recorded more than once at a step:
/// every optimiser step records each once. (Evaluations at a phase boundary legitimately record
/// the counts of texts twice at one step, once per phase.)
inline qint64 repeatedMetrics(const QString &path, qint64 runId)
{
    return countOf(path, QStringLiteral("SELECT COUNT(*) FROM (SELECT step, split, metric FROM metrics WHERE run_id = %1 "
                                        "AND split IN ('train', 'pretrain') GROUP BY 1, 2, 3 HAVING COUNT(*) > 1)")
                             .arg(runId));
}

/// How many evaluations (prediction sets) of run `runId` share a split and step with another.
inline qint64 repeatedEvaluations(const QString &path, qint64 runId)
{
    return countOf(path, QStringLiteral("SELECT COUNT(*) FROM (SELECT split, step FROM run_evaluations WHERE run_id = %1 "
                                        "GROUP BY 1, 2 HAVING COUNT(*) > 1)")
                             .arg(runId));
}

/// The run's status as stored.
inline RunRecord::Status statusOf(const QString &path, qint64 runId)
{
    auto project = Project::open(path, Project::Access::ReadOnly);
    if (!project)
        return RunRecord::Status::Failed;
    const auto run = RunStore(project.value()->database()).load(runId);
    return run ? run->status : RunRecord::Status::Failed;
}

} // namespace ts::test
