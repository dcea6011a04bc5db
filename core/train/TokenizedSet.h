#pragma once

#include "train/DomainData.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace ts {

class Tokenizer;

/// Examples ready for batching: token ids (special tokens added, truncated to the maximum
/// length, unpadded), class index (-1: none) and domain (0: source, 1: target).
struct TokenizedSet
{
    QString name;                            // the split it is, e.g. "target/validation"
    std::vector<std::vector<long long>> ids; // one id list per example
    QList<int> labels;
    QList<int> domains;
    QList<qint64> documentIds;               // LabelledText::documentId per example
    QList<bool> truncated;                   // cut to the maximum length (only when built with markTruncated)
    QStringList texts;                       // the texts as given to build() (prompts refill them); empty for sets made by hand
    int available = 0;                       // texts the split had before a cap (>= size())

    int size() const { return int(ids.size()); }
    bool isEmpty() const { return ids.empty(); }
    /// Token counts, for length-bucketed batching.
    QList<int> lengths() const;
    /// Appends every example of `other`.
    void append(const TokenizedSet &other);

    /// Tokenizes `texts` with `tokenizer`, truncating to `maxLength` tokens. `markTruncated` also
    /// records which texts were cut (encoding those at the limit a second time, whole).
    static TokenizedSet build(const QString &name, const Tokenizer &tokenizer, const QList<LabelledText> &texts,
                              int maxLength, int domain, bool markTruncated = false);
};

} // namespace ts
