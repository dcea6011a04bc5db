#include "corpus/SplitAssigner.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace ts {

namespace {

Status moveTo(QSqlQuery &update, const QString &split, const std::vector<qint64> &ids, size_t from, size_t to)
{
    for (size_t i = from; i < to; ++i) {
        update.bindValue(0, split);
        update.bindValue(1, ids[i]);
        if (!update.exec())
            return Status::failure(QStringLiteral("cannot assign splits: %1").arg(update.lastError().text()));
    }
    return {};
}

} // namespace

Result<QMap<QString, qint64>> SplitAssigner::assign(const QSqlDatabase &db, qint64 corpusId, qint64 firstId,
                                                    const SplitFractions &fractions, quint64 seed)
{
    using R = Result<QMap<QString, qint64>>;
    QSqlQuery select(db);
    select.setForwardOnly(true);
    select.prepare(QStringLiteral("SELECT label, id FROM documents WHERE corpus_id = ? AND id >= ? "
                                  "AND label IS NOT NULL ORDER BY label, id"));
    select.addBindValue(corpusId);
    select.addBindValue(firstId);
    if (!select.exec())
        return R::failure(QStringLiteral("cannot assign splits: %1").arg(select.lastError().text()));
    QMap<QString, std::vector<qint64>> byLabel;
    while (select.next())
        byLabel[select.value(0).toString()].push_back(select.value(1).toLongLong());
    select.finish();

    std::mt19937_64 engine(seed);
    QSqlQuery update(db);
    update.prepare(QStringLiteral("UPDATE documents SET split = ? WHERE id = ?"));
    QMap<QString, qint64> counts;
    for (auto it = byLabel.begin(); it != byLabel.end(); ++it) {
        std::vector<qint64> &ids = it.value();
        std::shuffle(ids.begin(), ids.end(), engine);
        const auto n = double(ids.size());
        const auto validation = size_t(std::llround(n * fractions.validation));
        const auto test = std::min(ids.size() - validation, size_t(std::llround(n * fractions.test)));
        if (const Status s = moveTo(update, QStringLiteral("validation"), ids, 0, validation); !s)
            return R::failure(s.error());
        if (const Status s = moveTo(update, QStringLiteral("test"), ids, validation, validation + test); !s)
            return R::failure(s.error());
        counts[QStringLiteral("validation")] += qint64(validation);
        counts[QStringLiteral("test")] += qint64(test);
        counts[QStringLiteral("train")] += qint64(ids.size() - validation - test);
    }
    return counts;
}

} // namespace ts
