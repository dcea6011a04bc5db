#include "corpus/DomainShiftAnalyzer.h"

#include "corpus/CorpusProfiler.h"
#include "corpus/ProxyADistance.h"

#include <cmath>

namespace ts {

namespace {

// Below this many documents per domain the proxy A-distance is too noisy to rank domains.
constexpr qint64 kMinClassifierDocuments = 100;

double total(const QHash<QString, qint64> &counts)
{
    double sum = 0;
    for (const qint64 count : counts)
        sum += double(count);
    return sum;
}

// p * log2(p / m) with 0 log 0 = 0.
double klTerm(double p, double m)
{
    return p > 0 ? p * std::log2(p / m) : 0.0;
}

} // namespace

Result<DomainShiftReport> DomainShiftAnalyzer::analyze(const QSqlDatabase &db, const QString &source,
                                                       const QString &target, const DomainShiftParams &params)
{
    using R = Result<DomainShiftReport>;
    const Result<CorpusProfiler::Scan> sourceScan = CorpusProfiler::scan(db, source, params);
    if (!sourceScan)
        return R::failure(sourceScan.error());
    const Result<CorpusProfiler::Scan> targetScan = CorpusProfiler::scan(db, target, params);
    if (!targetScan)
        return R::failure(targetScan.error());
    DomainShiftReport report;
    report.source = sourceScan->profile;
    report.target = targetScan->profile;
    if (report.source.documents == 0 || report.target.documents == 0)
        return R::failure(QStringLiteral("corpus '%1' is empty; import documents first")
                              .arg(report.source.documents == 0 ? source : target));
    if (params.tokenizer) {
        report.tokenizer = params.tokenizerName;
        report.sourceFragmentation = sourceScan->fragmentation;
        report.targetFragmentation = targetScan->fragmentation;
    }
    compareVocabularies(sourceScan->wordCounts, targetScan->wordCounts, report);
    report.jensenShannon = jensenShannon(sourceScan->wordCounts, targetScan->wordCounts);
    if (params.progress)
        params.progress(QStringLiteral("training the domain classifier"), 0.5);
    const ProxyADistance::Estimate pad = ProxyADistance::estimate(sourceScan->sample, targetScan->sample, params);
    report.classifierDocuments = pad.documentsPerDomain;
    report.folds = params.folds;
    report.domainClassifierError = pad.error;
    report.proxyADistance = pad.distance;
    if (pad.documentsPerDomain < kMinClassifierDocuments) {
        report.warnings.append(QStringLiteral("the domain classifier saw only %1 documents per domain; its proxy "
                                              "A-distance is noisy")
                                   .arg(pad.documentsPerDomain));
    }
    addLabelWarnings(report);
    if (params.progress)
        params.progress(QStringLiteral("done"), 1.0);
    return report;
}

void DomainShiftAnalyzer::compareVocabularies(const QHash<QString, qint64> &source,
                                              const QHash<QString, qint64> &target, DomainShiftReport &report)
{
    qint64 shared = 0;
    qint64 oovOccurrences = 0;
    for (auto it = target.cbegin(); it != target.cend(); ++it) {
        if (source.contains(it.key()))
            ++shared;
        else
            oovOccurrences += it.value();
    }
    const qint64 either = source.size() + target.size() - shared;
    report.sharedVocabulary = shared;
    report.vocabularyJaccard = either ? double(shared) / double(either) : 0.0;
    report.targetVocabularyCovered = target.isEmpty() ? 0.0 : double(shared) / double(target.size());
    report.targetOovRate = report.target.tokens ? double(oovOccurrences) / double(report.target.tokens) : 0.0;
}

double DomainShiftAnalyzer::jensenShannon(const QHash<QString, qint64> &p, const QHash<QString, qint64> &q)
{
    const double pTotal = total(p);
    const double qTotal = total(q);
    if (pTotal == 0 || qTotal == 0)
        return pTotal == qTotal ? 0.0 : 1.0;
    double divergence = 0.0;
    for (auto it = p.cbegin(); it != p.cend(); ++it) {
        const double pw = double(it.value()) / pTotal;
        const double qw = double(q.value(it.key())) / qTotal;
        const double m = 0.5 * (pw + qw);
        divergence += 0.5 * klTerm(pw, m) + 0.5 * klTerm(qw, m);
    }
    // Words only in q: p(w) = 0, m = q(w) / 2, so the term is 0.5 q(w) log2 2 = 0.5 q(w).
    for (auto it = q.cbegin(); it != q.cend(); ++it) {
        if (!p.contains(it.key()))
            divergence += 0.5 * double(it.value()) / qTotal;
    }
    return std::clamp(divergence, 0.0, 1.0);
}

// Labels are shared by name across corpora: a target label the source lacks cannot be learnt.
void DomainShiftAnalyzer::addLabelWarnings(DomainShiftReport &report)
{
    for (auto it = report.target.labels.cbegin(); it != report.target.labels.cend(); ++it) {
        if (!report.source.labels.contains(it.key())) {
            report.warnings.append(QStringLiteral("target label '%1' (%2 documents in '%3') is unknown to the source "
                                                  "corpus '%4'")
                                       .arg(it.key())
                                       .arg(it.value())
                                       .arg(report.target.name, report.source.name));
        }
    }
}

} // namespace ts
