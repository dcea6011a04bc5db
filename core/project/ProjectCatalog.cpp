#include "project/ProjectCatalog.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace ts {

namespace {

template <typename Entry, typename Fill>
Result<QList<Entry>> select(const QSqlDatabase &db, const QString &sql, Fill fill)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(sql))
        return Result<QList<Entry>>::failure(query.lastError().text());
    QList<Entry> entries;
    while (query.next())
        entries.append(fill(query));
    return entries;
}

} // namespace

Result<QList<CorpusEntry>> ProjectCatalog::corpora(const QSqlDatabase &db)
{
    return select<CorpusEntry>(db,
                               QStringLiteral("SELECT c.id, c.name, (SELECT count(*) FROM documents d WHERE "
                                              "d.corpus_id = c.id) FROM corpora c ORDER BY c.name"),
                               [](const QSqlQuery &q) {
                                   return CorpusEntry{q.value(0).toLongLong(), q.value(1).toString(),
                                                      q.value(2).toLongLong()};
                               });
}

Result<QList<ModelEntry>> ProjectCatalog::models(const QSqlDatabase &db)
{
    return select<ModelEntry>(db, QStringLiteral("SELECT id, name, architecture, parameters FROM models ORDER BY name"),
                              [](const QSqlQuery &q) {
                                  return ModelEntry{q.value(0).toLongLong(), q.value(1).toString(),
                                                    q.value(2).toString(), q.value(3).toLongLong()};
                              });
}

Result<QList<RunEntry>> ProjectCatalog::runs(const QSqlDatabase &db)
{
    return select<RunEntry>(db, QStringLiteral("SELECT id, name, strategy, status FROM runs ORDER BY id"),
                            [](const QSqlQuery &q) {
                                return RunEntry{q.value(0).toLongLong(), q.value(1).toString(),
                                                q.value(2).toString(), q.value(3).toString()};
                            });
}

Result<QList<GroupEntry>> ProjectCatalog::groups(const QSqlDatabase &db)
{
    return select<GroupEntry>(db, QStringLiteral("SELECT id, name FROM run_groups ORDER BY id"), [](const QSqlQuery &q) {
        return GroupEntry{q.value(0).toLongLong(), q.value(1).toString()};
    });
}

} // namespace ts
