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
enum Column { CorpusId = 1, Split, Label, Text, Origin, TextHash };
const char kInsert[] = "INSERT INTO documents(corpus_id, split, label, text, origin, text_hash) VALUES (?, ?, ?, ?, ?, ?)";

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

// Binds a QString as UTF-16 (SQLITE_TRANSIENT: SQLite copies it, `text` may go away).
int bindText16(sqlite3_stmt *statement, int column, const QString &text)
{
    return sqlite3_bind_text16(statement, column, text.utf16(), int(text.size() * sizeof(char16_t)), SQLITE_TRANSIENT);
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
    if (!cache)
        return R::failure(cache.error());
    if (const Status s = execute(db, QStringLiteral("PRAGMA cache_size = %1").arg(-kCacheKiB)); !s)
        return R::failure(s.error());
    const QVariant driverHandle = db.driver()->handle();
    sqlite3 *handle = *static_cast<sqlite3 *const *>(driverHandle.constData());
    sqlite3_stmt *insert = nullptr;
    if (sqlite3_prepare_v2(handle, kInsert, -1, &insert, nullptr) != SQLITE_OK) {
        const QString message = QString::fromUtf8(sqlite3_errmsg(handle));
        execute(db, QStringLiteral("PRAGMA cache_size = %1").arg(cache.value()));
        return R::failure(QStringLiteral("cannot prepare the document insert: %1").arg(message));
    }
    std::unique_ptr<DocumentWriter> writer(new DocumentWriter(handle, insert, cache.value()));
    // Every row of this writer has the same corpus; sqlite3_reset keeps bindings.
    sqlite3_bind_int64(insert, CorpusId, corpusId);
    return writer;
}

DocumentWriter::DocumentWriter(sqlite3 *db, sqlite3_stmt *insert, int previousCache)
    : m_db(db), m_insert(insert), m_previousCache(previousCache)
{
}

DocumentWriter::~DocumentWriter()
{
    sqlite3_finalize(m_insert);
    const QByteArray restore = "PRAGMA cache_size = " + QByteArray::number(m_previousCache);
    sqlite3_exec(m_db, restore.constData(), nullptr, nullptr, nullptr);
}

Status DocumentWriter::insert(const char *split, const QByteArray &text, const std::optional<QString> &label,
                              const QString &origin, qint64 fingerprint)
{
    int rc = sqlite3_bind_text(m_insert, Split, split, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = label ? bindText16(m_insert, Label, *label) : sqlite3_bind_null(m_insert, Label);
    // SQLITE_STATIC: `text` outlives the step below, so SQLite need not copy it first.
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(m_insert, Text, text.constData(), int(text.size()), SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = bindText16(m_insert, Origin, origin);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(m_insert, TextHash, fingerprint);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(m_insert);
    const bool stored = rc == SQLITE_DONE;
    const QString message = stored ? QString() : QString::fromUtf8(sqlite3_errmsg(m_db));
    sqlite3_reset(m_insert);
    if (!stored)
        return Status::failure(QStringLiteral("%1: cannot store the document: %2").arg(origin, message));
    return {};
}

qint64 DocumentWriter::lastId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

} // namespace ts
