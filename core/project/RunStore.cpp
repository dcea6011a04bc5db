#include "project/RunStore.h"

#include "project/RunVocabulary.h"

#include "project/WriteTransaction.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace ts {

namespace {

const QString kRunColumns = QStringLiteral(
    "id, name, strategy, source_corpus_id, target_corpus_id, model_id, group_id, config_json, init_seed, "
    "data_seed, device, status, created_at, started_at, finished_at, error_text");

/// NULL for 0: the foreign keys of `runs` use NULL for "none".
QVariant idOrNull(qint64 id)
{
    return id > 0 ? QVariant(id) : QVariant(QMetaType(QMetaType::LongLong));
}

/// Qt binds a null QString as SQL NULL; the text columns of `runs` are NOT NULL.
QVariant text(const QString &value)
{
    return value.isNull() ? QVariant(QStringLiteral("")) : QVariant(value);
}

RunRecord readRun(const QSqlQuery &q)
{
    RunRecord run;
    run.id = q.value(0).toLongLong();
    run.name = q.value(1).toString();
    run.strategy = q.value(2).toString();
    run.sourceCorpusId = q.value(3).toLongLong();
    run.targetCorpusId = q.value(4).toLongLong();
    run.modelId = q.value(5).toLongLong();
    run.groupId = q.value(6).toLongLong();
    run.configJson = q.value(7).toString();
    run.initSeed = q.value(8).toLongLong();
    run.dataSeed = q.value(9).toLongLong();
    run.device = q.value(10).toString();
    RunRecord::parseStatus(q.value(11).toString(), &run.status);
    run.createdAt = q.value(12).toString();
    run.startedAt = q.value(13).toString();
    run.finishedAt = q.value(14).toString();
    run.errorText = q.value(15).toString();
    return run;
}

Status execOne(QSqlQuery &query, qint64 id)
{
    if (!query.exec())
        return Status::failure(QStringLiteral("run %1: %2").arg(id).arg(query.lastError().text()));
    if (query.numRowsAffected() != 1)
        return Status::failure(QStringLiteral("run %1 does not exist").arg(id));
    return {};
}

} // namespace

RunStore::RunStore(QSqlDatabase db) : m_db(std::move(db)) {}

QString RunStore::now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

Result<qint64> RunStore::create(const RunRecord &run)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO runs(name, strategy, source_corpus_id, target_corpus_id, model_id, group_id, "
                             "config_json, init_seed, data_seed, device, status, created_at, error_text) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant &v : {text(run.name), text(run.strategy), idOrNull(run.sourceCorpusId),
                              idOrNull(run.targetCorpusId), idOrNull(run.modelId), idOrNull(run.groupId),
                              text(run.configJson), QVariant(run.initSeed), QVariant(run.dataSeed), text(run.device),
                              QVariant(RunRecord::statusName(run.status)), QVariant(now()), text(run.errorText)})
        q.addBindValue(v);
    if (!q.exec())
        return Result<qint64>::failure(QStringLiteral("cannot record the run: %1").arg(q.lastError().text()));
    return q.lastInsertId().toLongLong();
}

Result<RunRecord> RunStore::load(qint64 id) const
{
    const auto runs = select(QStringLiteral("id = ?"), id);
    if (!runs)
        return Result<RunRecord>::failure(runs.error());
    if (runs->isEmpty())
        return Result<RunRecord>::failure(QStringLiteral("run %1 does not exist").arg(id));
    return runs->first();
}

Result<QList<RunRecord>> RunStore::list() const
{
    return select(QStringLiteral("id > ?"), 0);
}

Result<QList<RunRecord>> RunStore::listAfter(qint64 afterId) const
{
    return select(QStringLiteral("id > ?"), afterId);
}

Result<QList<RunRecord>> RunStore::select(const QString &where, qint64 bound) const
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM runs WHERE %2 ORDER BY id").arg(kRunColumns, where));
    q.addBindValue(bound);
    if (!q.exec())
        return Result<QList<RunRecord>>::failure(QStringLiteral("cannot read runs: %1").arg(q.lastError().text()));
    QList<RunRecord> runs;
    while (q.next())
        runs.append(readRun(q));
    return runs;
}

Status RunStore::markStarted(qint64 id, const QString &device)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE runs SET status = 'running', device = ?, started_at = coalesce(started_at, ?), "
                             "finished_at = NULL, error_text = '' WHERE id = ?"));
    q.addBindValue(text(device));
    q.addBindValue(now());
    q.addBindValue(id);
    return execOne(q, id);
}

Status RunStore::markEnded(qint64 id, RunRecord::Status status, const QString &errorText)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE runs SET status = ?, finished_at = ?, error_text = ? WHERE id = ?"));
    q.addBindValue(RunRecord::statusName(status));
    q.addBindValue(now());
    q.addBindValue(text(errorText));
    q.addBindValue(id);
    return execOne(q, id);
}

Status RunStore::setConfig(qint64 id, const QString &configJson)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE runs SET config_json = ? WHERE id = ?"));
    q.addBindValue(text(configJson));
    q.addBindValue(id);
    return execOne(q, id);
}

Result<qint64> RunStore::createGroup(const QString &name, const QString &kind, const QString &createdAt)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO run_groups(name, kind, created_at) VALUES (?, ?, ?)"));
    q.addBindValue(text(name));
    q.addBindValue(text(kind));
    q.addBindValue(createdAt.isEmpty() ? now() : createdAt);
    if (!q.exec())
        return Result<qint64>::failure(QStringLiteral("cannot record the run group: %1").arg(q.lastError().text()));
    return q.lastInsertId().toLongLong();
}

Result<MetricPoints> RunStore::metrics(qint64 runId, qint64 afterRowId, qint64 *lastRowId) const
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT id, step, epoch, split, metric, value, time FROM metrics "
                             "WHERE run_id = ? AND id > ? ORDER BY id"));
    q.addBindValue(runId);
    q.addBindValue(afterRowId);
    if (!q.exec())
        return Result<MetricPoints>::failure(
            QStringLiteral("cannot read the metrics of run %1: %2").arg(runId).arg(q.lastError().text()));
    MetricPoints points;
    while (q.next()) {
        points.append({runId, q.value(1).toLongLong(), q.value(2).toDouble(), q.value(3).toString(),
                       q.value(4).toString(), q.value(5).toDouble(), q.value(6).toDouble()});
        if (lastRowId)
            *lastRowId = q.value(0).toLongLong();
    }
    return points;
}

Result<QMap<QString, QMap<QString, double>>> RunStore::finalMetrics(qint64 runId) const
{
    using Table = QMap<QString, QMap<QString, double>>;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    // Rows in insertion order: the last one of each (split, metric) wins.
    q.prepare(QStringLiteral("SELECT split, metric, value FROM metrics WHERE run_id = ? ORDER BY id"));
    q.addBindValue(runId);
    if (!q.exec())
        return Result<Table>::failure(QStringLiteral("cannot read the metrics of run %1: %2").arg(runId).arg(q.lastError().text()));
    Table table;
    while (q.next())
        table[q.value(0).toString()][q.value(1).toString()] = q.value(2).toDouble();
    return table;
}

Status RunStore::appendMetrics(const MetricPoints &points)
{
    if (points.isEmpty())
        return {};
    return WriteTransaction::run(m_db, QStringLiteral("writing metrics"), [&points](QSqlDatabase &db) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO metrics(run_id, step, epoch, split, metric, value, time) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?)"));
        for (const MetricPoint &p : points) {
            for (const QVariant &v : {QVariant(p.runId), QVariant(p.step), QVariant(p.epoch), QVariant(p.split),
                                      QVariant(p.metric), QVariant(p.value), QVariant(p.time)})
                q.addBindValue(v);
            if (!q.exec())
                return Status::failure(QStringLiteral("run %1: %2").arg(p.runId).arg(q.lastError().text()));
        }
        return Status();
    });
}

Status RunStore::deleteMetricsAfter(qint64 runId, qint64 step)
{
    return WriteTransaction::run(m_db, QStringLiteral("deleting metrics of run %1").arg(runId), [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        // The final evaluation measures the test splits at the last checkpoint's step: a run killed
        // after it but before it ended evaluates again on resume.
        q.prepare(QStringLiteral("DELETE FROM metrics WHERE run_id = ? AND (step > ? OR (step = ? AND split IN (?, ?)))"));
        q.addBindValue(runId);
        q.addBindValue(step);
        q.addBindValue(step);
        q.addBindValue(QString(Splits::kSourceTest));
        q.addBindValue(QString(Splits::kTargetTest));
        if (!q.exec())
            return Status::failure(QStringLiteral("run %1: %2").arg(runId).arg(q.lastError().text()));
        return Status();
    });
}

} // namespace ts
