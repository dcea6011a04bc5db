#include "jobs/BenchmarkPlan.h"

#include "corpus/CorpusStore.h"

namespace ts {

QString BenchmarkPlan::groupName() const
{
    return QStringLiteral("benchmark: %1 on %2 pair(s) × %3 seed(s) with %4")
        .arg(strategies.join(QStringLiteral(", ")))
        .arg(pairs.size())
        .arg(seeds)
        .arg(model);
}

QList<RunRequest> BenchmarkPlan::requests() const
{
    QList<RunRequest> all;
    for (const BenchmarkPair &pair : pairs) {
        for (const QString &strategy : strategies) {
            for (int seed = 0; seed < seeds; ++seed) {
                RunRequest r;
                r.sourceCorpus = pair.source;
                r.targetCorpus = pair.target;
                r.model = model;
                r.config = config;
                r.config.strategy = strategy;
                r.config.options = strategyOptions.value(strategy);
                r.config.initSeed = config.initSeed + seed;
                r.config.dataSeed = config.dataSeed + seed;
                r.name = QStringLiteral("%1 %2 -> %3 seed %4").arg(strategy, pair.source, pair.target).arg(seed + 1);
                all.append(r);
            }
        }
    }
    return all;
}

Result<QList<BenchmarkPair>> BenchmarkPlan::parsePairs(const QString &text)
{
    using R = Result<QList<BenchmarkPair>>;
    QList<BenchmarkPair> pairs;
    for (const QString &item : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList parts = item.trimmed().split(QLatin1Char(':'));
        if (parts.size() != 2 || parts.at(0).trimmed().isEmpty() || parts.at(1).trimmed().isEmpty())
            return R::failure(QStringLiteral("--pairs: \"%1\" is not SOURCE:TARGET (e.g. books:electronics)").arg(item));
        const BenchmarkPair pair{parts.at(0).trimmed(), parts.at(1).trimmed()};
        if (pair.source == pair.target)
            return R::failure(QStringLiteral("--pairs: \"%1\" has the same corpus on both sides").arg(item));
        if (pairs.contains(pair))
            return R::failure(QStringLiteral("--pairs: \"%1\" is given twice").arg(item));
        pairs.append(pair);
    }
    if (pairs.isEmpty())
        return R::failure(QStringLiteral("--pairs: give SOURCE:TARGET pairs separated by commas, or all"));
    return pairs;
}

Result<QList<BenchmarkPair>> BenchmarkPlan::allPairs(const QSqlDatabase &db)
{
    using R = Result<QList<BenchmarkPair>>;
    const auto summaries = CorpusStore::summaries(db);
    if (!summaries)
        return R::failure(summaries.error());
    QStringList evaluable;
    for (const CorpusSummary &c : summaries.value()) {
        if (!c.labels.isEmpty() && (c.splits.value(QStringLiteral("test")) > 0 || c.splits.value(QStringLiteral("validation")) > 0))
            evaluable.append(c.name);
    }
    QList<BenchmarkPair> pairs;
    for (const QString &source : std::as_const(evaluable)) {
        for (const QString &target : std::as_const(evaluable)) {
            if (source != target)
                pairs.append({source, target});
        }
    }
    if (pairs.isEmpty())
        return R::failure(QStringLiteral("--pairs all: the project needs at least two corpora with labelled test or "
                                         "validation documents (found %1); import them first").arg(evaluable.size()));
    return pairs;
}

} // namespace ts
