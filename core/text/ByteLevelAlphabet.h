#pragma once

#include <array>
#include <string>
#include <string_view>

namespace ts {

/// GPT-2's byte-to-character table (`bytes_to_unicode`): every byte gets a printable character,
/// printable Latin-1 bytes themselves and the others U+0100 onwards, so that any byte string is
/// spelled with vocabulary characters ("Ġ" is the space byte).
class ByteLevelAlphabet
{
public:
    /// The shared table.
    static const ByteLevelAlphabet &instance();

    /// The character standing for `byte`.
    char32_t charOf(unsigned char byte) const { return m_chars[byte]; }
    /// The UTF-8 spelling of that character.
    const std::string &utf8Of(unsigned char byte) const { return m_utf8[byte]; }
    /// The byte `c` stands for, or -1 when `c` is not in the alphabet.
    int byteOf(char32_t c) const;
    /// The bytes a token spelled in this alphabet stands for; false when some character is not in it.
    bool decode(std::string_view token, std::string &bytes) const;

private:
    ByteLevelAlphabet();

    std::array<char32_t, 256> m_chars{};
    std::array<std::string, 256> m_utf8{};
    std::array<short, 512> m_bytes{}; // character (all below U+0200) -> byte, -1 when none
};

} // namespace ts
