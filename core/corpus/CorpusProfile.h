#pragma once

#include <QList>
#include <QMap>
#include <QString>

namespace ts {

/// Document lengths in words, binned: counts[i] documents have a length in
/// [upperBounds[i-1], upperBounds[i]) (from 0 for i = 0); the last bin is open-ended.
struct LengthHistogram
{
    QList<qint64> upperBounds; ///< exclusive upper bound of each bin but the last, in words
    QList<qint64> counts;      ///< one more entry than upperBounds
};

/// One corpus's shape, for the corpus view and the domain-shift report: plain values.
struct CorpusProfile
{
    QString name;
    qint64 documents = 0;          ///< all splits
    qint64 unlabeled = 0;
    QMap<QString, qint64> splits;  ///< documents per split
    QMap<QString, qint64> labels;  ///< labelled documents per label
    qint64 tokens = 0;             ///< words in all documents (WordTokenizer)
    qint64 vocabulary = 0;         ///< distinct words
    double meanLength = 0.0;       ///< words per document
    LengthHistogram lengths;
};

} // namespace ts
