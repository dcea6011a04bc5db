#include "project/ProjectEraser.h"

#include "project/Project.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace ts {

namespace {

/// The table that holds items of `kind`.
QString tableOf(ErasePlan::Kind kind)
{
    switch (kind) {
    case ErasePlan::Kind::Run:
        return QStringLiteral("runs");
    case ErasePlan::Kind::Group:
        return QStringLiteral("run_groups");
    case ErasePlan::Kind::Corpus:
        return QStringLiteral("corpora");
    case ErasePlan::Kind::Model:
        return QStringLiteral("models");
    }
    return QString();
}

bool byName(ErasePlan::Kind kind)
{
    return kind == ErasePlan::Kind::Corpus || kind == ErasePlan::Kind::Model;
}

/// The row id of the item `key` of `kind`: runs and groups by id, corpora and models by name.
Result<qint64> resolve(const QSqlDatabase &db, ErasePlan::Kind kind, const QString &key)
{
    const QString word = ErasePlan::kindName(kind);
    QSqlQuery q(db);
    if (byName(kind)) {
        q.prepare(QStringLiteral("SELECT id FROM %1 WHERE name = ?").arg(tableOf(kind)));
        q.addBindValue(key);
    } else {
        bool isNumber = false;
        const qint64 id = key.toLongLong(&isNumber);
        if (!isNumber || id <= 0)
            return Result<qint64>::failure(QStringLiteral("'%1' is not a %2 id (a positive number)").arg(key, word));
        q.prepare(QStringLiteral("SELECT id FROM %1 WHERE id = ?").arg(tableOf(kind)));
        q.addBindValue(id);
    }
    if (!q.exec())
        return Result<qint64>::failure(QStringLiteral("cannot read the %1s: %2").arg(word, q.lastError().text()));
    if (!q.next())
        return Result<qint64>::failure(QStringLiteral("the project has no %1 %2").arg(word, key));
    return q.value(0).toLongLong();
}

struct RunUse
{
    qint64 id = 0;
    QString status;
};

/// The runs that go with item `id` of `kind`, ascending.
Result<QList<RunUse>> runsOf(const QSqlDatabase &db, ErasePlan::Kind kind, qint64 id)
{
    QString where;
    switch (kind) {
    case ErasePlan::Kind::Run:
        where = QStringLiteral("id = :id");
        break;
    case ErasePlan::Kind::Group:
        where = QStringLiteral("group_id = :id");
        break;
    case ErasePlan::Kind::Corpus:
        where = QStringLiteral("source_corpus_id = :id OR target_corpus_id = :id");
        break;
    case ErasePlan::Kind::Model:
        where = QStringLiteral("model_id = :id");
        break;
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT id, status FROM runs WHERE %1 ORDER BY id").arg(where));
    q.bindValue(QStringLiteral(":id"), id);
    if (!q.exec())
        return Result<QList<RunUse>>::failure(QStringLiteral("cannot read the runs: %1").arg(q.lastError().text()));
    QList<RunUse> runs;
    while (q.next())
        runs.append({q.value(0).toLongLong(), q.value(1).toString()});
    return runs;
}

/// Refuses when a run in `runs` executes, or (deleting a corpus or model) is queued to.
Status checkInUse(const ErasePlan &plan, const QList<RunUse> &runs, const ProjectEraser::RunIsLive &isLive)
{
    const bool losesInput = byName(plan.kind);
    for (const RunUse &run : runs) {
        const bool running = run.status == QLatin1String("running") && (!isLive || isLive(run.id));
        if (running)
            return Status::failure(QStringLiteral("cannot delete %1: run %2 is running; stop it (or wait until it "
                                                  "ends) and delete again")
                                       .arg(plan.name)
                                       .arg(run.id));
        if (losesInput && run.status == QLatin1String("queued"))
            return Status::failure(QStringLiteral("cannot delete %1: run %2 is queued to use it; delete run %2 "
                                                  "first, or wait until it ends")
                                       .arg(plan.name)
                                       .arg(run.id));
    }
    return {};
}

/// The groups that lose every run when `runs` go (and the group itself when deleting one).
Result<QList<qint64>> groupsLeftEmpty(const QSqlDatabase &db, const ErasePlan &plan)
{
    QStringList ids;
    for (const qint64 run : plan.runs)
        ids.append(QString::number(run));
    const QString gone = ids.isEmpty() ? QStringLiteral("0") : ids.join(QLatin1Char(','));
    QSqlQuery q(db);
    const QString sql = QStringLiteral("SELECT g.id FROM run_groups g WHERE (g.id = %1 OR EXISTS (SELECT 1 FROM runs r "
                                       "WHERE r.group_id = g.id AND r.id IN (%2))) AND NOT EXISTS (SELECT 1 FROM runs "
                                       "r WHERE r.group_id = g.id AND r.id NOT IN (%2)) ORDER BY g.id")
                            .arg(plan.kind == ErasePlan::Kind::Group ? plan.id : 0)
                            .arg(gone);
    if (!q.exec(sql))
        return Result<QList<qint64>>::failure(QStringLiteral("cannot read the groups: %1").arg(q.lastError().text()));
    QList<qint64> groups;
    while (q.next())
        groups.append(q.value(0).toLongLong());
    return groups;
}

Status execDelete(QSqlDatabase &db, const QString &table, qint64 id)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("DELETE FROM %1 WHERE id = ?").arg(table));
    q.addBindValue(id);
    if (!q.exec())
        return Status::failure(QStringLiteral("cannot delete from %1: %2").arg(table, q.lastError().text()));
    return {};
}

} // namespace

Result<ErasePlan> ProjectEraser::plan(const QSqlDatabase &db, ErasePlan::Kind kind, const QString &key,
                                      const RunIsLive &isLive)
{
    const Result<qint64> id = resolve(db, kind, key);
    if (!id)
        return Result<ErasePlan>::failure(id.error());
    ErasePlan plan;
    plan.kind = kind;
    plan.id = id.value();
    plan.key = key;
    plan.name = QStringLiteral("%1 %2").arg(ErasePlan::kindName(kind), key);
    const auto runs = runsOf(db, kind, plan.id);
    if (!runs)
        return Result<ErasePlan>::failure(runs.error());
    if (const Status inUse = checkInUse(plan, runs.value(), isLive); !inUse)
        return Result<ErasePlan>::failure(inUse.error());
    for (const RunUse &run : runs.value())
        plan.runs.append(run.id);
    const auto groups = groupsLeftEmpty(db, plan);
    if (!groups)
        return Result<ErasePlan>::failure(groups.error());
    plan.groups = groups.value();
    return plan;
}

Status ProjectEraser::erase(Project &project, const ErasePlan &plan, const RunIsLive &isLive)
{
    return project.transaction([&](QSqlDatabase &db) -> Status {
        const Result<ErasePlan> now = ProjectEraser::plan(db, plan.kind, plan.key, isLive);
        if (!now)
            return Status::failure(now.error());
        if (now->id != plan.id || now->runs != plan.runs || now->groups != plan.groups)
            return Status::failure(QStringLiteral("%1 changed since it was planned (%2); look again and confirm anew")
                                       .arg(project.path(), now->describe()));
        // Foreign keys cascade: a run's metrics, evaluations, predictions, artifacts and their chunks.
        for (const qint64 run : plan.runs) {
            if (const Status s = execDelete(db, QStringLiteral("runs"), run); !s)
                return s;
        }
        for (const qint64 group : plan.groups) {
            if (const Status s = execDelete(db, QStringLiteral("run_groups"), group); !s)
                return s;
        }
        if (byName(plan.kind))
            return execDelete(db, tableOf(plan.kind), plan.id);
        return {};
    });
}

Status ProjectEraser::rename(Project &project, ErasePlan::Kind kind, const QString &key, const QString &newName)
{
    const QString name = newName.trimmed();
    const QString word = ErasePlan::kindName(kind);
    if (name.isEmpty())
        return Status::failure(QStringLiteral("the new name of %1 %2 is empty; give a name").arg(word, key));
    return project.transaction([&](QSqlDatabase &db) -> Status {
        const Result<qint64> id = resolve(db, kind, key);
        if (!id)
            return Status::failure(id.error());
        if (byName(kind)) {
            QSqlQuery taken(db);
            taken.prepare(QStringLiteral("SELECT 1 FROM %1 WHERE name = ? AND id <> ?").arg(tableOf(kind)));
            taken.addBindValue(name);
            taken.addBindValue(id.value());
            if (!taken.exec())
                return Status::failure(taken.lastError().text());
            if (taken.next())
                return Status::failure(QStringLiteral("cannot rename %1 %2: the project already has a %1 named %3; "
                                                      "choose another name")
                                           .arg(word, key, name));
        }
        QSqlQuery q(db);
        q.prepare(QStringLiteral("UPDATE %1 SET name = ? WHERE id = ?").arg(tableOf(kind)));
        q.addBindValue(name);
        q.addBindValue(id.value());
        if (!q.exec())
            return Status::failure(QStringLiteral("cannot rename %1 %2: %3").arg(word, key, q.lastError().text()));
        return {};
    });
}

} // namespace ts
