#include "transfer/PromptTemplate.h"

#include <QRegularExpression>

namespace ts {

namespace {

/// `{name}` with a name of letters, digits and underscores: a placeholder (other braces are text).
const QRegularExpression &placeholderPattern()
{
    static const QRegularExpression pattern(QStringLiteral("\\{([A-Za-z0-9_]*)\\}"));
    return pattern;
}

/// `text` without the spaces and tabs at its end (newlines are kept: they are part of a layout).
QString withoutTrailingSpaces(QString text)
{
    qsizetype end = text.size();
    while (end > 0 && (text[end - 1] == QLatin1Char(' ') || text[end - 1] == QLatin1Char('\t')))
        --end;
    text.truncate(end);
    return text;
}

} // namespace

PromptTemplate::PromptTemplate() : m_text(QString::fromLatin1(kText)) {}

Result<PromptTemplate> PromptTemplate::parse(const QString &text, const QString &option)
{
    using R = Result<PromptTemplate>;
    if (text.trimmed().isEmpty())
        return PromptTemplate();
    int texts = 0;
    int masks = 0;
    for (auto it = placeholderPattern().globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        const QString whole = match.captured(0);
        if (whole == QLatin1String(kText))
            ++texts;
        else if (whole == QLatin1String(kMask))
            ++masks;
        else
            return R::failure(QStringLiteral("option \"%1\": unknown placeholder %2; use {text} for the input (once) "
                                             "and optionally {mask} for where the label word goes")
                                  .arg(option, whole));
    }
    if (texts == 0)
        return R::failure(QStringLiteral("option \"%1\": the template has no {text}; put {text} where the input goes, "
                                         "e.g. \"Review: {text} Sentiment: {mask}\"")
                              .arg(option));
    if (texts > 1 || masks > 1)
        return R::failure(QStringLiteral("option \"%1\": %2 appears %3 times; use it once")
                              .arg(option, QLatin1String(texts > 1 ? kText : kMask))
                              .arg(texts > 1 ? texts : masks));
    // "\n" typed on a command line (two characters) is a line break, as in the dialog's editor.
    return PromptTemplate(QString(text).replace(QLatin1String("\\n"), QLatin1String("\n")));
}

Status PromptTemplate::checkFor(bool decoder, const QString &option) const
{
    if (!decoder || !hasMask())
        return {};
    const QString after = m_text.mid(m_text.indexOf(QLatin1String(kMask)) + qsizetype(qstrlen(kMask)));
    if (!after.trimmed().isEmpty())
        return Status::failure(QStringLiteral("option \"%1\": a decoder scores the label word as the continuation, so "
                                              "{mask} must end the template; move \"%2\" before {mask} or drop it")
                                   .arg(option, after.trimmed()));
    return {};
}

bool PromptTemplate::hasMask() const
{
    return m_text.contains(QLatin1String(kMask));
}

QString PromptTemplate::query(const QString &text, const QString &maskToken) const
{
    const QString mask = QString::fromLatin1(kMask);
    QString filled = m_text;
    if (maskToken.isEmpty()) {
        if (hasMask())
            filled.truncate(filled.indexOf(mask));
        return withoutTrailingSpaces(filled.replace(QLatin1String(kText), text));
    }
    if (!hasMask())
        filled = withoutTrailingSpaces(filled) + QLatin1Char(' ') + mask;
    // {mask} first: the input may itself contain the characters "{mask}".
    return filled.replace(mask, maskToken).replace(QLatin1String(kText), text);
}

QString PromptTemplate::demonstration(const QString &text, const QString &word) const
{
    QString filled = m_text;
    if (!hasMask())
        filled = withoutTrailingSpaces(filled) + QLatin1Char(' ') + QLatin1String(kMask);
    return filled.replace(QLatin1String(kMask), word).replace(QLatin1String(kText), text);
}

QString PromptTemplate::withDemonstrations(const QStringList &demonstrations, const QString &query)
{
    QStringList parts = demonstrations;
    parts.append(query);
    return parts.join(QLatin1String(kSeparator));
}

} // namespace ts
