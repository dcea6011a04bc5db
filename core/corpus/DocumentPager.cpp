#include "corpus/DocumentPager.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace ts {

Result<DocumentPage> DocumentPager::page(const QSqlDatabase &db, qint64 corpusId, qint64 after, int limit,
                                         const QString &split)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    // One row more than asked tells whether another page follows.
    query.prepare(QStringLiteral("SELECT id, split, label, text, origin FROM documents WHERE corpus_id = ? AND id > ?"
                                 " AND (? = '' OR split = ?) ORDER BY id LIMIT ?"));
    query.addBindValue(corpusId);
    query.addBindValue(after);
    query.addBindValue(split.isNull() ? QStringLiteral("") : split);
    query.addBindValue(split.isNull() ? QStringLiteral("") : split);
    query.addBindValue(limit + 1);
    if (!query.exec())
        return Result<DocumentPage>::failure(QStringLiteral("cannot read documents: %1").arg(query.lastError().text()));
    DocumentPage page;
    page.nextAfter = after;
    while (query.next()) {
        if (page.rows.size() == limit) {
            page.atEnd = false;
            break;
        }
        DocumentRow row{query.value(0).toLongLong(), query.value(1).toString(), std::nullopt,
                        query.value(3).toString(), query.value(4).toString()};
        if (!query.value(2).isNull())
            row.label = query.value(2).toString();
        page.nextAfter = row.id;
        page.rows.append(row);
    }
    return page;
}

} // namespace ts
