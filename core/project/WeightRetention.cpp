#include "project/WeightRetention.h"

#include "project/WriteTransaction.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace ts {

namespace {

// The meta table's key of the project's default.
const QString kMetaKey = QStringLiteral("keep_weights");

} // namespace

QStringList WeightRetention::choices()
{
    return {QLatin1String(kFinal), QLatin1String(kBestAndFinal), QLatin1String(kNone)};
}

bool WeightRetention::isChoice(const QString &keep)
{
    return choices().contains(keep);
}

QString WeightRetention::describe(const QString &keep)
{
    if (keep == QLatin1String(kBestAndFinal))
        return QStringLiteral("best and final weights");
    if (keep == QLatin1String(kNone))
        return QStringLiteral("no weights (metrics and predictions only)");
    return QStringLiteral("final weights");
}

Result<QString> WeightRetention::projectDefault(const QSqlDatabase &db)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT value FROM meta WHERE key = ?"));
    q.addBindValue(kMetaKey);
    if (!q.exec())
        return Result<QString>::failure(
            QStringLiteral("cannot read the project's weight retention setting: %1").arg(q.lastError().text()));
    if (!q.next())
        return QString::fromLatin1(kFinal);
    const QString keep = q.value(0).toString();
    if (!isChoice(keep))
        return Result<QString>::failure(QStringLiteral("the project's setting \"%1\" is \"%2\"; set it to one of %3")
                                            .arg(kMetaKey, keep, choices().join(QStringLiteral(", "))));
    return keep;
}

Status WeightRetention::setProjectDefault(QSqlDatabase db, const QString &keep)
{
    if (!isChoice(keep))
        return Status::failure(QStringLiteral("keep \"%1\" is not a choice; use %2").arg(keep, choices().join(QStringLiteral(", "))));
    return WriteTransaction::run(db, QStringLiteral("setting the project's weight retention"), [&](QSqlDatabase &tx) {
        QSqlQuery q(tx);
        q.prepare(QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)"));
        q.addBindValue(kMetaKey);
        q.addBindValue(keep);
        return q.exec() ? Status() : Status::failure(q.lastError().text());
    });
}

} // namespace ts
