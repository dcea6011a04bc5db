#pragma once

#include "corpus/DocumentPage.h"
#include "util/Result.h"

class QSqlDatabase;

namespace ts {

/// Pages through a corpus's documents in id order by keyset pagination (WHERE id > after),
/// so that every page costs the same whether it is the first or the millionth.
class DocumentPager
{
public:
    /// Up to `limit` documents of corpus `corpusId` with id > `after`, optionally of one split
    /// (empty: all splits). Start with after = 0.
    static Result<DocumentPage> page(const QSqlDatabase &db, qint64 corpusId, qint64 after, int limit,
                                     const QString &split = QString());
};

} // namespace ts
