#pragma once

#include <QString>

#include <optional>

namespace ts {

/// Where an import puts its documents (the `split` column of the documents table).
enum class ImportSplit {
    Auto,       ///< labelled: stratified train/validation/test by SplitFractions; unlabelled: Unlabeled
    Train,      ///< all into 'train'
    Validation, ///< all into 'validation'
    Test,       ///< all into 'test'
    Unlabeled,  ///< all into the unlabelled pool; labels, if any, are not read
};

/// The split's name as stored in the documents table ("train", ..., "unlabeled"); "auto" for Auto.
QString importSplitName(ImportSplit split);

/// Parses "train", "validation", "test" or "unlabeled"; nullopt for anything else.
std::optional<ImportSplit> parseImportSplit(const QString &name);

/// Fractions of a labelled import that go to each split when no split is named. They must be
/// non-negative and sum to 1 (within kTolerance).
struct SplitFractions
{
    /// How far the sum may be from 1 (rounding in "0.8,0.1,0.1" written by people).
    static constexpr double kTolerance = 1e-6;

    double train = 0.8;
    double validation = 0.1;
    double test = 0.1;

    /// Whether the fractions are usable.
    bool valid() const;
};

} // namespace ts
