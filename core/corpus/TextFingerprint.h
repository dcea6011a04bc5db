#pragma once

#include <QByteArrayView>
#include <QStringView>

namespace ts {

/// The identity of a document's text for duplicate removal: a 64-bit hash of the text's UTF-8
/// bytes with every run of whitespace (QChar::isSpace) read as one space and the ends trimmed,
/// so that "a  b\n" and "a b" are the same document. Stable across platforms and runs (it is
/// stored in project files since format 5; older values are recomputed).
class TextFingerprint
{
public:
    /// The fingerprint of `text`, as the signed integer SQLite stores.
    static qint64 of(QStringView text);

    /// The fingerprint of the valid UTF-8 text `utf8`: the same value as of() gives for the
    /// decoded text. Reads eight bytes at a time where the text needs no folding (imports hash
    /// every byte they read).
    static qint64 ofUtf8(QByteArrayView utf8);

    /// Whether the valid UTF-8 text `utf8` holds nothing but whitespace (QChar::isSpace).
    static bool isBlankUtf8(QByteArrayView utf8);
};

} // namespace ts
