#include "corpus/DocumentWriter.h"

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <sqlite3.h>

namespace ts {

namespace {

// Parameters of kInsert, 1-based as sqlite3_bind_* counts them.
enum Column { Id = 1, CorpusId, Split, Label, Text, Origin, TextHash };
const char kInsert[] = "INSERT INTO documents(id, corpus_id, split, label, text, origin, text_hash) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)";

Result<int> pragmaValue(QSqlDatabase &db, const QString &pragma)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA %1").arg(pragma)) || !query.next())
        return Result<int>::failure(QStringLiteral("cannot read PRAGMA %1: %2").arg(pragma, query.lastError().text()));
    return query.value(0).toInt();
}

Status execute(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        return Status::failure(QStringLiteral("%1: %2").arg(sql, query.lastError().text()));
    return {};
}

// Binds UTF-8 bytes of `batch` without a copy (SQLITE_STATIC: the batch outlives the step).
int bindText(sqlite3_stmt *statement, int index, const DocumentBatch &batch, qsizetype offset, qsizetype size)
{
    return sqlite3_bind_text(statement, index, batch.bytesAt(offset), int(size), SQLITE_STATIC);
}

QString originOf(const DocumentBatch &batch, const DocumentBatch::Row &row)
{
    return QString::fromUtf8(batch.bytesAt(row.origin), row.originSize);
}

} // namespace

// The sqlite3 handle belongs to the SQLite library Qt's driver was built with; calling this
// program's SQLite on it is only sound when both are the same library (Debian's Qt uses the
// system libsqlite3, as this program does; Qt's own builds may bundle another copy).
Status DocumentWriter::checkSameLibrary(QSqlDatabase &db)
{
    const QVariant handle = db.driver()->handle();
    if (qstrcmp(handle.typeName(), "sqlite3*") != 0 || !*static_cast<sqlite3 *const *>(handle.constData()))
        return Status::failure(QStringLiteral("the project's database driver is not SQLite (%1)").arg(handle.typeName()));
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT sqlite_version()")) || !query.next())
        return Status::failure(query.lastError().text());
    const QString driverVersion = query.value(0).toString();
    if (driverVersion != QLatin1String(sqlite3_libversion())) {
        return Status::failure(QStringLiteral("Qt's SQLite driver runs SQLite %1, but this program was built with "
                                              "SQLite %2; build it against the SQLite Qt uses")
                                   .arg(driverVersion, QLatin1String(sqlite3_libversion())));
    }
    return {};
}

Result<std::unique_ptr<DocumentWriter>> DocumentWriter::open(QSqlDatabase &db, qint64 corpusId)
{
    using R = Result<std::unique_ptr<DocumentWriter>>;
    if (const Status same = checkSameLibrary(db); !same)
        return R::failure(same.error());
    const Result<int> cache = pragmaValue(db, QStringLiteral("cache_size"));
    const Result<int> ignoreChecks = pragmaValue(db, QStringLiteral("ignore_check_constraints"));
    if (!cache || !ignoreChecks)
        return R::failure(cache ? ignoreChecks.error() : cache.error());
    QSqlQuery maxId(db);
    if (!maxId.exec(QStringLiteral("SELECT coalesce(max(id), 0) FROM documents")) || !maxId.next())
        return R::failure(QStringLiteral("cannot read the documents' ids: %1").arg(maxId.lastError().text()));
    const QVariant driverHandle = db.driver()->handle();
    sqlite3 *handle = *static_cast<sqlite3 *const *>(driverHandle.constData());
    std::unique_ptr<DocumentWriter> writer(
        new DocumentWriter(handle, cache.value(), ignoreChecks.value(), maxId.value(0).toLongLong() + 1));
    // The only CHECK on documents is that split is one of four names; the writer binds those
    // names only, and SQLite would build a temporary table of them for every row.
    if (const Status s = execute(db, QStringLiteral("PRAGMA ignore_check_constraints = ON")); !s)
        return R::failure(s.error());
    if (const Status s = execute(db, QStringLiteral("PRAGMA cache_size = %1").arg(-kCacheKiB)); !s)
        return R::failure(s.error());
    if (sqlite3_prepare_v2(handle, kInsert, -1, &writer->m_insert, nullptr) != SQLITE_OK) {
        const QString message = QString::fromUtf8(sqlite3_errmsg(handle));
        return R::failure(QStringLiteral("cannot prepare the document insert: %1").arg(message));
    }
    // Every row of this writer has the same corpus; sqlite3_reset keeps bindings.
    sqlite3_bind_int64(writer->m_insert, CorpusId, corpusId);
    return writer;
}

DocumentWriter::DocumentWriter(sqlite3 *db, int previousCache, int previousIgnoreChecks, qint64 firstFreeId)
    : m_db(db), m_previousCache(previousCache), m_previousIgnoreChecks(previousIgnoreChecks),
      m_firstFreeId(firstFreeId)
{
}

DocumentWriter::~DocumentWriter()
{
    sqlite3_finalize(m_insert);
    const QByteArray restore = "PRAGMA cache_size = " + QByteArray::number(m_previousCache)
        + "; PRAGMA ignore_check_constraints = " + QByteArray::number(m_previousIgnoreChecks);
    sqlite3_exec(m_db, restore.constData(), nullptr, nullptr, nullptr);
}

Status DocumentWriter::insert(const DocumentBatch &batch)
{
    for (const DocumentBatch::Row &row : batch.rows()) {
        if (const Status stored = insert(batch, row); !stored)
            return stored;
    }
    return {};
}

Status DocumentWriter::insert(const DocumentBatch &batch, const DocumentBatch::Row &row)
{
    int rc = sqlite3_bind_int64(m_insert, Id, row.id);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(m_insert, Split, row.split, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK) {
        rc = row.labelSize < 0 ? sqlite3_bind_null(m_insert, Label)
                               : bindText(m_insert, Label, batch, row.label, row.labelSize);
    }
    if (rc == SQLITE_OK)
        rc = bindText(m_insert, Text, batch, row.text, row.textSize);
    if (rc == SQLITE_OK)
        rc = bindText(m_insert, Origin, batch, row.origin, row.originSize);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(m_insert, TextHash, row.fingerprint);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(m_insert);
    const bool stored = rc == SQLITE_DONE;
    const QString message = stored ? QString() : QString::fromUtf8(sqlite3_errmsg(m_db));
    sqlite3_reset(m_insert);
    if (!stored)
        return Status::failure(QStringLiteral("%1: cannot store the document: %2").arg(originOf(batch, row), message));
    return {};
}

} // namespace ts
