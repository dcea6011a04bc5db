#pragma once

#include "util/Result.h"

#include <QSqlDatabase>

#include <functional>

namespace ts {

/// All-or-nothing writes: runs `work` between BEGIN IMMEDIATE and COMMIT on `db`, rolling back
/// when `work` fails or the commit does. IMMEDIATE takes the write lock up front (waiting up to
/// the connection's busy timeout), so a transaction never fails half-way because another
/// connection started writing first.
class WriteTransaction
{
public:
    /// `context` prefixes error messages (e.g. the project path). A full disk, a read-only file or
    /// another writer holding the lock is explained in words (ProjectError).
    static Status run(QSqlDatabase &db, const QString &context, const std::function<Status(QSqlDatabase &)> &work);
};

} // namespace ts
