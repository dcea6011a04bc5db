#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ts::unicode {

// Character classes as Hugging Face `tokenizers` (Rust `char` methods, the `unicode_categories`
// crate and Oniguruma's \s, \p{L}, \p{N}) defines them, answered from Qt's Unicode tables.

/// Rust `char::is_whitespace` and Oniguruma `\s`: the Unicode White_Space property.
bool isWhitespace(char32_t c);
/// BERT's control characters: the Unicode "Other" categories (Cc, Cf, Cs, Co, Cn) but `\t\n\r`.
bool isBertControl(char32_t c);
/// BERT's punctuation: ASCII punctuation (which includes symbols such as `$` and `^`) or P*.
bool isBertPunctuation(char32_t c);
/// The CJK ideograph blocks BERT surrounds with spaces.
bool isCjkIdeograph(char32_t c);
/// `\p{L}`: Lu, Ll, Lt, Lm, Lo.
bool isLetter(char32_t c);
/// `\p{N}`: Nd, Nl, No.
bool isNumber(char32_t c);
/// Mn, the marks BERT's accent stripping removes after NFD.
bool isNonSpacingMark(char32_t c);

/// Appends the UTF-8 encoding of `c` to `out`.
void appendUtf8(std::string &out, char32_t c);
/// Number of bytes of the UTF-8 sequence that starts with `lead` (1 for a stray continuation).
int utf8SequenceLength(unsigned char lead);
/// Decodes the code point starting at `pos` in valid UTF-8 `text` and moves `pos` past it.
char32_t decodeUtf8(std::string_view text, std::size_t &pos);

} // namespace ts::unicode
