#pragma once

#include "util/Result.h"

#include <QByteArrayView>
#include <QString>

namespace ts {

/// Checks that bytes are well-formed UTF-8 text (RFC 3629: no overlong forms, no surrogates,
/// nothing above U+10FFFF) and contain no NUL byte, which marks binary files.
class Utf8Validator
{
public:
    /// Offset of the first byte that is not valid UTF-8 text, or -1 when all of `bytes` is.
    static qsizetype firstInvalid(QByteArrayView bytes);

    /// A sentence describing the invalid byte at `offset` of `bytes`, for error messages.
    static QString describe(QByteArrayView bytes, qsizetype offset);

    /// Decodes `bytes` after checking them; the failure is describe()'s sentence.
    static Result<QString> decode(QByteArrayView bytes);
};

} // namespace ts
