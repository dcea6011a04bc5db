#pragma once

#include "text/EncodeOptions.h"
#include "text/Encoding.h"
#include "text/SpecialTokenIds.h"
#include "text/TokenizerParts.h"
#include "util/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace ts {

/// A text tokenizer with Hugging Face `tokenizers` semantics: added tokens matched first, then
/// normaliser, pre-tokeniser, model (WordPiece or BPE), post-processor; decode() reverses it.
/// Loaded from a tokenizer.json or a BERT vocab.txt, or made by WordPieceTrainer / BpeTrainer.
///
/// A Tokenizer is a cheap-to-copy handle on immutable data: copies share it, and encode() and
/// decode() may be called from several threads at once.
class Tokenizer
{
public:
    /// Largest tokenizer.json read (Llama 3's is 9 MB).
    static constexpr qint64 kMaxFileBytes = 256 * 1024 * 1024;

    /// Loads `path`: a tokenizer.json, or a vocab.txt (BERT WordPiece; lower-casing unless a
    /// tokenizer_config.json beside it says "do_lower_case": false).
    static Result<Tokenizer> fromFile(const QString &path);
    /// Parses tokenizer.json bytes; `origin` names them in error messages.
    static Result<Tokenizer> fromJson(const QByteArray &json, const QString &origin = QStringLiteral("tokenizer.json"));
    /// Assembles a tokenizer; fails when a special token id is outside the vocabulary.
    static Result<Tokenizer> fromParts(TokenizerParts parts);

    /// The tokens of `text`. Offsets index `text` in UTF-16 code units.
    Encoding encode(const QString &text, const EncodeOptions &options = {}) const;
    /// The tokens of a text pair (BERT's [CLS] A [SEP] B [SEP]); offsets index the text each token
    /// came from, which sequenceIds tells.
    Encoding encodePair(const QString &first, const QString &second, const EncodeOptions &options = {}) const;
    /// encode() for each text, padded together when options.padding is Longest or MaxLength.
    QList<Encoding> encodeBatch(const QStringList &texts, const EncodeOptions &options = {}) const;
    /// The text of `ids`; ids outside the vocabulary are skipped, special tokens when `skipSpecial`.
    QString decode(const QList<int> &ids, bool skipSpecial = true) const;

    /// The tokenizer.json bytes (loadable by Hugging Face `tokenizers`).
    QByteArray toJson() const;

    /// One past the largest id, added tokens included.
    int vocabSize() const;
    /// The id of `token` (added tokens first, then the model's vocabulary), or -1.
    int tokenToId(const QString &token) const;
    /// The spelling of `id`, or an empty string.
    QString idToToken(int id) const;
    /// The special tokens found in the vocabulary.
    const SpecialTokenIds &specialIds() const;
    /// The id padding uses: the tokenizer.json `padding.pad_id`, else specialIds().pad, else 0.
    int padId() const;
    /// The pipeline stages.
    const TokenizerParts &parts() const;

private:
    struct Data;
    explicit Tokenizer(std::shared_ptr<const Data> data) : m_d(std::move(data)) {}

    Encoding encodeSequence(const QString &text, int sequenceId) const;
    void encodeSegment(NormalizedText segment, Encoding &out, int sequenceId) const;
    void tokenizeNormalized(NormalizedText &text, Encoding &out, int sequenceId) const;
    void appendToken(Encoding &out, int id, int start, int end, int sequenceId) const;
    Encoding finish(Encoding first, Encoding *second, const EncodeOptions &options) const;
    void pad(Encoding &encoding, int length, const EncodeOptions &options) const;

    std::shared_ptr<const Data> m_d;
};

} // namespace ts
