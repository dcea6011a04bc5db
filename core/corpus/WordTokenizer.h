#pragma once

#include <QString>
#include <QStringList>

namespace ts {

/// Words for corpus statistics: lower-cased runs of letters, digits and apostrophes inside a
/// word ("don't"); everything else separates. Independent of any model's tokenizer, so that
/// domain statistics do not change when a model is chosen.
class WordTokenizer
{
public:
    /// The words of `text`, in order.
    static QStringList words(const QString &text);
};

} // namespace ts
