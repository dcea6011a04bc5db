#pragma once

#include "project/Project.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

namespace ts::test {

/// Rows written straight into a project, for tests of what deleting and compacting remove: corpora,
/// models, groups and runs with metrics, an evaluation with predictions and a chunked artifact.
class ProjectFixture
{
public:
    explicit ProjectFixture(Project &project) : m_db(project.database()) {}

    qint64 corpus(const QString &name, int documents = 3)
    {
        const qint64 id = insert(QStringLiteral("INSERT INTO corpora(name, created_at) VALUES ('%1', 'now')").arg(name));
        for (int i = 0; i < documents; ++i)
            insert(QStringLiteral("INSERT INTO documents(corpus_id, split, label, text) VALUES (%1, 'train', 'pos', "
                                  "'text %2 of %3')")
                       .arg(id)
                       .arg(i)
                       .arg(name));
        return id;
    }

    qint64 model(const QString &name)
    {
        return insert(QStringLiteral("INSERT INTO models(name, kind, architecture, created_at) VALUES ('%1', 'builtin', "
                                     "'bert', 'now')")
                          .arg(name));
    }

    qint64 group(const QString &name)
    {
        return insert(QStringLiteral("INSERT INTO run_groups(name, created_at) VALUES ('%1', 'now')").arg(name));
    }

    /// A run of `source` -> `target` on `model` with `status`, two metric values, one evaluation with a
    /// prediction and a checkpoint of `checkpointBytes` bytes in one chunk.
    qint64 run(qint64 source, qint64 target, qint64 model, const QString &status = QStringLiteral("finished"),
               qint64 group = 0, int checkpointBytes = 64)
    {
        const qint64 id = insert(
            QStringLiteral("INSERT INTO runs(strategy, source_corpus_id, target_corpus_id, model_id, init_seed, data_seed, "
                           "status, created_at, group_id) VALUES ('source-only', %1, %2, %3, 1, 1, '%4', 'now', %5)")
                .arg(source)
                .arg(target)
                .arg(model)
                .arg(status)
                .arg(group == 0 ? QStringLiteral("NULL") : QString::number(group)));
        for (int step = 1; step <= 2; ++step)
            insert(QStringLiteral("INSERT INTO metrics(run_id, step, epoch, split, metric, value, time) VALUES "
                                  "(%1, %2, 0, 'train', 'loss', 0.5, 0)")
                       .arg(id)
                       .arg(step));
        const qint64 evaluation = insert(
            QStringLiteral("INSERT INTO run_evaluations(run_id, split, step, examples, available, classes_json) VALUES "
                           "(%1, 'target/test', 2, 1, 1, '[]')")
                .arg(id));
        insert(QStringLiteral("INSERT INTO predictions(evaluation_id, ordinal, label, predicted, probabilities) VALUES "
                              "(%1, 0, 0, 0, x'00')")
                   .arg(evaluation));
        const qint64 artifact = insert(
            QStringLiteral("INSERT INTO artifacts(run_id, kind, name, step, bytes, created_at) VALUES (%1, 'checkpoint', "
                           "'checkpoint', 2, %2, 'now')")
                .arg(id)
                .arg(checkpointBytes));
        QSqlQuery chunk(m_db);
        chunk.prepare(QStringLiteral("INSERT INTO artifact_chunks(artifact_id, seq, data) VALUES (?, 0, zeroblob(?))"));
        chunk.addBindValue(artifact);
        chunk.addBindValue(checkpointBytes);
        chunk.exec();
        return id;
    }

    /// count(*) of `table` (with an optional WHERE clause).
    qint64 count(const QString &table, const QString &where = QString()) const
    {
        QSqlQuery q(m_db);
        q.exec(QStringLiteral("SELECT count(*) FROM %1%2").arg(table, where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where));
        return q.next() ? q.value(0).toLongLong() : -1;
    }

    /// PRAGMA integrity_check's verdict: "ok" when the file is sound.
    QString integrity() const
    {
        QSqlQuery q(m_db);
        q.exec(QStringLiteral("PRAGMA integrity_check"));
        return q.next() ? q.value(0).toString() : QStringLiteral("no answer");
    }

private:
    qint64 insert(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql))
            qFatal("fixture: %s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        return q.lastInsertId().toLongLong();
    }

    QSqlDatabase m_db;
};

} // namespace ts::test
