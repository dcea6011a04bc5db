#pragma once

#include "util/Result.h"

class QSqlDatabase;

namespace ts {

/// Brings a project file's schema up to date, one version step at a time
/// (qBittorrent's `updateDB(fromVersion)`), all steps inside one transaction that is rolled back
/// when any step fails: a failed migration leaves the file exactly as it was.
class SchemaMigrator
{
public:
    /// The schema version this build writes and reads.
    static constexpr int kCurrentVersion = 7;

    /// Runs the steps fromVersion+1 .. kCurrentVersion on `db` (an open read-write connection).
    /// fromVersion 0 means an empty file: the whole schema is created.
    static Status migrate(QSqlDatabase &db, int fromVersion);

    /// Reads the version stored in the `meta` table; 0 when the table does not exist.
    static Result<int> storedVersion(QSqlDatabase &db);

private:
    static Status applyStep(QSqlDatabase &db, int toVersion);
};

} // namespace ts
