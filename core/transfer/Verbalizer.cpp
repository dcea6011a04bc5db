#include "transfer/Verbalizer.h"

#include <QHash>

namespace ts {

namespace {

/// The "label=word" entries of `setting`: label -> word, in order; fails on an entry without "=".
Result<QList<std::pair<QString, QString>>> entries(const QString &setting, const QString &option)
{
    using R = Result<QList<std::pair<QString, QString>>>;
    QList<std::pair<QString, QString>> result;
    for (const QString &entry : setting.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (entry.trimmed().isEmpty())
            continue;
        const qsizetype eq = entry.indexOf(QLatin1Char('='));
        if (eq <= 0 || entry.left(eq).trimmed().isEmpty())
            return R::failure(QStringLiteral("option \"%1\": \"%2\" is not label=word; write e.g. "
                                             "\"positive=great,negative=terrible\"")
                                  .arg(option, entry.trimmed()));
        result.append({entry.left(eq).trimmed(), entry.mid(eq + 1).trimmed()});
    }
    return result;
}

} // namespace

Status Verbalizer::checkSyntax(const QString &setting, const QString &option)
{
    const auto parsed = entries(setting, option);
    return parsed ? Status() : Status::failure(parsed.error());
}

Result<Verbalizer> Verbalizer::parse(const QString &setting, const QStringList &classes, const QString &option)
{
    using R = Result<Verbalizer>;
    Verbalizer v;
    if (setting.trimmed().isEmpty()) {
        v.m_words = classes;
        return v;
    }
    const auto parsed = entries(setting, option);
    if (!parsed)
        return R::failure(parsed.error());
    const QString known = classes.join(QStringLiteral(", "));
    v.m_words = QStringList(classes.size());
    QList<bool> given(classes.size(), false);
    QHash<QString, QString> wordOwner;
    for (const auto &[label, word] : parsed.value()) {
        const qsizetype index = classes.indexOf(label);
        if (index < 0)
            return R::failure(QStringLiteral("option \"%1\": unknown label \"%2\"; the labels are %3")
                                  .arg(option, label, known));
        if (given[index])
            return R::failure(QStringLiteral("option \"%1\": label \"%2\" is given twice; give it one word")
                                  .arg(option, label));
        if (word.isEmpty())
            return R::failure(QStringLiteral("option \"%1\": label \"%2\" has an empty word; write %2=WORD")
                                  .arg(option, label));
        if (wordOwner.contains(word))
            return R::failure(QStringLiteral("option \"%1\": labels \"%2\" and \"%3\" have the same word \"%4\"; "
                                             "the model could not tell them apart")
                                  .arg(option, wordOwner.value(word), label, word));
        wordOwner.insert(word, label);
        given[index] = true;
        v.m_words[index] = word;
    }
    for (qsizetype i = 0; i < classes.size(); ++i) {
        if (!given[i])
            return R::failure(QStringLiteral("option \"%1\": label \"%2\" has no word; add %2=WORD (the labels are %3)")
                                  .arg(option, classes[i], known));
    }
    return v;
}

} // namespace ts
