#include "project/TableCopier.h"

#include <QSqlError>
#include <QSqlQuery>

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

QVariant TableCopier::valueOf(const QString &column, const QVariant &sourceValue) const
{
    if (const auto o = m_overrides.constFind(column); o != m_overrides.cend())
        return o.value();
    const auto r = m_remaps.constFind(column);
    if (r == m_remaps.cend() || sourceValue.isNull())
        return sourceValue;
    const auto mapped = r.value()->constFind(sourceValue.toLongLong());
    return mapped == r.value()->cend() ? QVariant() : QVariant(mapped.value());
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
    QSqlQuery read(m_source);
    read.setForwardOnly(true);
    read.prepare(QStringLiteral("SELECT %1 FROM %2 WHERE %3%4")
                     .arg(selected.join(QStringLiteral(", ")), quoted(m_table), where,
                          m_idColumn.isEmpty() ? QString() : QStringLiteral(" ORDER BY ") + quoted(m_idColumn)));
    for (const QVariant &value : values)
        read.addBindValue(value);
    if (!read.exec())
        return Status::failure(QStringLiteral("cannot read %1 from %2: %3").arg(m_table, m_source.databaseName(), read.lastError().text()));
    QSqlQuery write(m_destination);
    write.prepare(QStringLiteral("INSERT INTO %1(%2) VALUES (%3)")
                      .arg(quoted(m_table), names.join(QStringLiteral(", ")), marks.join(QStringLiteral(", "))));
    const int first = m_idColumn.isEmpty() ? 0 : 1;
    while (read.next()) {
        for (int i = 0; i < m_columns.size(); ++i)
            write.bindValue(i, valueOf(m_columns.at(i), read.value(first + i)));
        if (!write.exec())
            return Status::failure(QStringLiteral("cannot copy a row of %1: %2").arg(m_table, write.lastError().text()));
        if (ids && first == 1)
            ids->insert(read.value(0).toLongLong(), write.lastInsertId().toLongLong());
        if (rowDone && !rowDone())
            return Status::failure(cancelledMessage());
    }
    return {};
}

} // namespace ts
