#pragma once

#include <QString>

namespace ts {

/// SQLite's failures on a project file, told in words a person can act on: a full disk, a file
/// the user may not change, another program holding the write lock.
class ProjectError
{
public:
    enum class Kind { Other, DiskFull, ReadOnly, Locked };

    /// What went wrong, from SQLite's error text (alone or inside a longer message).
    static Kind classify(const QString &message);

    /// `message` rewritten to name the project `path` and say what to do, for a DiskFull,
    /// ReadOnly or Locked failure (SQLite's own text kept in parentheses); unchanged otherwise.
    static QString explain(const QString &message, const QString &path);

    /// `message` from explain() with its closing "Nothing was changed" replaced by `kept`, for work
    /// that had committed earlier steps (a run and its metrics) before the write that failed;
    /// unchanged when it does not end so.
    static QString withKept(const QString &message, const QString &kept);

    /// The message for a project that the user may not change (no write permission on the file,
    /// or on its folder, where SQLite keeps its journal); `reason` says which.
    static QString readOnly(const QString &path, const QString &reason);
};

} // namespace ts
