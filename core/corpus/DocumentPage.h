#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace ts {

/// One stored document, as a corpus view shows it.
struct DocumentRow
{
    qint64 id = 0;
    QString split;
    std::optional<QString> label;
    QString text;
    QString origin; ///< "<file>:<line>" it was imported from
};

/// One page of a corpus view; ask for the next page with `after = nextAfter`.
struct DocumentPage
{
    QList<DocumentRow> rows;
    qint64 nextAfter = 0; ///< the id of the last row, the key of the next page
    bool atEnd = true;    ///< no documents after this page
};

} // namespace ts
