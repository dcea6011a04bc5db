#pragma once

#include <QStringView>

namespace ts {

/// The identity of a document's text for duplicate removal: FNV-1a (64 bit) of the text with
/// every run of whitespace read as one space and the ends trimmed, so that "a  b\n" and "a b"
/// are the same document. Stable across platforms and runs (it is stored in project files).
class TextFingerprint
{
public:
    /// The fingerprint of `text`, as the signed integer SQLite stores.
    static qint64 of(QStringView text);
};

} // namespace ts
