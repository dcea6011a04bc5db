#pragma once

#include "corpus/ImportSplit.h"
#include "util/Result.h"

#include <QHash>
#include <QMap>

#include <array>
#include <random>
#include <vector>

class QSqlDatabase;
class QSqlQuery;

namespace ts {

/// Stratified train/validation/test assignment while an import streams: each document draws its
/// split with the fractions' probabilities as it is stored, and settle() then moves just enough
/// randomly chosen documents of each label between splits that every split holds its fraction of
/// the label exactly (round(n * fraction)). The result is a uniformly random split of each label
/// with exact sizes, as shuffling and cutting would give, but only the few documents moved are
/// rewritten (about the square root of the count, instead of a fifth of all rows). Repeatable:
/// the same documents in the same order, fractions and seed give the same splits.
///
/// Memory: 8 bytes per document (its id, kept by label and split).
class SplitAssigner
{
public:
    enum Split { Train, Validation, Test, SplitCount };

    SplitAssigner(const SplitFractions &fractions, quint64 seed);

    /// The split the next document goes to, drawn at random with the fractions.
    Split draw();
    /// Name of `split` as the documents table stores it.
    static const char *name(Split split);
    /// Notes that document `id` with `label` was stored in `split`.
    void add(const QString &label, Split split, qint64 id);

    /// Moves documents so that each label's splits have exactly their fractions; returns how
    /// many documents each split holds (every split named, 0 included).
    Result<QMap<QString, qint64>> settle(const QSqlDatabase &db);

private:
    using Ids = std::array<std::vector<qint64>, SplitCount>;
    std::array<qint64, SplitCount> targets(qint64 documents) const;
    Status balance(Ids &ids, const std::array<qint64, SplitCount> &wanted, QSqlQuery &update);

    SplitFractions m_fractions;
    std::mt19937_64 m_engine;
    std::discrete_distribution<int> m_draw;
    QHash<QString, Ids> m_byLabel;
};

} // namespace ts
