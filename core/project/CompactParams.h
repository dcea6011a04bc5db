#pragma once

#include <QtGlobal>

#include <functional>

namespace ts {

/// Callbacks of ProjectCompactor::compact(), called on the compacting thread.
struct CompactParams
{
    /// Bytes of the compacted copy written so far and the size it is expected to reach (the file
    /// less its free pages); called a few times a second.
    std::function<void(qint64 written, qint64 expected)> progress;
    /// Polled while copying; true stops the compaction and leaves the project as it was.
    std::function<bool()> cancelled;
};

/// What a compaction did, in bytes on disk.
struct CompactReport
{
    qint64 before = 0; // the file and its WAL journal before
    qint64 after = 0;  // the compacted file
};

} // namespace ts
