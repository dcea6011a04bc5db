#pragma once

#include <QString>

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace ts {

/// The pre-tokenisation regular expressions of GPT-2, Llama 3 and Qwen2, matched by hand with
/// Unicode categories from QChar rather than a regex engine. Each match is a piece; the matches
/// cover the whole text. Stateless and thread-safe.
class RegexSplitter
{
public:
    enum class Pattern {
        Gpt2,   // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
        Llama3, // (?i:'s|...)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
        Qwen2,  // as Llama3 with \p{N} (one digit per piece)
    };

    /// The pattern a tokenizer.json regex spells, or nothing when it is none of the three.
    static std::optional<Pattern> recognise(const QString &regex);
    /// The regex text of `pattern`, as tokenizer.json writes it.
    static QString regexText(Pattern pattern);

    explicit RegexSplitter(Pattern pattern) : m_pattern(pattern) {}

    Pattern pattern() const { return m_pattern; }

    /// Appends the byte ranges [begin, end) of the matches in UTF-8 `text` to `pieces`,
    /// each shifted by `base`.
    void split(std::string_view text, std::size_t base, std::vector<std::pair<std::size_t, std::size_t>> &pieces) const;

private:
    struct Chars;
    std::size_t matchGpt2(const Chars &chars, std::size_t i) const;
    std::size_t matchLlama(const Chars &chars, std::size_t i) const;

    Pattern m_pattern;
};

} // namespace ts
