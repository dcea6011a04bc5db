#include "FuzzScratch.h"
#include "FuzzTargets.h"

#include "corpus/CorpusStore.h"
#include "project/Project.h"
#include "project/ProjectCatalog.h"
#include "project/RunStore.h"

#include <QFile>

namespace ts::fuzz {

namespace {

/// Fails with the first error among `results`, else succeeds.
template <typename... Results>
Status firstError(const Results &...results)
{
    Status status;
    ((status = status ? Status::from(results) : status), ...);
    return status;
}

/// What the explorer and the CLI read from an open project: counts, corpora, models, runs and
/// every run's metrics. The project may refuse any of it (a damaged table); it must not crash.
Status inspect(const Project &project)
{
    const QSqlDatabase db = project.database();
    if (const Status listed = firstError(project.summary(), ProjectCatalog::corpora(db), ProjectCatalog::models(db),
                                         CorpusStore::summaries(db), CorpusStore::labelSet(db));
        !listed)
        return listed;
    const RunStore runs(db);
    const Result<QList<RunRecord>> all = runs.list();
    if (!all)
        return Status::from(all);
    for (const RunRecord &run : all.value()) {
        if (const Status read = firstError(runs.load(run.id), runs.metrics(run.id), runs.finalMetrics(run.id)); !read)
            return read;
    }
    return Status::from(ProjectCatalog::runs(db));
}

void removeProjectFiles(const QString &path)
{
    for (const char *suffix : {"", "-wal", "-shm", "-journal"})
        QFile::remove(path + QLatin1String(suffix));
}

} // namespace

FuzzOutcome fuzzProject(const QByteArray &input)
{
    const QString scratch = FuzzScratch::path(QStringLiteral("fuzz.tstudio"));
    removeProjectFiles(scratch);
    const QString path = FuzzScratch::write(QStringLiteral("fuzz.tstudio"), input);
    if (path.isEmpty())
        return FuzzOutcome::refused(QStringLiteral("cannot write the scratch file"));
    // Read-only first, as `transfer-studio-cli info` does (it refuses older formats); then for
    // writing, which upgrades them. The outcome is the writer's.
    FuzzOutcome outcome;
    for (const Project::Access access : {Project::Access::ReadOnly, Project::Access::ReadWrite}) {
        const auto project = Project::open(path, access);
        const Status read = project ? inspect(*project.value()) : Status::from(project);
        outcome = read ? FuzzOutcome::accepted() : refusal(read.error());
        if (outcome.kind == FuzzOutcome::Kind::Broken)
            return outcome;
    }
    return outcome;
}

} // namespace ts::fuzz
