#pragma once

#include "corpus/ImportSplit.h"
#include "util/Result.h"

#include <QMap>

class QSqlDatabase;

namespace ts {

/// Stratified train/validation/test assignment: within each label, documents are shuffled with
/// the seed and cut by the fractions, so every split keeps the label proportions. Repeatable:
/// the same documents, fractions and seed give the same splits.
class SplitAssigner
{
public:
    /// Assigns the labelled documents of corpus `corpusId` with id >= `firstId` (those of one
    /// import, stored as 'train'). Returns how many went to each split. Memory: 8 bytes per
    /// document (ids only).
    static Result<QMap<QString, qint64>> assign(const QSqlDatabase &db, qint64 corpusId, qint64 firstId,
                                                const SplitFractions &fractions, quint64 seed);
};

} // namespace ts
