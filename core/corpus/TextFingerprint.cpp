#include "corpus/TextFingerprint.h"

#include <QChar>

namespace ts {

namespace {

// FNV-1a 64-bit parameters (Fowler, Noll, Vo).
constexpr quint64 kFnvOffsetBasis = 14695981039346656037ULL;
constexpr quint64 kFnvPrime = 1099511628211ULL;
// Feeding a code unit below 0x100 XORs its high byte, 0, which changes nothing: two rounds
// collapse into one multiplication by the squared prime (mod 2^64).
constexpr quint64 kFnvPrimeSquared = kFnvPrime * kFnvPrime;

inline quint64 feed(quint64 hash, char16_t unit)
{
    if (unit < 0x100)
        return (hash ^ unit) * kFnvPrimeSquared;
    hash = (hash ^ (unit & 0xFF)) * kFnvPrime;
    return (hash ^ (unit >> 8)) * kFnvPrime;
}

// QChar::isSpace with the ASCII cases decided inline: most text is ASCII, and this runs on
// every character imported.
inline bool isSpace(char32_t code)
{
    if (code < 0x80)
        return code == U' ' || (code >= U'\t' && code <= U'\r');
    return QChar::isSpace(code);
}

// Whitespace folding shared by both encodings: feed() the code units of one code point at a time.
class Folder
{
public:
    void take(char32_t code)
    {
        if (isSpace(code)) {
            m_pendingSpace = m_started;
            return;
        }
        if (m_pendingSpace)
            m_hash = feed(m_hash, u' ');
        m_pendingSpace = false;
        m_started = true;
        if (code < 0x10000) {
            m_hash = feed(m_hash, char16_t(code));
        } else {
            m_hash = feed(m_hash, QChar::highSurrogate(code));
            m_hash = feed(m_hash, QChar::lowSurrogate(code));
        }
    }
    qint64 hash() const { return qint64(m_hash); }

private:
    quint64 m_hash = kFnvOffsetBasis;
    bool m_pendingSpace = false;
    bool m_started = false;
};

// The code point starting at utf8[i] (valid UTF-8), advancing i past it.
inline char32_t decodeAt(const uchar *utf8, qsizetype &i)
{
    const uchar lead = utf8[i];
    if (lead < 0x80) {
        ++i;
        return lead;
    }
    if (lead < 0xE0) {
        const char32_t code = (char32_t(lead & 0x1F) << 6) | (utf8[i + 1] & 0x3F);
        i += 2;
        return code;
    }
    if (lead < 0xF0) {
        const char32_t code = (char32_t(lead & 0x0F) << 12) | (char32_t(utf8[i + 1] & 0x3F) << 6) | (utf8[i + 2] & 0x3F);
        i += 3;
        return code;
    }
    const char32_t code = (char32_t(lead & 0x07) << 18) | (char32_t(utf8[i + 1] & 0x3F) << 12)
        | (char32_t(utf8[i + 2] & 0x3F) << 6) | (utf8[i + 3] & 0x3F);
    i += 4;
    return code;
}

} // namespace

qint64 TextFingerprint::of(QStringView text)
{
    Folder folder;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t unit = text[i].unicode();
        if (QChar::isHighSurrogate(unit) && i + 1 < text.size() && QChar::isLowSurrogate(text[i + 1].unicode())) {
            folder.take(QChar::surrogateToUcs4(unit, text[i + 1].unicode()));
            ++i;
        } else {
            folder.take(unit);
        }
    }
    return folder.hash();
}

qint64 TextFingerprint::ofUtf8(QByteArrayView utf8)
{
    const auto *bytes = reinterpret_cast<const uchar *>(utf8.data());
    Folder folder;
    for (qsizetype i = 0; i < utf8.size();)
        folder.take(decodeAt(bytes, i));
    return folder.hash();
}

bool TextFingerprint::isBlankUtf8(QByteArrayView utf8)
{
    const auto *bytes = reinterpret_cast<const uchar *>(utf8.data());
    for (qsizetype i = 0; i < utf8.size();) {
        if (!isSpace(decodeAt(bytes, i)))
            return false;
    }
    return true;
}

} // namespace ts
