#include "train/DomainDataLoader.h"

#include "train/LengthBucketSampler.h"

#include <QSqlError>
#include <QSqlQuery>

#include <numeric>

namespace ts {

namespace {

// Different streams of the data seed for different draws, so that (say) the few-shot draw does
// not change when the validation carve does.
constexpr std::uint64_t kCarveStream = 0x5157;
constexpr std::uint64_t kCapStream = 0xCA9;

QList<int> shuffledIndices(qsizetype count, std::uint64_t seed)
{
    QList<int> order(count);
    std::iota(order.begin(), order.end(), 0);
    LengthBucketSampler::shuffle(order, seed);
    return order;
}

} // namespace

Result<QStringList> DomainDataLoader::classes(const QSqlDatabase &db, qint64 corpusId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT DISTINCT label FROM documents WHERE corpus_id = ? AND label IS NOT NULL "
                             "AND split != 'unlabeled' ORDER BY label"));
    q.addBindValue(corpusId);
    if (!q.exec())
        return Result<QStringList>::failure(QStringLiteral("cannot read labels: %1").arg(q.lastError().text()));
    QStringList labels;
    while (q.next())
        labels.append(q.value(0).toString());
    return labels;
}

Result<DomainData> DomainDataLoader::load(const QSqlDatabase &db, qint64 corpusId, const QStringList &classes,
                                          std::uint64_t dataSeed)
{
    DomainData data;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT name FROM corpora WHERE id = ?"));
    q.addBindValue(corpusId);
    if (!q.exec() || !q.next())
        return Result<DomainData>::failure(QStringLiteral("corpus %1 does not exist").arg(corpusId));
    data.corpusName = q.value(0).toString();

    q.prepare(QStringLiteral("SELECT split, label, text, id FROM documents WHERE corpus_id = ? ORDER BY id"));
    q.addBindValue(corpusId);
    q.setForwardOnly(true);
    if (!q.exec())
        return Result<DomainData>::failure(
            QStringLiteral("cannot read corpus %1: %2").arg(data.corpusName, q.lastError().text()));
    while (q.next()) {
        const QString split = q.value(0).toString();
        LabelledText item{q.value(2).toString(), -1, q.value(3).toLongLong()};
        if (!q.value(1).isNull() && split != QLatin1String("unlabeled")) {
            item.label = int(classes.indexOf(q.value(1).toString()));
            if (item.label < 0)
                ++data.unknownLabels;
        }
        if (split == QLatin1String("train"))
            data.train.append(item);
        else if (split == QLatin1String("validation"))
            data.validation.append(item);
        else if (split == QLatin1String("test"))
            data.test.append(item);
        else
            data.unlabeled.append(item);
    }
    if (data.validation.isEmpty() && data.train.size() >= 10) {
        // Stratified carve: the same share of each class goes to validation.
        QList<LabelledText> keep;
        QList<int> seenPerClass(classes.size() + 1, 0);
        QList<int> totalPerClass(classes.size() + 1, 0);
        for (const LabelledText &t : std::as_const(data.train))
            ++totalPerClass[t.label + 1];
        for (int index : shuffledIndices(data.train.size(), dataSeed ^ kCarveStream)) {
            const LabelledText &t = data.train[index];
            const int slot = t.label + 1;
            if (seenPerClass[slot]++ < int(totalPerClass[slot] * kCarvedValidationShare))
                data.validation.append(t);
            else
                keep.append(t);
        }
        data.train = keep;
        data.validationCarved = true;
    }
    return data;
}

QList<LabelledText> DomainDataLoader::samplePerClass(const QList<LabelledText> &texts, int perClass, int numClasses,
                                                     std::uint64_t seed)
{
    QList<LabelledText> picked;
    QList<int> taken(numClasses, 0);
    for (int index : shuffledIndices(texts.size(), seed)) {
        const LabelledText &t = texts[index];
        if (t.label < 0 || t.label >= numClasses)
            continue;
        if (perClass < 0 || taken[t.label] < perClass) {
            ++taken[t.label];
            picked.append(t);
        }
    }
    return picked;
}

QList<LabelledText> DomainDataLoader::cap(const QList<LabelledText> &texts, int limit, std::uint64_t seed)
{
    if (limit <= 0 || texts.size() <= limit)
        return texts;
    QList<LabelledText> subset;
    const QList<int> order = shuffledIndices(texts.size(), seed ^ kCapStream);
    for (int i = 0; i < limit; ++i)
        subset.append(texts[order[i]]);
    return subset;
}

} // namespace ts
