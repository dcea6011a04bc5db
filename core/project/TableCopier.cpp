#include "project/TableCopier.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

#include <memory>

namespace ts {

namespace {

struct TableInfo
{
    QStringList columns;
    QString rowidAlias; // the INTEGER PRIMARY KEY column, empty when none
};

QString quoted(const QString &name)
{
    return QLatin1Char('"') + QString(name).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

Result<TableInfo> tableInfo(const QSqlDatabase &db, const QString &table)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA table_info(%1)").arg(quoted(table))))
        return Result<TableInfo>::failure(QStringLiteral("cannot read table %1's columns: %2").arg(table, q.lastError().text()));
    TableInfo info;
    int keyColumns = 0;
    QString key;
    // PRAGMA table_info: cid, name, type, notnull, dflt_value, pk
    while (q.next()) {
        info.columns.append(q.value(1).toString());
        if (q.value(5).toInt() > 0) {
            ++keyColumns;
            if (q.value(2).toString().compare(QLatin1String("INTEGER"), Qt::CaseInsensitive) == 0)
                key = q.value(1).toString();
        }
    }
    if (info.columns.isEmpty())
        return Result<TableInfo>::failure(QStringLiteral("the project has no table %1").arg(table));
    if (keyColumns == 1)
        info.rowidAlias = key;
    return info;
}

using Statement = std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt *)>;

sqlite3 *handleOf(const QSqlDatabase &db)
{
    return *static_cast<sqlite3 *const *>(db.driver()->handle().constData());
}

Statement prepare(sqlite3 *db, const QString &sql)
{
    sqlite3_stmt *statement = nullptr;
    sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, &statement, nullptr);
    return Statement(statement, &sqlite3_finalize);
}

void bindVariant(sqlite3_stmt *statement, int index, const QVariant &value)
{
    if (value.isNull()) {
        sqlite3_bind_null(statement, index);
    } else if (value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::Int) {
        sqlite3_bind_int64(statement, index, value.toLongLong());
    } else {
        const QByteArray text = value.toString().toUtf8();
        sqlite3_bind_text(statement, index, text.constData(), int(text.size()), SQLITE_TRANSIENT);
    }
}

} // namespace

Result<TableCopier> TableCopier::create(const QSqlDatabase &source, const QSqlDatabase &destination, const QString &table)
{
    const auto from = tableInfo(source, table);
    if (!from)
        return Result<TableCopier>::failure(QStringLiteral("%1: %2").arg(source.databaseName(), from.error()));
    const auto to = tableInfo(destination, table);
    if (!to)
        return Result<TableCopier>::failure(QStringLiteral("%1: %2").arg(destination.databaseName(), to.error()));
    TableCopier copier;
    copier.m_source = source;
    copier.m_destination = destination;
    copier.m_table = table;
    if (!to->rowidAlias.isEmpty() && to->rowidAlias == from->rowidAlias)
        copier.m_idColumn = to->rowidAlias;
    for (const QString &column : to->columns) {
        if (column != copier.m_idColumn && from->columns.contains(column))
            copier.m_columns.append(column);
    }
    return copier;
}

void TableCopier::remap(const QString &column, const IdMap *map)
{
    m_remaps.insert(column, map);
}

void TableCopier::set(const QString &column, const QVariant &value)
{
    m_overrides.insert(column, value);
}

QString TableCopier::cancelledMessage()
{
    return QStringLiteral("cancelled");
}

Status TableCopier::copy(const QString &where, const QVariantList &values, IdMap *ids, const RowDone &rowDone)
{
    QStringList names;
    QStringList marks;
    for (const QString &column : std::as_const(m_columns)) {
        names.append(quoted(column));
        marks.append(QStringLiteral("?"));
    }
    QStringList selected = names;
    if (!m_idColumn.isEmpty())
        selected.prepend(quoted(m_idColumn));
    const QString readSql = QStringLiteral("SELECT %1 FROM %2 WHERE %3%4")
                                .arg(selected.join(QStringLiteral(", ")), quoted(m_table), where,
                                     m_idColumn.isEmpty() ? QString() : QStringLiteral(" ORDER BY ") + quoted(m_idColumn));
    const QString writeSql = QStringLiteral("INSERT INTO %1(%2) VALUES (%3)")
                                 .arg(quoted(m_table), names.join(QStringLiteral(", ")), marks.join(QStringLiteral(", ")));
    sqlite3 *from = handleOf(m_source);
    sqlite3 *to = handleOf(m_destination);
    const Statement read = prepare(from, readSql);
    const Statement write = prepare(to, writeSql);
    if (!read || !write)
        return Status::failure(QStringLiteral("cannot copy %1: %2").arg(m_table, QString::fromUtf8(sqlite3_errmsg(read ? to : from))));
    for (int i = 0; i < values.size(); ++i)
        bindVariant(read.get(), i + 1, values.at(i));
    const int first = m_idColumn.isEmpty() ? 0 : 1;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(read.get())) == SQLITE_ROW) {
        for (int i = 0; i < m_columns.size(); ++i)
            bindColumn(write.get(), i + 1, m_columns.at(i), sqlite3_column_value(read.get(), first + i));
        if (sqlite3_step(write.get()) != SQLITE_DONE)
            return Status::failure(QStringLiteral("cannot copy a row of %1: %2").arg(m_table, QString::fromUtf8(sqlite3_errmsg(to))));
        sqlite3_reset(write.get());
        if (ids && first == 1)
            ids->insert(sqlite3_column_int64(read.get(), 0), sqlite3_last_insert_rowid(to));
        if (rowDone && !rowDone())
            return Status::failure(cancelledMessage());
    }
    if (rc != SQLITE_DONE)
        return Status::failure(QStringLiteral("cannot read %1 from %2: %3").arg(m_table, m_source.databaseName(), QString::fromUtf8(sqlite3_errmsg(from))));
    return {};
}

void TableCopier::bindColumn(sqlite3_stmt *write, int index, const QString &column, sqlite3_value *value) const
{
    if (const auto o = m_overrides.constFind(column); o != m_overrides.cend()) {
        bindVariant(write, index, o.value());
        return;
    }
    const auto r = m_remaps.constFind(column);
    if (r == m_remaps.cend()) {
        sqlite3_bind_value(write, index, value); // copied as stored: type and bytes unchanged
        return;
    }
    const auto mapped = sqlite3_value_type(value) == SQLITE_NULL ? r.value()->cend() : r.value()->constFind(sqlite3_value_int64(value));
    if (mapped == r.value()->cend())
        sqlite3_bind_null(write, index);
    else
        sqlite3_bind_int64(write, index, mapped.value());
}

} // namespace ts
