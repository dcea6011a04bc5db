#include "corpus/ImportFileName.h"

#include <QFileInfo>

namespace ts::ui {

namespace {

// Extensions of corpus files, dropped before the split word is looked for.
const QStringList kExtensions = {QStringLiteral("csv"), QStringLiteral("tsv"), QStringLiteral("tab"),
                                 QStringLiteral("txt"), QStringLiteral("jsonl"), QStringLiteral("ndjson"),
                                 QStringLiteral("json")};

std::optional<ImportSplit> splitWord(const QString &word)
{
    const QString w = word.toLower();
    if (w == QLatin1String("train") || w == QLatin1String("training"))
        return ImportSplit::Train;
    if (w == QLatin1String("dev") || w == QLatin1String("val") || w == QLatin1String("valid")
        || w == QLatin1String("validation"))
        return ImportSplit::Validation;
    if (w == QLatin1String("test"))
        return ImportSplit::Test;
    if (w == QLatin1String("unlabeled") || w == QLatin1String("unlabelled") || w == QLatin1String("unlabel")
        || w == QLatin1String("unsup"))
        return ImportSplit::Unlabeled;
    return std::nullopt;
}

} // namespace

ImportFileName::ImportFileName(const QString &path, const QStringList &corpora)
{
    QStringList words = QFileInfo(path).fileName().split(QLatin1Char('.'), Qt::SkipEmptyParts);
    if (words.size() > 1 && kExtensions.contains(words.last().toLower()))
        words.removeLast();
    if (words.size() > 1) {
        m_split = splitWord(words.last());
        if (m_split)
            words.removeLast();
    }
    for (qsizetype n = words.size(); n > 0 && !m_existing; --n) {
        const QString prefix = words.mid(0, n).join(QLatin1Char('.'));
        for (const QString &corpus : corpora) {
            if (corpus.compare(prefix, Qt::CaseInsensitive) == 0) {
                m_corpus = corpus;
                m_existing = true;
                break;
            }
        }
    }
    if (!m_existing)
        m_corpus = words.join(QLatin1Char('.'));
}

} // namespace ts::ui
