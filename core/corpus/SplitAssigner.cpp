#include "corpus/SplitAssigner.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

#include <algorithm>
#include <cmath>

namespace ts {

SplitAssigner::SplitAssigner(const SplitFractions &fractions, quint64 seed)
    : m_fractions(fractions), m_engine(seed), m_draw({fractions.train, fractions.validation, fractions.test})
{
}

SplitAssigner::Split SplitAssigner::draw()
{
    return Split(m_draw(m_engine));
}

const char *SplitAssigner::name(Split split)
{
    static const char *const kNames[] = {"train", "validation", "test"};
    return kNames[split];
}

void SplitAssigner::add(const QString &label, Split split, qint64 id)
{
    m_byLabel[label][split].push_back(id);
}

// Documents of a label of `documents` per split: validation and test rounded, train the rest.
std::array<qint64, SplitAssigner::SplitCount> SplitAssigner::targets(qint64 documents) const
{
    const auto n = double(documents);
    const qint64 validation = std::llround(n * m_fractions.validation);
    const qint64 test = std::min(documents - validation, qint64(std::llround(n * m_fractions.test)));
    return {documents - validation - test, validation, test};
}

// Takes random documents off the splits holding more than wanted and gives them, shuffled, to
// those holding fewer.
Status SplitAssigner::balance(Ids &ids, const std::array<qint64, SplitCount> &wanted, QSqlQuery &update)
{
    std::vector<qint64> moving;
    for (int s = 0; s < SplitCount; ++s) {
        auto &list = ids[size_t(s)];
        const qint64 excess = qint64(list.size()) - wanted[size_t(s)];
        if (excess <= 0)
            continue;
        std::shuffle(list.begin(), list.end(), m_engine);
        moving.insert(moving.end(), list.end() - excess, list.end());
        list.resize(list.size() - size_t(excess));
    }
    std::shuffle(moving.begin(), moving.end(), m_engine);
    auto next = moving.cbegin();
    for (int s = 0; s < SplitCount; ++s) {
        auto &list = ids[size_t(s)];
        for (qint64 missing = wanted[size_t(s)] - qint64(list.size()); missing > 0; --missing, ++next) {
            update.bindValue(0, QLatin1String(name(Split(s))));
            update.bindValue(1, *next);
            if (!update.exec())
                return Status::failure(QStringLiteral("cannot assign splits: %1").arg(update.lastError().text()));
            list.push_back(*next);
        }
    }
    return {};
}

Result<QMap<QString, qint64>> SplitAssigner::settle(const QSqlDatabase &db)
{
    using R = Result<QMap<QString, qint64>>;
    QSqlQuery update(db);
    if (!update.prepare(QStringLiteral("UPDATE documents SET split = ? WHERE id = ?")))
        return R::failure(QStringLiteral("cannot assign splits: %1").arg(update.lastError().text()));
    QMap<QString, qint64> counts{{QLatin1String(name(Train)), 0}, {QLatin1String(name(Validation)), 0},
                                 {QLatin1String(name(Test)), 0}};
    // Labels in sorted order, so that the moves do not depend on QHash's iteration order.
    QStringList labels = m_byLabel.keys();
    labels.sort();
    for (const QString &label : std::as_const(labels)) {
        Ids &ids = m_byLabel[label];
        qint64 documents = 0;
        for (const auto &list : ids)
            documents += qint64(list.size());
        const auto wanted = targets(documents);
        if (const Status balanced = balance(ids, wanted, update); !balanced)
            return R::failure(balanced.error());
        for (int s = 0; s < SplitCount; ++s)
            counts[QLatin1String(name(Split(s)))] += wanted[size_t(s)];
    }
    return counts;
}

} // namespace ts
