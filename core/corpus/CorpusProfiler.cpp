#include "corpus/CorpusProfiler.h"

#include "corpus/CorpusStore.h"
#include "corpus/FragmentationMeter.h"
#include "corpus/WordTokenizer.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <random>

namespace ts {

namespace {

// Documents read between two progress reports and abort checks.
constexpr qint64 kDocumentsPerReport = 4096;

} // namespace

const QList<qint64> &CorpusProfiler::lengthBounds()
{
    static const QList<qint64> bounds = {8, 16, 32, 64, 128, 256, 512, 1024, 2048};
    return bounds;
}

void CorpusProfiler::addLength(LengthHistogram &histogram, qint64 words)
{
    const auto bin = std::upper_bound(histogram.upperBounds.cbegin(), histogram.upperBounds.cend(), words)
        - histogram.upperBounds.cbegin();
    ++histogram.counts[bin];
}

Result<CorpusProfile> CorpusProfiler::profile(const QSqlDatabase &db, const QString &name)
{
    DomainShiftParams params = domainShiftDefaultParams();
    params.maxClassifierDocuments = 0;
    const Result<Scan> scanned = scan(db, name, params);
    if (!scanned)
        return Result<CorpusProfile>::failure(scanned.error());
    return scanned->profile;
}

Result<CorpusProfiler::Scan> CorpusProfiler::scan(const QSqlDatabase &db, const QString &name,
                                                  const DomainShiftParams &params)
{
    using R = Result<Scan>;
    const Result<std::optional<qint64>> id = CorpusStore::find(db, name);
    if (!id)
        return R::failure(id.error());
    if (!id.value())
        return R::failure(QStringLiteral("the project has no corpus '%1'").arg(name));
    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT split, label, text FROM documents WHERE corpus_id = ? ORDER BY id"));
    query.addBindValue(*id.value());
    if (!query.exec())
        return R::failure(QStringLiteral("cannot read corpus '%1': %2").arg(name, query.lastError().text()));

    Scan scan;
    CorpusProfile &profile = scan.profile;
    profile.name = name;
    profile.lengths.upperBounds = lengthBounds();
    profile.lengths.counts.fill(0, lengthBounds().size() + 1);
    std::mt19937_64 engine(params.seed);
    std::vector<QString> texts; // the sampled documents' texts, for fragmentation
    while (query.next()) {
        const QString split = query.value(0).toString();
        ++profile.documents;
        ++profile.splits[split];
        if (split == QLatin1String("unlabeled"))
            ++profile.unlabeled;
        else if (!query.value(1).isNull())
            ++profile.labels[query.value(1).toString()];
        const QString text = query.value(2).toString();
        QStringList words = WordTokenizer::words(text);
        profile.tokens += words.size();
        addLength(profile.lengths, words.size());
        for (const QString &word : std::as_const(words))
            ++scan.wordCounts[word];
        // Reservoir sampling (Vitter's algorithm R): a uniform sample in one pass.
        const auto capacity = size_t(params.maxClassifierDocuments);
        if (scan.sample.size() < capacity) {
            scan.sample.push_back(std::move(words));
            if (params.tokenizer)
                texts.push_back(text);
        } else if (capacity > 0) {
            const auto slot = std::uniform_int_distribution<qint64>(0, profile.documents - 1)(engine);
            if (slot < qint64(capacity)) {
                scan.sample[size_t(slot)] = std::move(words);
                if (params.tokenizer)
                    texts[size_t(slot)] = text;
            }
        }
        if (profile.documents % kDocumentsPerReport == 0) {
            if (params.progress)
                params.progress(QStringLiteral("reading %1").arg(name), 0.0);
            if (params.abort && params.abort())
                return R::failure(QStringLiteral("statistics of corpus '%1' cancelled").arg(name));
        }
    }
    if (params.tokenizer) {
        if (params.progress)
            params.progress(QStringLiteral("tokenizing %1 with %2").arg(name, params.tokenizerName), 0.0);
        for (const QString &text : texts)
            FragmentationMeter::add(*params.tokenizer, text, scan.fragmentation);
    }
    profile.vocabulary = scan.wordCounts.size();
    profile.meanLength = profile.documents ? double(profile.tokens) / double(profile.documents) : 0.0;
    return scan;
}

} // namespace ts
