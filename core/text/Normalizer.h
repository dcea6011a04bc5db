#pragma once

#include "text/NormalizedText.h"
#include "util/Result.h"

#include <QJsonValue>
#include <QString>

#include <vector>

namespace ts {

/// The `normalizer` section of a tokenizer.json: BertNormalizer, NFC/NFD/NFKC/NFKD, Lowercase,
/// StripAccents, Strip, Replace (string patterns), Prepend, or a Sequence of those. Each step keeps
/// every output byte aligned with the original characters it came from. Immutable, thread-safe.
class Normalizer
{
public:
    /// No normalisation (tokenizer.json `null`).
    Normalizer() = default;

    /// BERT's normaliser: control characters dropped and whitespace made a space, spaces around
    /// CJK ideographs, optional accent stripping (NFD, then Mn removed) and lower-casing.
    static Normalizer bert(bool lowercase, bool stripAccents);

    /// Parses a tokenizer.json `normalizer` value; `field` names it in error messages.
    static Result<Normalizer> fromJson(const QJsonValue &json, const QString &field);

    /// The tokenizer.json form (`null` when there is no step).
    QJsonValue toJson() const;

    /// Normalises `text` in place.
    void normalize(NormalizedText &text) const;

    /// True when normalize() changes nothing.
    bool isIdentity() const { return m_steps.empty(); }

private:
    enum class Kind { Bert, Nfc, Nfd, Nfkc, Nfkd, Lowercase, StripAccents, Strip, Replace, Prepend };
    struct Step
    {
        Kind kind = Kind::Nfc;
        bool cleanText = true;       // Bert: drop control characters, whitespace to ' '
        bool chineseChars = true;    // Bert: spaces around CJK ideographs
        bool stripAccents = false;   // Bert: NFD then drop Mn
        bool lowercase = false;      // Bert: lower-case
        bool stripLeft = false;      // Strip
        bool stripRight = false;     // Strip
        bool bertStripAccentsNull = false; // Bert: tokenizer.json had null (follows lowercase)
        std::string pattern;         // Replace: the UTF-8 string replaced
        std::string content;         // Replace: its replacement; Prepend: the prefix
    };

    static Result<Step> parseStep(const QJsonObject &object, const QString &field);
    static QJsonValue stepToJson(const Step &step);
    static NormalizedText applyBert(const Step &step, const NormalizedText &text);
    static NormalizedText applyUnicodeForm(Kind kind, const NormalizedText &text);
    static NormalizedText applyCharMap(Kind kind, const NormalizedText &text);
    static NormalizedText applyStrip(const Step &step, const NormalizedText &text);
    static NormalizedText applyReplace(const Step &step, const NormalizedText &text);
    static NormalizedText applyPrepend(const Step &step, const NormalizedText &text);

    std::vector<Step> m_steps;
};

} // namespace ts
