#pragma once

#include "corpus/CorpusFormat.h"

#include <QList>
#include <QStringList>

namespace ts {

/// What FormatDetector found in a file: its layout and the first rows, for an import wizard's
/// preview and column pickers.
struct FormatGuess
{
    CorpusFormat format = CorpusFormat::Text;
    char delimiter = 0;           ///< CSV/TSV only
    bool hasHeader = false;       ///< CSV/TSV: the first row looks like column names
    QStringList columns;          ///< header names, or "0", "1", ... ; JSONL: the first object's keys
    QList<QStringList> rows;      ///< the first rows after the header, cells shortened for display
};

} // namespace ts
