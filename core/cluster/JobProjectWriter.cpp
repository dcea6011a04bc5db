#include "cluster/JobProjectWriter.h"

#include "project/Project.h"
#include "project/TableCopier.h"
#include "project/WriteTransaction.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>

namespace ts {

namespace {

Result<qint64> corpusId(const QSqlDatabase &db, const QString &name)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT id FROM corpora WHERE name = ?"));
    q.addBindValue(name);
    if (!q.exec())
        return Result<qint64>::failure(QStringLiteral("%1: %2").arg(db.databaseName(), q.lastError().text()));
    if (!q.next())
        return Result<qint64>::failure(QStringLiteral("there is no corpus named '%1' (see `corpora`)").arg(name));
    return q.value(0).toLongLong();
}

/// The labels of corpus `corpus`'s documents, in the order `from` recorded them.
Status copyLabels(const QSqlDatabase &from, QSqlDatabase &to, qint64 corpus)
{
    QSqlQuery labels(from);
    labels.prepare(QStringLiteral("SELECT name, created_at FROM labels WHERE name IN (SELECT DISTINCT label FROM documents "
                                  "WHERE corpus_id = ?) ORDER BY id"));
    labels.addBindValue(corpus);
    if (!labels.exec())
        return Status::failure(QStringLiteral("cannot read the labels: %1").arg(labels.lastError().text()));
    QSqlQuery insert(to);
    insert.prepare(QStringLiteral("INSERT OR IGNORE INTO labels(name, created_at) VALUES (?, ?)"));
    while (labels.next()) {
        insert.addBindValue(labels.value(0));
        insert.addBindValue(labels.value(1));
        if (!insert.exec())
            return Status::failure(QStringLiteral("cannot record label %1: %2").arg(labels.value(0).toString(),
                                                                                  insert.lastError().text()));
    }
    return {};
}

/// Copies rows `where` (bound to `id`) of `table`, remapping `column` through `map` when given.
Status copyRows(const QSqlDatabase &from, QSqlDatabase &to, const QString &table, const QString &where, qint64 id,
                TableCopier::IdMap *ids = nullptr, const QString &column = {}, const TableCopier::IdMap *map = nullptr)
{
    auto copier = TableCopier::create(from, to, table);
    if (!copier)
        return Status::failure(copier.error());
    if (map)
        copier->remap(column, map);
    return copier->copy(where, {id}, ids);
}

Status copyAll(const QSqlDatabase &from, QSqlDatabase &to, const QStringList &corpora, qint64 modelId)
{
    for (const QString &name : corpora) {
        const auto id = corpusId(from, name);
        if (!id)
            return Status::failure(id.error());
        TableCopier::IdMap corpusIds;
        Status s = copyRows(from, to, QStringLiteral("corpora"), QStringLiteral("id = ?"), id.value(), &corpusIds);
        if (s)
            s = copyLabels(from, to, id.value());
        if (s)
            s = copyRows(from, to, QStringLiteral("documents"), QStringLiteral("corpus_id = ?"), id.value(), nullptr,
                         QStringLiteral("corpus_id"), &corpusIds);
        if (s)
            s = copyRows(from, to, QStringLiteral("imports"), QStringLiteral("corpus_id = ?"), id.value(), nullptr,
                         QStringLiteral("corpus_id"), &corpusIds);
        if (!s)
            return Status::failure(QStringLiteral("corpus %1: %2").arg(name, s.error()));
    }
    TableCopier::IdMap modelIds;
    TableCopier::IdMap artifactIds;
    Status s = copyRows(from, to, QStringLiteral("models"), QStringLiteral("id = ?"), modelId, &modelIds);
    if (s && modelIds.isEmpty())
        s = Status::failure(QStringLiteral("there is no model %1 (see `models`)").arg(modelId));
    if (s)
        s = copyRows(from, to, QStringLiteral("artifacts"), QStringLiteral("model_id = ? AND run_id IS NULL"), modelId,
                     &artifactIds, QStringLiteral("model_id"), &modelIds);
    if (s)
        s = copyRows(from, to, QStringLiteral("artifact_chunks"),
                     QStringLiteral("artifact_id IN (SELECT id FROM artifacts WHERE model_id = ? AND run_id IS NULL)"),
                     modelId, nullptr, QStringLiteral("artifact_id"), &artifactIds);
    return s;
}

} // namespace

Status JobProjectWriter::create(const QSqlDatabase &from, const QString &path, const QStringList &corpora, qint64 modelId)
{
    Status written;
    {
        auto project = Project::create(path);
        if (!project)
            return Status::failure(project.error());
        QSqlDatabase to = project.value()->database();
        written = WriteTransaction::run(to, path, [&](QSqlDatabase &db) { return copyAll(from, db, corpora, modelId); });
    }
    if (!written) {
        // All or nothing: the new, empty project goes too (with SQLite's side files).
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            QFile::remove(path + suffix);
    }
    return written;
}

} // namespace ts
