#pragma once

#include "project/ArtifactBlob.h"
#include "project/PredictionStore.h"
#include "project/Project.h"
#include "project/ProjectCheck.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace ts::test {

/// Rows of a project to merge from (ProjectMerger): what one run needs and owns, written straight
/// into the project.
class MergeFixture
{
public:
    /// Bytes of the chunks the fixture's stored files are cut into, so that each has several.
    static constexpr qint64 kChunkBytes = 16;

    explicit MergeFixture(Project &project) : m_db(project.database()) {}

    /// Corpus `name` with four documents (train and test, labels neg and pos) whose texts carry `salt`.
    qint64 corpus(const QString &name, const QString &salt = QString())
    {
        const qint64 id = exec(QStringLiteral("INSERT INTO corpora(name, created_at) VALUES (?, 'then')"), {name});
        exec(QStringLiteral("INSERT OR IGNORE INTO labels(name, created_at) VALUES ('neg', 'then'), ('pos', 'then')"), {});
        for (const QString &split : {QStringLiteral("train"), QStringLiteral("test")}) {
            for (const QString &label : {QStringLiteral("neg"), QStringLiteral("pos")})
                exec(QStringLiteral("INSERT INTO documents(corpus_id, split, label, text, origin) VALUES (?, ?, ?, ?, 'f:1')"),
                     {id, split, label, QStringLiteral("%1 %2 %3 text%4").arg(name, split, label, salt)});
        }
        exec(QStringLiteral("INSERT INTO imports(corpus_id, path, format, split, records, documents, duplicates, rejected, "
                            "created_at) VALUES (?, 'f', 'tsv', 'train', 4, 4, 0, 0, 'then')"),
             {id});
        return id;
    }

    /// Built-in model `name` with one stored file of `bytes`.
    qint64 model(const QString &name, const QByteArray &bytes = QByteArray(40, 'w'))
    {
        const qint64 id = exec(QStringLiteral("INSERT INTO models(name, kind, architecture, config_json, created_at) VALUES "
                                              "(?, 'builtin', 'bert', '{\"model_type\":\"bert\"}', 'then')"),
                               {name});
        const qint64 file = exec(QStringLiteral("INSERT INTO artifacts(model_id, kind, name, bytes, sha256, created_at) VALUES "
                                                "(?, 'model-file', 'model.safetensors', ?, ?, 'then')"),
                                 {id, bytes.size(), ProjectCheck::sha256(bytes)});
        ArtifactBlob::write(m_db, file, bytes, kChunkBytes);
        return id;
    }

    qint64 group(const QString &name)
    {
        return exec(QStringLiteral("INSERT INTO run_groups(name, created_at) VALUES (?, 'then')"), {name});
    }

    /// A finished source-only run of `source` -> `target` on `model` with seed `seed`: three metric values,
    /// predictions on every target test text (the first one wrong) and a checkpoint of 40 bytes.
    qint64 run(qint64 source, qint64 target, qint64 model, int seed, qint64 group = 0)
    {
        const qint64 id = exec(
            QStringLiteral("INSERT INTO runs(name, strategy, source_corpus_id, target_corpus_id, model_id, config_json, "
                           "init_seed, data_seed, status, created_at, finished_at, group_id) VALUES (?, 'source-only', ?, ?, "
                           "?, '{\"epochs\":1}', ?, ?, 'finished', ?, ?, ?)"),
            {QStringLiteral("run with seed %1").arg(seed), source, target, model, seed, seed,
             QStringLiteral("2026-12-06T05:00:%1.000Z").arg(seed, 2, 10, QLatin1Char('0')),
             QStringLiteral("2026-12-06T05:10:%1.000Z").arg(seed, 2, 10, QLatin1Char('0')),
             group == 0 ? QVariant() : QVariant(group)});
        for (int step = 1; step <= 3; ++step)
            exec(QStringLiteral("INSERT INTO metrics(run_id, step, epoch, split, metric, value, time) VALUES (?, ?, 0, "
                                "'train', 'loss', ?, 0)"),
                 {id, step, 1.0 / step});
        PredictionSet set;
        set.split = QStringLiteral("target/test");
        set.step = 3;
        set.classes = {QStringLiteral("neg"), QStringLiteral("pos")};
        QSqlQuery docs(m_db);
        docs.prepare(QStringLiteral("SELECT id, label FROM documents WHERE corpus_id = ? AND split = 'test' ORDER BY id"));
        docs.addBindValue(target);
        docs.exec();
        while (docs.next()) {
            Prediction p;
            p.documentId = docs.value(0).toLongLong();
            p.label = docs.value(1).toString() == QLatin1String("pos") ? 1 : 0;
            p.predicted = set.predictions.isEmpty() ? 1 - p.label : p.label;
            p.probabilities = p.predicted == 1 ? QList<float>{0.2f, 0.8f} : QList<float>{0.7f, 0.3f};
            set.predictions.append(p);
        }
        set.available = set.examples();
        if (const Status saved = PredictionStore(m_db).save(id, set); !saved)
            qFatal("fixture: %s", qPrintable(saved.error()));
        const QByteArray checkpoint(40, char('a' + seed));
        const qint64 artifact = exec(QStringLiteral("INSERT INTO artifacts(run_id, kind, name, step, bytes, sha256, created_at) "
                                                    "VALUES (?, 'checkpoint', 'checkpoint', 3, ?, ?, 'then')"),
                                     {id, checkpoint.size(), ProjectCheck::sha256(checkpoint)});
        ArtifactBlob::write(m_db, artifact, checkpoint, kChunkBytes);
        return id;
    }

    /// Runs `sql` with `values` bound; the new row's id.
    qint64 exec(const QString &sql, const QVariantList &values)
    {
        QSqlQuery q(m_db);
        q.prepare(sql);
        for (const QVariant &value : values)
            q.addBindValue(value);
        if (!q.exec())
            qFatal("fixture: %s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        return q.lastInsertId().toLongLong();
    }

private:
    QSqlDatabase m_db;
};

} // namespace ts::test
