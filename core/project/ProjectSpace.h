#pragma once

#include <QString>

namespace ts {

/// Where a project file's bytes go, by kind (SpaceMeter::measure()). All sizes in bytes.
struct ProjectSpace
{
    qint64 fileBytes = 0;   // the file and its WAL journal on disk
    qint64 freeBytes = 0;   // free pages inside the file: what compaction returns to the disk
    qint64 corpora = 0;     // documents, imports, labels
    qint64 models = 0;      // registered models' stored files
    qint64 runWeights = 0;  // finished runs' kept weights (RunWeights) and other stored run files
    qint64 checkpoints = 0; // runs' checkpoints (weights and optimiser state)
    qint64 metrics = 0;
    qint64 predictions = 0; // final evaluations' predictions
    qint64 other = 0;       // runs, groups, the schema
    bool exact = true;      // false: SQLite has no dbstat table here, sizes are sums of value lengths
};

} // namespace ts
