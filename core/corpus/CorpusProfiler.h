#pragma once

#include "corpus/CorpusProfile.h"
#include "corpus/DomainShiftParams.h"
#include "corpus/SubwordFragmentation.h"
#include "util/Result.h"

#include <QHash>
#include <QStringList>

#include <vector>

class QSqlDatabase;

namespace ts {

/// Reads a corpus once, streaming its documents: its profile (sizes, label and length
/// histograms), its word counts and a uniform sample of documents as words.
class CorpusProfiler
{
public:
    /// Everything one pass over a corpus yields.
    struct Scan
    {
        CorpusProfile profile;
        QHash<QString, qint64> wordCounts;    ///< occurrences per word, all documents
        std::vector<QStringList> sample;      ///< up to maxClassifierDocuments documents, as words
        SubwordFragmentation fragmentation;   ///< of the sampled documents, when params.tokenizer is set
    };

    /// Upper bounds of the length histogram's bins, in words (powers of two).
    static const QList<qint64> &lengthBounds();

    /// The profile of the corpus called `name` (for a corpus view).
    static Result<CorpusProfile> profile(const QSqlDatabase &db, const QString &name);

    /// One pass over the corpus called `name`, sampling with `params.seed`.
    static Result<Scan> scan(const QSqlDatabase &db, const QString &name, const DomainShiftParams &params);

private:
    static void addLength(LengthHistogram &histogram, qint64 words);
};

} // namespace ts
