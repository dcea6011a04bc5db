#pragma once

#include "corpus/DomainShiftParams.h"
#include "corpus/DomainShiftReport.h"
#include "util/Result.h"

#include <QHash>

class QSqlDatabase;

namespace ts {

/// Computes the domain-shift report of a source and a target corpus: their profiles,
/// vocabulary overlap, Jensen-Shannon divergence of unigram distributions, target OOV rate, the
/// proxy A-distance and, given a model's tokenizer, each domain's sub-word fragmentation. Reads each corpus once; memory grows with the vocabularies and the
/// classifier sample, not with the corpora. Runs on the calling thread.
class DomainShiftAnalyzer
{
public:
    /// The report for corpora `source` and `target` of the project behind `db`.
    static Result<DomainShiftReport> analyze(const QSqlDatabase &db, const QString &source, const QString &target,
                                             const DomainShiftParams &params);

    /// Jensen-Shannon divergence (base 2, in [0, 1]) of the distributions given by two word counts.
    static double jensenShannon(const QHash<QString, qint64> &p, const QHash<QString, qint64> &q);

private:
    static void compareVocabularies(const QHash<QString, qint64> &source, const QHash<QString, qint64> &target,
                                    DomainShiftReport &report);
    static void addLabelWarnings(DomainShiftReport &report);
};

} // namespace ts
