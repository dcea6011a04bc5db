#include "corpus/TextFingerprint.h"

#include "corpus/StreamHash.h"

#include <QByteArray>
#include <QChar>
#include <QtAlgorithms>

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#endif

namespace ts {

namespace {

// QChar::isSpace with the ASCII cases decided inline: most text is ASCII, and this runs on
// every character imported.
inline bool isSpace(char32_t code)
{
    if (code < 0x80)
        return code == U' ' || (code >= U'\t' && code <= U'\r');
    return QChar::isSpace(code);
}

// A printable ASCII byte: not whitespace, and a whole character in UTF-8.
inline bool isWordByte(uchar byte)
{
    return byte > 0x20 && byte < 0x80;
}

// Whether utf8[i] is kept as it is by the folding, given that utf8[i - 1] was: a printable
// ASCII byte, or a single space before one.
inline bool keptAt(const uchar *utf8, qsizetype i, qsizetype size)
{
    return isWordByte(utf8[i]) || (utf8[i] == ' ' && i + 1 < size && isWordByte(utf8[i + 1]));
}

// The end of the bytes from utf8[i] (a printable ASCII byte) that the folding keeps as they are:
// printable ASCII and single spaces between it. Sixteen bytes a step where SSE2 is there.
qsizetype keptRunEnd(const uchar *utf8, qsizetype i, qsizetype size)
{
    ++i;
#if defined(__SSE2__) || defined(_M_X64)
    const __m128i limit = _mm_set1_epi8(0x21);
    const __m128i space = _mm_set1_epi8(' ');
    for (; i + 17 <= size; i += 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(utf8 + i));
        const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i *>(utf8 + i + 1));
        // Signed comparison: bytes from 0x80 are negative, so this flags them with 0x00-0x20.
        const __m128i special = _mm_cmplt_epi8(bytes, limit);
        const __m128i singleSpace = _mm_andnot_si128(_mm_cmplt_epi8(next, limit), _mm_cmpeq_epi8(bytes, space));
        const int stops = _mm_movemask_epi8(_mm_andnot_si128(singleSpace, special));
        if (stops != 0)
            return i + qCountTrailingZeroBits(quint32(stops));
    }
#endif
    while (i < size && keptAt(utf8, i, size))
        ++i;
    return i;
}

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
    return ofUtf8(text.toUtf8());
}

qint64 TextFingerprint::ofUtf8(QByteArrayView utf8)
{
    const auto *bytes = reinterpret_cast<const uchar *>(utf8.data());
    const qsizetype size = utf8.size();
    StreamHash hash;
    bool pendingSpace = false; // whitespace was folded away since the last character kept
    for (qsizetype i = 0; i < size;) {
        const qsizetype start = i;
        if (isWordByte(bytes[i])) {
            i = keptRunEnd(bytes, i, size);
        } else if (isSpace(decodeAt(bytes, i))) {
            pendingSpace = hash.length() > 0;
            continue;
        }
        if (pendingSpace)
            hash.feed(" ", 1);
        pendingSpace = false;
        hash.feed(bytes + start, i - start);
    }
    return qint64(hash.finish());
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
