#pragma once

#include "util/Result.h"

#include <QJsonValue>
#include <QStringList>

#include <vector>

namespace ts {

/// The `decoder` section of a tokenizer.json: WordPiece, ByteLevel, Metaspace, Replace,
/// ByteFallback, Fuse, Strip, or a Sequence of those. Turns tokens back into text.
/// Immutable, thread-safe.
class Decoder
{
public:
    /// No decoder: tokens joined with spaces, as HF does.
    Decoder() = default;

    /// BERT's: "##" pieces glued to the previous token, spaces before punctuation removed.
    static Decoder wordPiece(const QString &prefix);
    /// GPT-2's: characters of the byte alphabet back to bytes, then UTF-8.
    static Decoder byteLevel();

    /// Parses a tokenizer.json `decoder` value; `field` names it in error messages.
    static Result<Decoder> fromJson(const QJsonValue &json, const QString &field);
    /// The tokenizer.json form.
    QJsonValue toJson() const;

    /// The text of `tokens`.
    QString decode(QStringList tokens) const;

private:
    enum class Kind { WordPiece, ByteLevel, Metaspace, Replace, ByteFallback, Fuse, Strip };
    struct Step
    {
        Kind kind = Kind::Fuse;
        QString text;          // WordPiece: prefix; Metaspace: replacement; Replace: pattern; Strip: content
        QString content;       // Replace: replacement
        bool cleanup = true;   // WordPiece: remove spaces before punctuation and contractions
        bool prependFirst = true; // Metaspace: the first token's stand-ins are dropped (prepend_scheme != never)
        QString prependScheme; // Metaspace: kept for the file
        bool split = true;     // Metaspace: kept for the file
        int start = 0;         // Strip: characters removed at the start of each token
        int stop = 0;          // Strip: ... at the end
    };

    static Result<Step> parseStep(const QJsonObject &object, const QString &field);
    static QJsonObject stepToJson(const Step &step);
    static void apply(const Step &step, QStringList &tokens);
    static void wordPieceStep(const Step &step, QStringList &tokens);
    static void byteLevelStep(QStringList &tokens);
    static void byteFallbackStep(QStringList &tokens);
    static void metaspaceStep(const Step &step, QStringList &tokens);
    static void stripStep(const Step &step, QStringList &tokens);

    std::vector<Step> m_steps;
};

} // namespace ts
