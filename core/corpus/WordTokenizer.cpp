#include "corpus/WordTokenizer.h"

namespace ts {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c.isMark();
}

} // namespace

QStringList WordTokenizer::words(const QString &text)
{
    QStringList words;
    const qsizetype size = text.size();
    qsizetype i = 0;
    while (i < size) {
        while (i < size && !isWordChar(text.at(i)))
            ++i;
        const qsizetype start = i;
        // An apostrophe joins two word characters ("don't"), and nothing else.
        while (i < size && (isWordChar(text.at(i))
                            || (text.at(i) == QLatin1Char('\'') && i > start && i + 1 < size && isWordChar(text.at(i + 1)))))
            ++i;
        if (i > start)
            words.append(text.mid(start, i - start).toLower());
    }
    return words;
}

} // namespace ts
