#pragma once

#include "util/Result.h"

#include <QString>
#include <QStringList>

namespace ts {

/// The label words of a prompt (a verbalizer): one word or short phrase per label, which the
/// language model's head scores in place of the label's name ("positive=great,negative=terrible").
/// A word of several tokens is scored by the mean (or, as an option, the sum) of its tokens'
/// log-probabilities (LabelWordScorer). Torch-free value type.
class Verbalizer
{
public:
    /// Reads "label=word,label=word" for `classes` (class index order). An empty `setting` uses
    /// each label's own name. Refused, naming the label: an entry without "=", an unknown label,
    /// a label given twice or with an empty word, a label left out, two labels with the same word.
    static Result<Verbalizer> parse(const QString &setting, const QStringList &classes,
                                    const QString &option = QStringLiteral("label_words"));

    /// Syntax only (no labels known yet, e.g. while `--set` is read): entries "label=word".
    static Status checkSyntax(const QString &setting, const QString &option = QStringLiteral("label_words"));

    /// One word per class, in class index order.
    const QStringList &words() const { return m_words; }

private:
    QStringList m_words;
};

} // namespace ts
