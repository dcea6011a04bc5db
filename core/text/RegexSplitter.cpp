#include "text/RegexSplitter.h"

#include "text/Unicode.h"

#include <cstdint>

namespace ts {

namespace {

const char *const kGpt2Regex = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
const char *const kLlama3Regex = R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
const char *const kQwen2Regex = R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

constexpr std::size_t kLlama3MaxDigits = 3; // \p{N}{1,3}
constexpr std::size_t kQwen2MaxDigits = 1;  // \p{N}

enum Class : std::uint8_t { Letter = 1, Number = 2, Space = 4, Newline = 8 };

std::uint8_t classify(char32_t c)
{
    std::uint8_t bits = 0;
    if (unicode::isLetter(c))
        bits |= Letter;
    else if (unicode::isNumber(c))
        bits |= Number;
    else if (unicode::isWhitespace(c))
        bits |= Space;
    if (c == '\r' || c == '\n')
        bits |= Newline;
    return bits;
}

char32_t lower(char32_t c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

} // namespace

/// The decoded characters of one piece: code point, class bits and byte position.
struct RegexSplitter::Chars
{
    std::vector<char32_t> cp;
    std::vector<std::uint8_t> cls;
    std::vector<std::size_t> byte; // byte offset of each character, plus the end

    std::size_t size() const { return cp.size(); }
    bool is(std::size_t i, std::uint8_t bits) const { return i < cp.size() && (cls[i] & bits); }
    bool isOther(std::size_t i) const { return i < cp.size() && !(cls[i] & (Letter | Number | Space)); }
    std::size_t run(std::size_t i, std::uint8_t bits) const
    {
        while (is(i, bits))
            ++i;
        return i;
    }
    std::size_t otherRun(std::size_t i) const
    {
        while (isOther(i))
            ++i;
        return i;
    }
    /// Length of the contraction ('s 't 're 've 'm 'll 'd) at i, 0 when none.
    std::size_t contraction(std::size_t i, bool ignoreCase) const
    {
        if (cp[i] != '\'' || i + 1 >= size())
            return 0;
        auto at = [&](std::size_t k) { return k < size() ? (ignoreCase ? lower(cp[k]) : cp[k]) : char32_t(0); };
        const char32_t a = at(i + 1);
        if (a == 's' || a == 't' || a == 'm' || a == 'd')
            return 2;
        const char32_t b = at(i + 2);
        if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l'))
            return 3;
        return 0;
    }
    /// \s+(?!\S) then \s+: a whitespace run, leaving its last space to a following non-space.
    std::size_t whitespace(std::size_t i) const
    {
        const std::size_t j = run(i, Space);
        if (j == size() || j - i < 2)
            return j;
        return j - 1;
    }
};

std::optional<RegexSplitter::Pattern> RegexSplitter::recognise(const QString &regex)
{
    for (Pattern p : {Pattern::Gpt2, Pattern::Llama3, Pattern::Qwen2}) {
        if (regex == regexText(p))
            return p;
    }
    return std::nullopt;
}

QString RegexSplitter::regexText(Pattern pattern)
{
    switch (pattern) {
    case Pattern::Gpt2:
        return QString::fromLatin1(kGpt2Regex);
    case Pattern::Llama3:
        return QString::fromLatin1(kLlama3Regex);
    case Pattern::Qwen2:
        break;
    }
    return QString::fromLatin1(kQwen2Regex);
}

void RegexSplitter::split(std::string_view text, std::size_t base,
                          std::vector<std::pair<std::size_t, std::size_t>> &pieces) const
{
    thread_local Chars chars;
    chars.cp.clear();
    chars.cls.clear();
    chars.byte.clear();
    std::size_t pos = 0;
    while (pos < text.size()) {
        chars.byte.push_back(pos);
        const char32_t c = unicode::decodeUtf8(text, pos);
        chars.cp.push_back(c);
        chars.cls.push_back(classify(c));
    }
    chars.byte.push_back(text.size());
    std::size_t i = 0;
    while (i < chars.size()) {
        std::size_t end = m_pattern == Pattern::Gpt2 ? matchGpt2(chars, i) : matchLlama(chars, i);
        if (end <= i)
            end = i + 1; // unreachable with these patterns; keeps the loop finite
        pieces.emplace_back(base + chars.byte[i], base + chars.byte[end]);
        i = end;
    }
}

std::size_t RegexSplitter::matchGpt2(const Chars &c, std::size_t i) const
{
    if (const std::size_t n = c.contraction(i, false))
        return i + n;
    const bool space = c.cp[i] == ' ';
    for (const std::uint8_t bits : {std::uint8_t(Letter), std::uint8_t(Number)}) {
        if (c.is(i, bits))
            return c.run(i, bits);
        if (space && c.is(i + 1, bits))
            return c.run(i + 1, bits);
    }
    if (c.isOther(i))
        return c.otherRun(i);
    if (space && c.isOther(i + 1))
        return c.otherRun(i + 1);
    return c.whitespace(i);
}

std::size_t RegexSplitter::matchLlama(const Chars &c, std::size_t i) const
{
    if (const std::size_t n = c.contraction(i, true))
        return i + n;
    if (c.is(i, Letter))
        return c.run(i, Letter);
    if (!c.is(i, Newline | Number) && c.is(i + 1, Letter))
        return c.run(i + 1, Letter);
    if (c.is(i, Number)) {
        const std::size_t maxDigits = m_pattern == Pattern::Llama3 ? kLlama3MaxDigits : kQwen2MaxDigits;
        std::size_t j = i;
        while (j - i < maxDigits && c.is(j, Number))
            ++j;
        return j;
    }
    const std::size_t from = (c.cp[i] == ' ' && c.isOther(i + 1)) ? i + 1 : i;
    if (c.isOther(from))
        return c.run(c.otherRun(from), Newline);
    const std::size_t j = c.run(i, Space);
    for (std::size_t k = j; k > i; --k) {
        if (c.is(k - 1, Newline))
            return k;
    }
    return c.whitespace(i);
}

} // namespace ts
