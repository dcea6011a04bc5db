#pragma once

#include "util/Result.h"

#include <QSqlDatabase>
#include <QString>

namespace ts {

/// What a corpus or a model holds, as one SHA-256 (lowercase hex), so that two projects can tell
/// whether they hold the same corpus or model under any name (ProjectMerger). The project stores no
/// such hash; it is computed from the rows each time.
class ContentHash
{
public:
    /// The hash of corpus `corpusId`'s documents in id order: each one's split, label, text and
    /// domain. Names, descriptions, origins and times are left out. Equal hashes mean equal documents
    /// in the same order, so that the two corpora's documents pair up in id order.
    static Result<QString> ofCorpus(const QSqlDatabase &db, qint64 corpusId);

    /// The hash of model `modelId`: its kind, architecture and configuration, and the name and
    /// SHA-256 of every file stored with it (a built-in model) or its folder (a Hugging Face model,
    /// whose files stay outside the project).
    static Result<QString> ofModel(const QSqlDatabase &db, qint64 modelId);
};

} // namespace ts
