#include "corpus/CorpusStore.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace ts {

namespace {

QString now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

// The first column of every row of `query` (prepared, values bound) as strings.
Result<QStringList> strings(QSqlQuery &query)
{
    query.setForwardOnly(true);
    if (!query.exec())
        return Result<QStringList>::failure(query.lastError().text());
    QStringList values;
    while (query.next())
        values.append(query.value(0).toString());
    return values;
}

} // namespace

Result<std::optional<qint64>> CorpusStore::find(const QSqlDatabase &db, const QString &name)
{
    using R = Result<std::optional<qint64>>;
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT id FROM corpora WHERE name = ?"));
    query.addBindValue(name);
    if (!query.exec())
        return R::failure(QStringLiteral("cannot look up corpus '%1': %2").arg(name, query.lastError().text()));
    if (!query.next())
        return std::optional<qint64>();
    return std::optional<qint64>(query.value(0).toLongLong());
}

Result<qint64> CorpusStore::ensure(const QSqlDatabase &db, const QString &name)
{
    const Result<std::optional<qint64>> existing = find(db, name);
    if (!existing)
        return Result<qint64>::failure(existing.error());
    if (existing.value())
        return *existing.value();
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO corpora(name, created_at) VALUES (?, ?)"));
    insert.addBindValue(name);
    insert.addBindValue(now());
    if (!insert.exec())
        return Result<qint64>::failure(QStringLiteral("cannot create corpus '%1': %2").arg(name, insert.lastError().text()));
    return insert.lastInsertId().toLongLong();
}

Result<QList<CorpusSummary>> CorpusStore::summaries(const QSqlDatabase &db)
{
    using R = Result<QList<CorpusSummary>>;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT id, name FROM corpora ORDER BY name")))
        return R::failure(query.lastError().text());
    QList<CorpusSummary> corpora;
    QHash<qint64, qsizetype> byId;
    while (query.next()) {
        byId.insert(query.value(0).toLongLong(), corpora.size());
        corpora.append({query.value(0).toLongLong(), query.value(1).toString(), 0, 0, {}, {}});
    }
    if (!query.exec(QStringLiteral("SELECT corpus_id, split, label, count(*) FROM documents GROUP BY 1, 2, 3")))
        return R::failure(query.lastError().text());
    while (query.next()) {
        CorpusSummary &corpus = corpora[byId.value(query.value(0).toLongLong())];
        const QString split = query.value(1).toString();
        const qint64 count = query.value(3).toLongLong();
        corpus.documents += count;
        corpus.splits[split] += count;
        if (split == QLatin1String("unlabeled"))
            corpus.unlabeled += count;
        else if (!query.value(2).isNull())
            corpus.labels[query.value(2).toString()] += count;
    }
    return corpora;
}

Result<QStringList> CorpusStore::labels(const QSqlDatabase &db, qint64 corpusId)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT DISTINCT label FROM documents WHERE corpus_id = ? AND label IS NOT NULL "
                                 "AND split != 'unlabeled' ORDER BY label"));
    query.addBindValue(corpusId);
    return strings(query);
}

Result<QStringList> CorpusStore::labelsOutside(const QSqlDatabase &db, qint64 corpusId)
{
    QSqlQuery query(db);
    // Two ranges rather than corpus_id != ?, which SQLite answers by reading every document
    // (the corpus just imported included) instead of searching documents_by_corpus.
    query.prepare(QStringLiteral("SELECT DISTINCT label FROM documents WHERE (corpus_id < ? OR corpus_id > ?) "
                                 "AND label IS NOT NULL AND split != 'unlabeled' ORDER BY label"));
    query.addBindValue(corpusId);
    query.addBindValue(corpusId);
    return strings(query);
}

Status CorpusStore::registerLabels(const QSqlDatabase &db, const QStringList &labels)
{
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT OR IGNORE INTO labels(name, created_at) VALUES (?, ?)"));
    const QString time = now();
    for (const QString &label : labels) {
        insert.addBindValue(label);
        insert.addBindValue(time);
        if (!insert.exec())
            return Status::failure(QStringLiteral("cannot record label '%1': %2").arg(label, insert.lastError().text()));
    }
    return {};
}

Result<QStringList> CorpusStore::labelSet(const QSqlDatabase &db)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT name FROM labels ORDER BY id"));
    return strings(query);
}

} // namespace ts
