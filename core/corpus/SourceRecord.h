#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace ts {

/// One record read from an import source: a document, or a row rejected with its reason.
struct SourceRecord
{
    QString origin;               ///< where it came from: "<file>:<line>" or the file of a folder import
    QByteArray text;              ///< the document's text as in the file, in valid UTF-8 (imports store these bytes)
    std::optional<QString> label; ///< absent for unlabelled sources
    QString rejection;            ///< non-empty: the row is bad, for this reason, and has no text
};

} // namespace ts
