#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

class QSqlDatabase;
struct sqlite3;
struct sqlite3_stmt;

namespace ts {

/// Appends documents of one corpus to the documents table through SQLite's C API on
/// the connection of a QSqlDatabase (Qt's driver hands out its sqlite3 handle). Binding the UTF-8
/// bytes read from the file as they are skips QSqlQuery's QVariant and UTF-16 round trips, which
/// cost more than SQLite itself. Enlarges the connection's page cache while it lives, so that the
/// indexes being filled stay in memory, and restores it on destruction.
///
/// Runs inside the caller's transaction; not thread-safe (the connection's thread only).
class DocumentWriter
{
public:
    /// Page cache while writing, in KiB (SQLite's negative cache_size): holds the duplicate
    /// index of about a million documents (~20 bytes each), which takes its rows in random order;
    /// the table and the split index grow at their ends and need little.
    static constexpr int kCacheKiB = 32 * 1024;

    /// A writer into corpus `corpusId` on `db` (open, in a write transaction). Fails when Qt's
    /// SQLite driver runs another SQLite than the one this program links.
    static Result<std::unique_ptr<DocumentWriter>> open(QSqlDatabase &db, qint64 corpusId);

    ~DocumentWriter();
    DocumentWriter(const DocumentWriter &) = delete;
    DocumentWriter &operator=(const DocumentWriter &) = delete;

    /// Stores one document in `split` (a static string: "train", ..., "unlabeled"): `text` is
    /// valid UTF-8, `fingerprint` its TextFingerprint. The message of a failure names `origin`.
    Status insert(const char *split, const QByteArray &text, const std::optional<QString> &label,
                  const QString &origin, qint64 fingerprint);
    /// The id of the document stored last.
    qint64 lastId() const;

private:
    DocumentWriter(sqlite3 *db, sqlite3_stmt *insert, int previousCache);
    static Status checkSameLibrary(QSqlDatabase &db);

    sqlite3 *m_db;
    sqlite3_stmt *m_insert;
    int m_previousCache; // the connection's cache_size before, restored by the destructor
};

} // namespace ts
