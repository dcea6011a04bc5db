#pragma once

#include "corpus/DocumentBatch.h"
#include "util/Result.h"

#include <QString>

#include <memory>

class QSqlDatabase;
struct sqlite3;
struct sqlite3_stmt;

namespace ts {

/// Appends documents of one corpus to the documents table through SQLite's C API on
/// the connection of a QSqlDatabase (Qt's driver hands out its sqlite3 handle). Binding the UTF-8
/// bytes read from the file as they are skips QSqlQuery's QVariant and UTF-16 round trips, which
/// cost more than SQLite itself. Enlarges the connection's page cache while it lives, so that the
/// indexes being filled stay in memory, and skips the table's CHECK (on split, which only takes
/// the writer's own names); restores both settings on destruction.
///
/// Runs inside the caller's transaction; not thread-safe (the connection's thread only).
class DocumentWriter
{
public:
    /// Page cache while writing, in KiB (SQLite's negative cache_size): the table and the split
    /// index take their rows at a few places only (4 MiB and 128 MiB measured alike).
    static constexpr int kCacheKiB = 8 * 1024;

    /// A writer into corpus `corpusId` on `db` (open, in a write transaction). Fails when Qt's
    /// SQLite driver runs another SQLite than the one this program links.
    static Result<std::unique_ptr<DocumentWriter>> open(QSqlDatabase &db, qint64 corpusId);

    ~DocumentWriter();
    DocumentWriter(const DocumentWriter &) = delete;
    DocumentWriter &operator=(const DocumentWriter &) = delete;

    /// The id after the largest in the documents table (of any corpus) when the writer opened:
    /// the importer numbers its documents from there.
    qint64 firstFreeId() const { return m_firstFreeId; }

    /// Stores the documents of `batch`, with the ids it gives them. The message of a failure
    /// names the document's origin.
    Status insert(const DocumentBatch &batch);

private:
    DocumentWriter(sqlite3 *db, int previousCache, int previousIgnoreChecks, qint64 firstFreeId);
    static Status checkSameLibrary(QSqlDatabase &db);
    Status insert(const DocumentBatch &batch, const DocumentBatch::Row &row);

    sqlite3 *m_db;
    sqlite3_stmt *m_insert = nullptr;
    int m_previousCache;        // the connection's settings before, restored by the destructor
    int m_previousIgnoreChecks;
    qint64 m_firstFreeId;
};

} // namespace ts
