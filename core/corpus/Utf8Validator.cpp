#include "corpus/Utf8Validator.h"

#include <cstring>

namespace ts {

namespace {

// Eight ASCII bytes at once: none has its high bit set.
constexpr quint64 kHighBits = 0x8080808080808080ULL;

// Length of the sequence starting with `lead` and the allowed range of its second byte; 0 when
// `lead` cannot start a sequence (continuation bytes, C0/C1 overlongs, F5..FF).
struct LeadInfo
{
    int length;
    uchar secondMin;
    uchar secondMax;
};

LeadInfo leadInfo(uchar lead)
{
    if (lead >= 0xC2 && lead <= 0xDF)
        return {2, 0x80, 0xBF};
    if (lead == 0xE0)
        return {3, 0xA0, 0xBF};
    if (lead == 0xED)
        return {3, 0x80, 0x9F}; // excludes UTF-16 surrogates
    if (lead >= 0xE1 && lead <= 0xEF)
        return {3, 0x80, 0xBF};
    if (lead == 0xF0)
        return {4, 0x90, 0xBF};
    if (lead >= 0xF1 && lead <= 0xF3)
        return {4, 0x80, 0xBF};
    if (lead == 0xF4)
        return {4, 0x80, 0x8F}; // nothing above U+10FFFF
    return {0, 0, 0};
}

bool hasZeroByte(quint64 word)
{
    return ((word - 0x0101010101010101ULL) & ~word & kHighBits) != 0;
}

} // namespace

qsizetype Utf8Validator::firstInvalid(QByteArrayView bytes)
{
    const auto *data = reinterpret_cast<const uchar *>(bytes.data());
    const qsizetype size = bytes.size();
    qsizetype i = 0;
    while (i < size) {
        if (i + 8 <= size) {
            quint64 word;
            std::memcpy(&word, data + i, sizeof word);
            if ((word & kHighBits) == 0 && !hasZeroByte(word)) {
                i += 8;
                continue;
            }
        }
        const uchar lead = data[i];
        if (lead == 0)
            return i;
        if (lead < 0x80) {
            ++i;
            continue;
        }
        const LeadInfo info = leadInfo(lead);
        if (info.length == 0 || i + info.length > size)
            return i;
        if (data[i + 1] < info.secondMin || data[i + 1] > info.secondMax)
            return i;
        for (int k = 2; k < info.length; ++k) {
            if ((data[i + k] & 0xC0) != 0x80)
                return i;
        }
        i += info.length;
    }
    return -1;
}

QString Utf8Validator::describe(QByteArrayView bytes, qsizetype offset)
{
    const uchar byte = uchar(bytes.at(offset));
    if (byte == 0)
        return QStringLiteral("contains a NUL byte at byte %1: this looks like a binary file, not text").arg(offset + 1);
    return QStringLiteral("is not valid UTF-8 (byte 0x%1 at byte %2 of the field); if the file uses another encoding, "
                          "give it as the import's encoding (e.g. windows-1252, latin1, utf-16)")
        .arg(byte, 2, 16, QLatin1Char('0'))
        .arg(offset + 1);
}

Result<QString> Utf8Validator::decode(QByteArrayView bytes)
{
    const qsizetype bad = firstInvalid(bytes);
    if (bad >= 0)
        return Result<QString>::failure(describe(bytes, bad));
    return QString::fromUtf8(bytes);
}

} // namespace ts
