#pragma once

#include "cluster/JobState.h"

#include <QMap>
#include <QString>

namespace ts {

/// Reads the job states that `squeue -h -o '%i|%T'` and `sacct -n -P -X -o JobID,State` print:
/// one "ID|STATE" per line, ID a job ("42"), an array task ("42_3") or a pending array's
/// remaining tasks ("42_[4-7]", "42_[1,3,5-6]").
class SlurmStateParser
{
public:
    /// Task key -> state: "42" for a plain job, "42_3" for task 3 of array 42 (a range gives one
    /// key per task). Lines that are not "ID|STATE" are skipped.
    static QMap<QString, JobState> parse(const QString &output);
};

} // namespace ts
