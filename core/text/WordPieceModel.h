#pragma once

#include "text/ByteTrie.h"
#include "text/TokenModel.h"
#include "util/Result.h"

#include <memory>

namespace ts {

/// BERT's WordPiece: greedy longest match from the start of a word, continuation pieces spelled
/// with a prefix ("##"); a word that cannot be spelled, or longer than the limit, becomes the
/// unknown token. Matching walks a byte trie, so no substring is built (the "Fast WordPiece"
/// idea, without its failure links: words are short, the restart after a match is cheap).
class WordPieceModel : public TokenModel
{
public:
    /// HF's default max_input_chars_per_word.
    static constexpr int kDefaultMaxInputChars = 100;

    /// A model over `vocabulary`; fails when `unkToken` is not in it.
    static Result<std::unique_ptr<WordPieceModel>> create(Vocabulary vocabulary, const QString &unkToken,
                                                          const QString &prefix = QStringLiteral("##"),
                                                          int maxInputChars = kDefaultMaxInputChars);
    /// Parses a tokenizer.json `model` object of type WordPiece; `field` names it.
    static Result<std::unique_ptr<WordPieceModel>> fromJson(const QJsonObject &model, const QString &field);

    void tokenize(std::string_view piece, std::vector<ModelToken> &out) const override;
    QJsonObject toJson() const override;
    int unknownId() const override { return m_unkId; }

    /// The continuation prefix ("##").
    const QString &prefix() const { return m_prefix; }

private:
    WordPieceModel(Vocabulary vocabulary, QString unkToken, QString prefix, int maxInputChars);

    QString m_unkToken;
    QString m_prefix;
    int m_maxInputChars;
    int m_unkId = -1;
    ByteTrie m_trie;
    int m_continuationNode = ByteTrie::kNone; // the trie node reached by the prefix
};

} // namespace ts
