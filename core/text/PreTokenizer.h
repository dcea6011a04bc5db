#pragma once

#include "text/NormalizedText.h"
#include "text/RegexSplitter.h"
#include "util/Result.h"

#include <QJsonValue>

#include <utility>
#include <vector>

namespace ts {

/// The `pre_tokenizer` section of a tokenizer.json: BertPreTokenizer, WhitespaceSplit,
/// ByteLevel (with or without GPT-2's regex), Split with the GPT-2 / Llama 3 / Qwen2 regex
/// ("Isolated"), Metaspace, or a Sequence of those. Splits normalised text into the pieces the
/// model tokenises one by one. Immutable, thread-safe.
class PreTokenizer
{
public:
    using Piece = std::pair<std::size_t, std::size_t>; // byte range [first, second) of the text

    /// No pre-tokenisation (tokenizer.json `null`): each segment is one piece.
    PreTokenizer() = default;

    /// BERT's: whitespace removed, each punctuation character a piece of its own.
    static PreTokenizer bert();
    /// GPT-2's ByteLevel with its regex.
    static PreTokenizer byteLevel(bool addPrefixSpace);

    /// Parses a tokenizer.json `pre_tokenizer` value; `field` names it in error messages.
    static Result<PreTokenizer> fromJson(const QJsonValue &json, const QString &field);
    /// The tokenizer.json form.
    QJsonValue toJson() const;

    /// Splits the pieces of `text` (start with one piece covering it). ByteLevel and Metaspace
    /// rewrite `text` (bytes as GPT-2 characters, spaces as "▁") and the pieces with it.
    void split(NormalizedText &text, std::vector<Piece> &pieces) const;

private:
    enum class Kind { Bert, WhitespaceSplit, ByteLevel, Split, Metaspace };
    enum class Prepend { Always, First, Never };
    struct Step
    {
        Kind kind = Kind::Bert;
        bool addPrefixSpace = false;   // ByteLevel: a space before a piece not starting with one
        bool trimOffsets = true;       // ByteLevel: kept for the file, used by the post-processor
        bool useRegex = true;          // ByteLevel: split with GPT-2's regex first
        RegexSplitter::Pattern pattern = RegexSplitter::Pattern::Gpt2; // Split (and ByteLevel regex)
        std::string replacement;       // Metaspace: UTF-8 of the space stand-in ("▁")
        Prepend prepend = Prepend::Always; // Metaspace: when to put the stand-in before a piece
        bool metaspaceSplit = true;    // Metaspace: split before each stand-in
    };

    static Result<Step> parseStep(const QJsonObject &object, const QString &field);
    static QJsonObject stepToJson(const Step &step);
    static void splitBert(const NormalizedText &text, std::vector<Piece> &pieces);
    static void splitWhitespace(const NormalizedText &text, std::vector<Piece> &pieces);
    static void splitRegex(const Step &step, const NormalizedText &text, std::vector<Piece> &pieces);
    static void mapBytes(const Step &step, NormalizedText &text, std::vector<Piece> &pieces);
    static void metaspace(const Step &step, NormalizedText &text, std::vector<Piece> &pieces);

    std::vector<Step> m_steps;
};

} // namespace ts
