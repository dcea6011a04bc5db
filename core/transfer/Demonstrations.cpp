#include "transfer/Demonstrations.h"

#include "train/DomainDataLoader.h"

namespace ts {

Demonstrations Demonstrations::draw(const QList<LabelledText> &pool, int perClass, int numClasses, std::uint64_t seed)
{
    Demonstrations d;
    d.m_perClass = std::max(0, perClass);
    d.m_byClass = QList<QList<LabelledText>>(std::max(0, numClasses));
    if (d.m_perClass == 0)
        return d;
    for (const LabelledText &t : DomainDataLoader::samplePerClass(pool, d.m_perClass + 1, numClasses, seed))
        d.m_byClass[t.label].append(t);
    return d;
}

Demonstrations Demonstrations::forRun(const TrainingTexts &texts, int perClass, int numClasses, qint64 dataSeed)
{
    return draw(texts.target.isEmpty() ? texts.source : texts.target, perClass, numClasses,
                std::uint64_t(dataSeed) ^ DomainDataLoader::kDemonstrationStream);
}

QList<LabelledText> Demonstrations::forQuery(const QString &query) const
{
    QList<QList<LabelledText>> chosen;
    for (const QList<LabelledText> &examples : m_byClass) {
        QList<LabelledText> kept;
        for (const LabelledText &t : examples) {
            if (kept.size() < m_perClass && t.text != query)
                kept.append(t);
        }
        chosen.append(kept);
    }
    QList<LabelledText> ordered;
    for (int round = 0; round < m_perClass; ++round) {
        for (const QList<LabelledText> &examples : chosen) {
            if (round < examples.size())
                ordered.append(examples[round]);
        }
    }
    return ordered;
}

QStringList Demonstrations::render(const QString &query, const PromptTemplate &prompt, const QStringList &words) const
{
    QStringList result;
    for (const LabelledText &t : forQuery(query))
        result.append(prompt.demonstration(t.text, words.value(t.label)));
    return result;
}

} // namespace ts
