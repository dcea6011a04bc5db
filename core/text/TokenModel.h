#pragma once

#include "text/Vocabulary.h"

#include <QJsonObject>

#include <string_view>
#include <vector>

namespace ts {

/// One token a model found in a piece: its id and the byte range [begin, end) within the piece.
struct ModelToken
{
    int id = 0;
    std::size_t begin = 0;
    std::size_t end = 0;
};

/// The `model` of a tokenizer.json (WordPiece or BPE): turns one pre-tokenised piece into ids.
/// Implementations are thread-safe for concurrent tokenize() calls.
class TokenModel
{
public:
    virtual ~TokenModel() = default;

    /// Appends the tokens of the UTF-8 `piece` to `out`.
    virtual void tokenize(std::string_view piece, std::vector<ModelToken> &out) const = 0;
    /// The tokenizer.json `model` object.
    virtual QJsonObject toJson() const = 0;
    /// The id used for text the vocabulary cannot spell, or -1.
    virtual int unknownId() const = 0;

    /// The model's token table.
    const Vocabulary &vocabulary() const { return m_vocabulary; }

protected:
    explicit TokenModel(Vocabulary vocabulary) : m_vocabulary(std::move(vocabulary)) {}

    Vocabulary m_vocabulary;
};

} // namespace ts
