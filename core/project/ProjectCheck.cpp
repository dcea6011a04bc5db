#include "project/ProjectCheck.h"

#include "project/ArtifactBlob.h"

#include <QCryptographicHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace ts {

namespace {

// Problems integrity_check lists at most; one is enough to call the file damaged.
constexpr int kMaxIntegrityRows = 20;

/// How a message names an artifact: "model "bert" file model.safetensors", "run 3's checkpoint at step 40".
QString describe(const QSqlQuery &row)
{
    const QString kind = row.value(1).toString();
    const QString name = row.value(2).toString();
    if (!row.value(5).isNull())
        return QStringLiteral("model \"%1\" file %2").arg(row.value(5).toString(), name);
    if (kind == QLatin1String("checkpoint"))
        return QStringLiteral("run %1's checkpoint at step %2").arg(row.value(6).toLongLong()).arg(row.value(7).toLongLong());
    if (kind == QLatin1String("weights"))
        return QStringLiteral("run %1's kept weights %2 (step %3)")
            .arg(row.value(6).toLongLong())
            .arg(name)
            .arg(row.value(7).toLongLong());
    return QStringLiteral("artifact %1 (%2 %3)").arg(row.value(0).toLongLong()).arg(kind, name);
}

} // namespace

QString ProjectCheck::sha256(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

Result<ProjectCheckReport> ProjectCheck::run(const QSqlDatabase &db)
{
    using R = Result<ProjectCheckReport>;
    ProjectCheckReport report;
    QSqlQuery integrity(db);
    if (!integrity.exec(QStringLiteral("PRAGMA integrity_check(%1)").arg(kMaxIntegrityRows)))
        return R::failure(QStringLiteral("cannot run the integrity check: %1").arg(integrity.lastError().text()));
    while (integrity.next()) {
        if (const QString verdict = integrity.value(0).toString(); verdict != QLatin1String("ok"))
            report.damaged.append(QStringLiteral("the database: %1").arg(verdict));
    }
    QSqlQuery rows(db);
    rows.setForwardOnly(true);
    if (!rows.exec(QStringLiteral("SELECT a.id, a.kind, a.name, a.bytes, a.sha256, m.name, a.run_id, a.step, a.data "
                                  "FROM artifacts a LEFT JOIN models m ON m.id = a.model_id ORDER BY a.id")))
        return R::failure(QStringLiteral("cannot list the stored files: %1").arg(rows.lastError().text()));
    while (rows.next()) {
        ++report.artifacts;
        const QString what = describe(rows);
        const auto bytes = ArtifactBlob::read(db, rows.value(0).toLongLong(), rows.value(8));
        if (!bytes) {
            report.damaged.append(QStringLiteral("%1: %2").arg(what, bytes.error()));
            continue;
        }
        if (bytes->size() != rows.value(3).toLongLong()) {
            report.damaged.append(QStringLiteral("%1: holds %2 bytes, not the %3 stored with it")
                                      .arg(what).arg(bytes->size()).arg(rows.value(3).toLongLong()));
            continue;
        }
        const QString stored = rows.value(4).toString();
        if (stored.isEmpty())
            ++report.unhashed;
        else if (sha256(bytes.value()) != stored)
            report.damaged.append(QStringLiteral("%1: does not match its SHA-256 (its bytes have changed)").arg(what));
    }
    return report;
}

} // namespace ts
