#pragma once

#include "train/DomainData.h"
#include "train/TrainingTexts.h"
#include "transfer/PromptTemplate.h"

#include <QStringList>

#include <cstdint>

namespace ts {

/// The solved examples of in-context few-shot: K labelled texts per class, drawn once per run
/// with the data seed, shown before every query in a fixed order (classes in turn: one of class
/// 0, one of class 1, ..., then the second of each), so that no class is always nearest the
/// query. A query never sees itself: a demonstration whose text equals the query is replaced by
/// a spare of the same class (one spare per class is drawn). Torch-free value type.
class Demonstrations
{
public:
    /// Draws `perClass` examples of each of `numClasses` classes (and one spare each) from `pool`
    /// with `seed`; classes with fewer labelled texts give what they have.
    static Demonstrations draw(const QList<LabelledText> &pool, int perClass, int numClasses, std::uint64_t seed);

    /// A run's demonstrations: `perClass` per class drawn with the run's `dataSeed` (its
    /// demonstration stream) from the target's few labels of `texts`, or from the source's
    /// training texts when the target has none.
    static Demonstrations forRun(const TrainingTexts &texts, int perClass, int numClasses, qint64 dataSeed);

    /// The examples shown before `query`, in order (never one whose text is `query`).
    QList<LabelledText> forQuery(const QString &query) const;

    /// The demonstrations for `query` as prompt text: `prompt` filled with each example's text
    /// and its label word (`words`, one per class).
    QStringList render(const QString &query, const PromptTemplate &prompt, const QStringList &words) const;

    int perClass() const { return m_perClass; }
    bool isEmpty() const { return m_perClass == 0; }

private:
    int m_perClass = 0;
    QList<QList<LabelledText>> m_byClass; // per class: up to perClass + 1 examples, in drawn order
};

} // namespace ts
