#include "project/PredictionStore.h"

#include "project/WriteTransaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QtEndian>

namespace ts {

namespace {

/// Probabilities as little-endian float32, one per class.
QByteArray packProbabilities(const QList<float> &probabilities)
{
    QByteArray bytes(probabilities.size() * qsizetype(sizeof(float)), Qt::Uninitialized);
    for (qsizetype i = 0; i < probabilities.size(); ++i)
        qToLittleEndian(probabilities[i], bytes.data() + i * sizeof(float));
    return bytes;
}

QList<float> unpackProbabilities(const QByteArray &bytes)
{
    QList<float> probabilities(bytes.size() / qsizetype(sizeof(float)));
    for (qsizetype i = 0; i < probabilities.size(); ++i)
        probabilities[i] = qFromLittleEndian<float>(bytes.constData() + i * sizeof(float));
    return probabilities;
}

Status deleteSplit(QSqlDatabase &db, qint64 runId, const QString &split)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("DELETE FROM run_evaluations WHERE run_id = ? AND split = ?"));
    q.addBindValue(runId);
    q.addBindValue(split);
    if (!q.exec())
        return Status::failure(q.lastError().text());
    return {};
}

} // namespace

PredictionStore::PredictionStore(QSqlDatabase db) : m_db(std::move(db)) {}

Status PredictionStore::save(qint64 runId, const PredictionSet &set)
{
    const QString context = QStringLiteral("storing the predictions of run %1 on %2").arg(runId).arg(set.split);
    return WriteTransaction::run(m_db, context, [&](QSqlDatabase &db) {
        if (const Status s = deleteSplit(db, runId, set.split); !s)
            return s;
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO run_evaluations(run_id, split, step, examples, available, classes_json) "
                                 "VALUES (?, ?, ?, ?, ?, ?)"));
        for (const QVariant &v : {QVariant(runId), QVariant(set.split), QVariant(set.step), QVariant(set.examples()),
                                  QVariant(set.available),
                                  QVariant(QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(set.classes))
                                                                 .toJson(QJsonDocument::Compact)))})
            q.addBindValue(v);
        if (!q.exec())
            return Status::failure(q.lastError().text());
        const qint64 evaluation = q.lastInsertId().toLongLong();
        QSqlQuery row(db);
        row.prepare(QStringLiteral("INSERT INTO predictions(evaluation_id, ordinal, document_id, label, predicted, "
                                   "probabilities, truncated) VALUES (?, ?, ?, ?, ?, ?, ?)"));
        for (int i = 0; i < set.predictions.size(); ++i) {
            const Prediction &p = set.predictions[i];
            row.addBindValue(evaluation);
            row.addBindValue(i);
            row.addBindValue(p.documentId > 0 ? QVariant(p.documentId) : QVariant());
            row.addBindValue(p.label);
            row.addBindValue(p.predicted);
            row.addBindValue(packProbabilities(p.probabilities));
            row.addBindValue(p.truncated ? 1 : 0);
            if (!row.exec())
                return Status::failure(row.lastError().text());
        }
        return Status();
    });
}

Result<QStringList> PredictionStore::splits(qint64 runId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT split FROM run_evaluations WHERE run_id = ? ORDER BY split"));
    q.addBindValue(runId);
    if (!q.exec())
        return Result<QStringList>::failure(
            QStringLiteral("cannot read the predictions of run %1: %2").arg(runId).arg(q.lastError().text()));
    QStringList result;
    while (q.next())
        result.append(q.value(0).toString());
    return result;
}

Result<PredictionSet> PredictionStore::load(qint64 runId, const QString &split) const
{
    using R = Result<PredictionSet>;
    const auto failure = [&](const QSqlQuery &q) {
        return R::failure(QStringLiteral("cannot read the predictions of run %1 on %2: %3")
                              .arg(runId)
                              .arg(split, q.lastError().text()));
    };
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, step, available, classes_json FROM run_evaluations "
                             "WHERE run_id = ? AND split = ?"));
    q.addBindValue(runId);
    q.addBindValue(split);
    if (!q.exec())
        return failure(q);
    PredictionSet set;
    set.split = split;
    if (!q.next())
        return set;
    const qint64 evaluation = q.value(0).toLongLong();
    set.step = q.value(1).toLongLong();
    set.available = q.value(2).toInt();
    for (const QJsonValue &label : QJsonDocument::fromJson(q.value(3).toByteArray()).array())
        set.classes.append(label.toString());
    QSqlQuery rows(m_db);
    rows.setForwardOnly(true);
    rows.prepare(QStringLiteral("SELECT document_id, label, predicted, probabilities, truncated FROM predictions "
                                "WHERE evaluation_id = ? ORDER BY ordinal"));
    rows.addBindValue(evaluation);
    if (!rows.exec())
        return failure(rows);
    while (rows.next()) {
        Prediction p;
        p.documentId = rows.value(0).toLongLong();
        p.label = rows.value(1).toInt();
        p.predicted = rows.value(2).toInt();
        p.probabilities = unpackProbabilities(rows.value(3).toByteArray());
        p.truncated = rows.value(4).toInt() != 0;
        set.predictions.append(p);
    }
    return set;
}

Result<QStringList> PredictionStore::documentTexts(const QList<qint64> &ids) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT text FROM documents WHERE id = ?"));
    QStringList texts;
    texts.reserve(ids.size());
    for (qint64 id : ids) {
        q.addBindValue(id);
        if (!q.exec())
            return Result<QStringList>::failure(QStringLiteral("cannot read document %1: %2").arg(id).arg(q.lastError().text()));
        texts.append(q.next() ? q.value(0).toString() : QString());
    }
    return texts;
}

Status PredictionStore::clear(qint64 runId)
{
    return WriteTransaction::run(m_db, QStringLiteral("deleting the predictions of run %1").arg(runId),
                                 [runId](QSqlDatabase &db) {
                                     QSqlQuery q(db);
                                     q.prepare(QStringLiteral("DELETE FROM run_evaluations WHERE run_id = ?"));
                                     q.addBindValue(runId);
                                     if (!q.exec())
                                         return Status::failure(q.lastError().text());
                                     return Status();
                                 });
}

} // namespace ts
