#include "text/ByteLevelAlphabet.h"

#include "text/Unicode.h"

namespace ts {

namespace {
constexpr char32_t kFirstShifted = 256; // bytes without a printable character map from here on
} // namespace

const ByteLevelAlphabet &ByteLevelAlphabet::instance()
{
    static const ByteLevelAlphabet alphabet;
    return alphabet;
}

ByteLevelAlphabet::ByteLevelAlphabet()
{
    m_bytes.fill(-1);
    char32_t next = kFirstShifted;
    for (int b = 0; b < 256; ++b) {
        const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        m_chars[b] = printable ? char32_t(b) : next++;
        unicode::appendUtf8(m_utf8[b], m_chars[b]);
        m_bytes[m_chars[b]] = short(b);
    }
}

int ByteLevelAlphabet::byteOf(char32_t c) const
{
    return c < m_bytes.size() ? m_bytes[c] : -1;
}

bool ByteLevelAlphabet::decode(std::string_view token, std::string &bytes) const
{
    std::size_t pos = 0;
    while (pos < token.size()) {
        const int b = byteOf(unicode::decodeUtf8(token, pos));
        if (b < 0)
            return false;
        bytes.push_back(char(b));
    }
    return true;
}

} // namespace ts
