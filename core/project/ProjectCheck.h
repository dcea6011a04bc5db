#pragma once

#include "util/Result.h"

#include <QSqlDatabase>
#include <QStringList>

namespace ts {

/// What a full check of a project found: SQLite's integrity check, then every stored artifact
/// (base model files, checkpoints) read back and compared with the SHA-256 stored beside it.
struct ProjectCheckReport
{
    QStringList damaged;       ///< one sentence per problem, naming what is damaged
    qint64 artifacts = 0;      ///< artifacts read back
    qint64 unhashed = 0;       ///< artifacts stored without a SHA-256 (by older versions): read, not verified

    bool ok() const { return damaged.isEmpty(); }
};

/// Verifies a whole project (`info --check`). Reads every byte of every artifact, so it takes as
/// long as reading the file; changes nothing.
class ProjectCheck
{
public:
    /// Runs SQLite's integrity_check on `db` and checks every artifact's length and SHA-256. Fails
    /// only when the checks themselves cannot run; what they find is in the report.
    static Result<ProjectCheckReport> run(const QSqlDatabase &db);

    /// The SHA-256 of `bytes` as lowercase hex, as the artifacts table stores it.
    static QString sha256(const QByteArray &bytes);
};

} // namespace ts
