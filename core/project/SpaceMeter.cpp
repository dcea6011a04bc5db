#include "project/SpaceMeter.h"

#include <QFileInfo>
#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace ts {

namespace {

/// The table (not index) names each kind's pages belong to; the rest counts as "other".
enum class Bucket { Corpora, StoredFiles, Metrics, Predictions, Other };

Bucket bucketOf(const QString &table)
{
    static const QHash<QString, Bucket> buckets = {
        {QStringLiteral("corpora"), Bucket::Corpora},         {QStringLiteral("documents"), Bucket::Corpora},
        {QStringLiteral("imports"), Bucket::Corpora},         {QStringLiteral("labels"), Bucket::Corpora},
        {QStringLiteral("artifacts"), Bucket::StoredFiles},   {QStringLiteral("artifact_chunks"), Bucket::StoredFiles},
        {QStringLiteral("metrics"), Bucket::Metrics},         {QStringLiteral("run_evaluations"), Bucket::Predictions},
        {QStringLiteral("predictions"), Bucket::Predictions},
    };
    return buckets.value(table, Bucket::Other);
}

Result<qint64> scalar(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return Result<qint64>::failure(QStringLiteral("cannot measure the project (%1): %2").arg(sql, q.lastError().text()));
    return q.value(0).toLongLong();
}

} // namespace

Result<ProjectSpace> SpaceMeter::measure(const QSqlDatabase &db, const QString &path)
{
    ProjectSpace space;
    space.fileBytes = QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size();
    const auto pageSize = scalar(db, QStringLiteral("PRAGMA page_size"));
    const auto freePages = scalar(db, QStringLiteral("PRAGMA freelist_count"));
    if (!pageSize || !freePages)
        return Result<ProjectSpace>::failure(pageSize ? freePages.error() : pageSize.error());
    space.freeBytes = pageSize.value() * freePages.value();
    QSqlQuery probe(db);
    space.exact = probe.exec(QStringLiteral("SELECT 1 FROM dbstat LIMIT 1"));
    probe.finish();
    const Status s = space.exact ? fromPages(db, &space) : fromLengths(db, &space);
    if (!s)
        return Result<ProjectSpace>::failure(s.error());
    return space;
}

Status SpaceMeter::fromPages(const QSqlDatabase &db, ProjectSpace *space)
{
    // dbstat names tables and indexes; sqlite_schema maps an index to its table.
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT coalesce(m.tbl_name, s.name), sum(s.pgsize) FROM dbstat s LEFT JOIN "
                               "sqlite_schema m ON m.name = s.name GROUP BY 1")))
        return Status::failure(QStringLiteral("cannot read SQLite's dbstat table: %1").arg(q.lastError().text()));
    qint64 storedFiles = 0;
    while (q.next()) {
        const qint64 bytes = q.value(1).toLongLong();
        switch (bucketOf(q.value(0).toString())) {
        case Bucket::Corpora:
            space->corpora += bytes;
            break;
        case Bucket::StoredFiles:
            storedFiles += bytes;
            break;
        case Bucket::Metrics:
            space->metrics += bytes;
            break;
        case Bucket::Predictions:
            space->predictions += bytes;
            break;
        case Bucket::Other:
            space->other += bytes;
            break;
        }
    }
    return splitStoredFiles(db, storedFiles, space);
}

Status SpaceMeter::fromLengths(const QSqlDatabase &db, ProjectSpace *space)
{
    // Numbers count as 8 bytes each, as SQLite stores most of them.
    const struct
    {
        qint64 *bucket;
        const char *sql;
    } sums[] = {
        {&space->corpora, "SELECT ifnull(sum(length(text) + length(origin) + ifnull(length(label), 0) + 24), 0) FROM documents"},
        {&space->metrics, "SELECT ifnull(sum(length(split) + length(metric) + 40), 0) FROM metrics"},
        {&space->predictions, "SELECT ifnull(sum(length(probabilities) + 32), 0) FROM predictions"},
        {&space->other, "SELECT ifnull(sum(length(config_json) + length(strategy) + 64), 0) FROM runs"},
    };
    for (const auto &sum : sums) {
        const auto bytes = scalar(db, QLatin1String(sum.sql));
        if (!bytes)
            return Status::failure(bytes.error());
        *sum.bucket = bytes.value();
    }
    const auto stored = scalar(db, QStringLiteral("SELECT ifnull(sum(bytes), 0) FROM artifacts"));
    if (!stored)
        return Status::failure(stored.error());
    return splitStoredFiles(db, stored.value(), space);
}

Status SpaceMeter::splitStoredFiles(const QSqlDatabase &db, qint64 total, ProjectSpace *space)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT ifnull(sum(CASE WHEN run_id IS NULL THEN bytes END), 0), ifnull(sum(CASE WHEN "
                               "run_id IS NOT NULL AND kind = 'checkpoint' THEN bytes END), 0), ifnull(sum(CASE WHEN "
                               "run_id IS NOT NULL AND kind <> 'checkpoint' THEN bytes END), 0) FROM artifacts"))
        || !q.next())
        return Status::failure(QStringLiteral("cannot read the stored files: %1").arg(q.lastError().text()));
    const double models = q.value(0).toDouble();
    const double checkpoints = q.value(1).toDouble();
    const double weights = q.value(2).toDouble();
    const double declared = models + checkpoints + weights;
    if (declared <= 0) {
        space->other += total;
        return {};
    }
    // The pages of the stored files, shared out by their declared sizes.
    space->models = qint64(total * models / declared);
    space->checkpoints = qint64(total * checkpoints / declared);
    space->runWeights = total - space->models - space->checkpoints;
    return {};
}

} // namespace ts
