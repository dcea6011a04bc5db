#pragma once

#include "util/Result.h"

#include <QHash>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantList>

#include <functional>

struct sqlite3_stmt;
struct sqlite3_value;

namespace ts {

/// Copies rows of one table from one project into another (ProjectMerger), column by column name:
/// the columns both files' tables have, so that a column one version adds takes its default in the
/// other. An INTEGER PRIMARY KEY `id` is left to the destination; columns holding ids of the other
/// project are remapped. Values go from one SQLite statement to the other as stored (type and bytes
/// unchanged, no conversion). Not thread-safe; use both connections on their thread.
class TableCopier
{
public:
    /// Old id (in the source) -> new id (in the destination).
    using IdMap = QHash<qint64, qint64>;
    /// Called after each copied row; false stops the copy (cancel).
    using RowDone = std::function<bool()>;

    /// A copier of `table` from `source` into `destination`. Fails naming the table when either file
    /// lacks it.
    static Result<TableCopier> create(const QSqlDatabase &source, const QSqlDatabase &destination, const QString &table);

    /// Column `column` holds ids of the source project: each is replaced through `map`, NULL where
    /// `map` has none. `map` must outlive copy().
    void remap(const QString &column, const IdMap *map);
    /// Column `column` takes `value` in every copied row instead of the source's.
    void set(const QString &column, const QVariant &value);

    /// Copies the rows `WHERE where` of the source table (`?` bound to `values`) in id order,
    /// recording old id -> new id in `ids` when given. Fails naming the table; with a message saying
    /// so when `rowDone` returned false.
    Status copy(const QString &where, const QVariantList &values, IdMap *ids = nullptr, const RowDone &rowDone = {});

    /// The message copy() fails with when `rowDone` stopped it.
    static QString cancelledMessage();

private:
    TableCopier() = default;
    /// Binds `value` (column `column` of a source row) as parameter `index` of `write`, overridden or remapped.
    void bindColumn(sqlite3_stmt *write, int index, const QString &column, sqlite3_value *value) const;

    QSqlDatabase m_source;
    QSqlDatabase m_destination;
    QString m_table;
    QString m_idColumn;  // the INTEGER PRIMARY KEY both tables share; empty when none
    QStringList m_columns; // copied columns (without m_idColumn)
    QHash<QString, const IdMap *> m_remaps;
    QHash<QString, QVariant> m_overrides;
};

} // namespace ts
