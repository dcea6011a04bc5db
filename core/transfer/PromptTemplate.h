#pragma once

#include "util/Result.h"

#include <QString>
#include <QStringList>

namespace ts {

/// A prompt: text with the placeholder `{text}` (the input, required once) and optionally `{mask}`
/// (where the label word goes: a masked-LM encoder predicts it at a mask token; a decoder scores
/// it as the continuation, so for decoders `{mask}` may only end the template). Without `{mask}`
/// the label word follows the filled template after a space. Other `{name}` placeholders are
/// refused; braces around spaces or punctuation are literal text. The two characters `\n` are a
/// line break (so that one can be typed in `--set prompt=...`). Torch-free value type.
class PromptTemplate
{
public:
    static constexpr const char *kText = "{text}";
    static constexpr const char *kMask = "{mask}";

    /// The template "{text}": the text alone, followed by the label word.
    PromptTemplate();

    /// Checks `text` and keeps it; an empty (or blank) `text` gives "{text}". The error names the
    /// option (`option`), the placeholder that is wrong and what to write instead.
    static Result<PromptTemplate> parse(const QString &text, const QString &option = QStringLiteral("prompt"));

    /// Whether the template can score label words on a decoder (true) or a masked-LM encoder:
    /// decoders need `{mask}`, when present, at the end (nothing but spaces after it).
    Status checkFor(bool decoder, const QString &option = QStringLiteral("prompt")) const;

    /// The input the model completes: the template filled with `text`. `maskToken` empty
    /// (decoders): the part before `{mask}`, trailing spaces removed, since the label word is
    /// scored with its leading space; otherwise `{mask}` becomes `maskToken` (appended after a
    /// space when the template has no `{mask}`).
    QString query(const QString &text, const QString &maskToken = QString()) const;

    /// A solved example: the template filled with `text` and with `word` in place of `{mask}`
    /// (after a space at the end when the template has none), as demonstrations are shown.
    QString demonstration(const QString &text, const QString &word) const;

    /// Demonstrations, then the query, separated by kSeparator: the text the model sees.
    static QString withDemonstrations(const QStringList &demonstrations, const QString &query);

    /// The template as written.
    const QString &text() const { return m_text; }
    bool hasMask() const;

    static constexpr const char *kSeparator = "\n\n"; // between demonstrations and before the query

private:
    explicit PromptTemplate(QString text) : m_text(std::move(text)) {}

    QString m_text;
};

} // namespace ts
