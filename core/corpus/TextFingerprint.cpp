#include "corpus/TextFingerprint.h"

#include <QChar>

namespace ts {

namespace {

// FNV-1a 64-bit parameters (Fowler, Noll, Vo).
constexpr quint64 kFnvOffsetBasis = 14695981039346656037ULL;
constexpr quint64 kFnvPrime = 1099511628211ULL;

inline quint64 feed(quint64 hash, char16_t unit)
{
    hash = (hash ^ (unit & 0xFF)) * kFnvPrime;
    return (hash ^ (unit >> 8)) * kFnvPrime;
}

// QChar::isSpace with the ASCII cases decided inline: most text is ASCII, and this runs on
// every character imported.
inline bool isSpace(char16_t unit)
{
    if (unit < 0x80)
        return unit == u' ' || (unit >= u'\t' && unit <= u'\r');
    return QChar::isSpace(unit);
}

} // namespace

qint64 TextFingerprint::of(QStringView text)
{
    quint64 hash = kFnvOffsetBasis;
    bool pendingSpace = false;
    bool started = false;
    for (const QChar c : text) {
        if (isSpace(c.unicode())) {
            pendingSpace = started;
            continue;
        }
        if (pendingSpace)
            hash = feed(hash, u' ');
        pendingSpace = false;
        started = true;
        hash = feed(hash, c.unicode());
    }
    return qint64(hash);
}

} // namespace ts
