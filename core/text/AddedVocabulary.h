#pragma once

#include "text/Normalizer.h"
#include "util/Result.h"

#include <QJsonArray>
#include <QString>

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ts {

/// One entry of tokenizer.json `added_tokens`.
struct AddedToken
{
    int id = 0;
    QString content;
    bool singleWord = false; // only matched when not inside a word
    bool lstrip = false;     // the match swallows whitespace on its left
    bool rstrip = false;     // ... and on its right
    bool normalized = false; // matched in normalised text (else in the original, before normalising)
    bool special = true;     // skipped by decode(skipSpecial)
};

/// The added (mostly special) tokens and their matching: leftmost-longest, in the original text
/// for tokens with normalized=false, in the normalised text for the others, as HF does.
/// Immutable, thread-safe.
class AddedVocabulary
{
public:
    /// A match: the byte range it takes from the text searched (with the whitespace lstrip and
    /// rstrip swallow), the range of the token itself (its offsets), and the token's index.
    struct Match
    {
        std::size_t begin = 0;
        std::size_t end = 0;
        std::size_t contentBegin = 0;
        std::size_t contentEnd = 0;
        int token = 0;
    };

    /// Most added tokens accepted from a file (Qwen2 has a few hundred).
    static constexpr int kMaxTokens = 100000;

    AddedVocabulary() = default;

    /// Parses tokenizer.json `added_tokens`; `normalizer` normalises the contents of tokens with
    /// normalized=true for matching.
    static Result<AddedVocabulary> fromJson(const QJsonArray &tokens, const QString &field, const Normalizer &normalizer);
    /// `tokens` as given (all special, not normalised).
    static AddedVocabulary fromTokens(const std::vector<AddedToken> &tokens);
    /// The tokenizer.json form.
    QJsonArray toJson() const;

    /// Appends the matches of tokens with `normalized` == `normalizedPass` in UTF-8 `text`.
    void find(std::string_view text, bool normalizedPass, std::vector<Match> &matches) const;

    const std::vector<AddedToken> &tokens() const { return m_tokens; }
    /// The token with `id`, or nullptr.
    const AddedToken *byId(int id) const;
    /// The id of the added token spelled `content`, or -1.
    int idOf(const QString &content) const;
    bool hasNormalizedTokens() const { return m_hasNormalized; }

private:
    void index(const Normalizer &normalizer);

    std::vector<AddedToken> m_tokens;
    std::vector<std::string> m_patterns;                // UTF-8 matched text per token
    std::array<std::vector<int>, 256> m_byFirstByte{}; // token indices, longest pattern first
    std::unordered_map<int, int> m_byId;                // id -> index in m_tokens
    bool m_hasNormalized = false;
};

} // namespace ts
