#include "corpus/ImportSplit.h"

#include <cmath>

namespace ts {

namespace {

struct SplitName
{
    ImportSplit split;
    const char *name;
};

constexpr SplitName kNames[] = {
    {ImportSplit::Auto, "auto"},
    {ImportSplit::Train, "train"},
    {ImportSplit::Validation, "validation"},
    {ImportSplit::Test, "test"},
    {ImportSplit::Unlabeled, "unlabeled"},
};

} // namespace

QString importSplitName(ImportSplit split)
{
    for (const SplitName &entry : kNames) {
        if (entry.split == split)
            return QLatin1String(entry.name);
    }
    return {};
}

std::optional<ImportSplit> parseImportSplit(const QString &name)
{
    for (const SplitName &entry : kNames) {
        if (entry.split != ImportSplit::Auto && name == QLatin1String(entry.name))
            return entry.split;
    }
    return std::nullopt;
}

bool SplitFractions::valid() const
{
    return train >= 0 && validation >= 0 && test >= 0
        && std::abs(train + validation + test - 1.0) <= kTolerance;
}

} // namespace ts
