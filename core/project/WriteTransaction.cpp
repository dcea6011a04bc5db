#include "project/WriteTransaction.h"

#include "project/ProjectError.h"

#include <QSqlError>
#include <QSqlQuery>

namespace ts {

Status WriteTransaction::run(QSqlDatabase &db, const QString &context,
                             const std::function<Status(QSqlDatabase &)> &work)
{
    {
        QSqlQuery begin(db);
        if (!begin.exec(QStringLiteral("BEGIN IMMEDIATE")))
            return Status::failure(ProjectError::explain(
                QStringLiteral("%1: cannot start a transaction: %2").arg(context, begin.lastError().text()),
                db.databaseName()));
    }
    Status status = work(db);
    if (status && !db.commit())
        status = Status::failure(QStringLiteral("%1: cannot commit: %2").arg(context, db.lastError().text()));
    if (!status) {
        db.rollback();
        return Status::failure(ProjectError::explain(status.error(), db.databaseName()));
    }
    return status;
}

} // namespace ts
