#pragma once

#include "train/DomainData.h"
#include "util/Result.h"

#include <QSqlDatabase>
#include <QStringList>

#include <cstdint>

namespace ts {

/// Reads a corpus's documents from the project for training and evaluation.
class DomainDataLoader
{
public:
    /// Share of `train` split off as validation when a corpus has no validation split.
    static constexpr double kCarvedValidationShare = 0.1;
    // Streams of a run's data seed (seed ^ stream) for its separate draws, so that they differ.
    static constexpr std::uint64_t kFewShotStream = 0xF5;       // the target's few labels
    static constexpr std::uint64_t kTrainCapStream = 0x7C;      // the source's capped training texts
    static constexpr std::uint64_t kDemonstrationStream = 0xD3; // in-context demonstrations

    /// The classes of a run: the distinct labels of the source corpus, sorted.
    static Result<QStringList> classes(const QSqlDatabase &db, qint64 corpusId);

    /// Every document of `corpusId`, labels mapped to indices of `classes`. When the corpus has
    /// no validation split, a stratified `kCarvedValidationShare` of train is used (drawn with
    /// `dataSeed`), and `validationCarved` says so.
    static Result<DomainData> load(const QSqlDatabase &db, qint64 corpusId, const QStringList &classes,
                                   std::uint64_t dataSeed);

    /// Up to `perClass` examples of each class from `texts`, drawn with `seed` (few-shot
    /// budgets); `perClass` < 0 takes all labelled ones.
    static QList<LabelledText> samplePerClass(const QList<LabelledText> &texts, int perClass, int numClasses,
                                              std::uint64_t seed);

    /// At most `limit` texts, a seeded random subset (limit <= 0: all, in order).
    static QList<LabelledText> cap(const QList<LabelledText> &texts, int limit, std::uint64_t seed);
};

} // namespace ts
