#include "project/MergeWriter.h"

#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace ts {

namespace {

// How often cancel is polled and progress reported while copying, in milliseconds.
constexpr int kPollIntervalMs = 50;

Result<QVariant> scalar(const QSqlDatabase &db, const QString &sql, const QVariantList &values)
{
    QSqlQuery q(db);
    q.prepare(sql);
    for (const QVariant &value : values)
        q.addBindValue(value);
    if (!q.exec())
        return Result<QVariant>::failure(QStringLiteral("%1: %2").arg(db.databaseName(), q.lastError().text()));
    return q.next() ? q.value(0) : QVariant();
}

QList<qint64> sorted(const QSet<qint64> &ids)
{
    QList<qint64> list = ids.values();
    std::sort(list.begin(), list.end());
    return list;
}

} // namespace

MergeWriter::MergeWriter(const QSqlDatabase &there, const QSqlDatabase &here, const MergeAnalysis &analysis,
                         const MergeParams &params, MergeReport &report)
    : m_there(there), m_here(here), m_a(analysis), m_params(params), m_report(report)
{
}

bool MergeWriter::step()
{
    ++m_done;
    if (m_sincePoll.isValid() && m_sincePoll.elapsed() < kPollIntervalMs)
        return true;
    m_sincePoll.start();
    return poll();
}

bool MergeWriter::poll()
{
    if (m_params.cancelled && m_params.cancelled()) {
        m_cancelled = true;
        return false;
    }
    if (m_params.progress)
        m_params.progress(m_done, m_total);
    return true;
}

QList<qint64> MergeWriter::usedCorpora() const
{
    QSet<qint64> used;
    for (const MergeAnalysis::Run &run : m_a.runsToCopy()) {
        for (const qint64 corpus : {run.source, run.target}) {
            if (corpus != 0)
                used.insert(corpus);
        }
    }
    return sorted(used);
}

QList<qint64> MergeWriter::usedModels() const
{
    QSet<qint64> used;
    for (const MergeAnalysis::Run &run : m_a.runsToCopy()) {
        if (run.model != 0)
            used.insert(run.model);
    }
    return sorted(used);
}

Status MergeWriter::prepareCopiers()
{
    for (const char *table : {"corpora", "documents", "imports", "models", "artifacts", "artifact_chunks", "run_groups",
                              "runs", "metrics", "run_evaluations", "predictions"}) {
        auto copier = TableCopier::create(m_there, m_here, QString::fromLatin1(table));
        if (!copier)
            return Status::failure(copier.error());
        m_copiers.insert(QString::fromLatin1(table), std::make_shared<TableCopier>(std::move(copier.value())));
    }
    m_copiers[QStringLiteral("documents")]->remap(QStringLiteral("corpus_id"), &m_corpora);
    m_copiers[QStringLiteral("imports")]->remap(QStringLiteral("corpus_id"), &m_corpora);
    m_copiers[QStringLiteral("artifacts")]->remap(QStringLiteral("model_id"), &m_models);
    m_copiers[QStringLiteral("artifacts")]->remap(QStringLiteral("run_id"), &m_runs);
    m_copiers[QStringLiteral("artifact_chunks")]->remap(QStringLiteral("artifact_id"), &m_artifacts);
    TableCopier &runs = *m_copiers[QStringLiteral("runs")];
    runs.remap(QStringLiteral("source_corpus_id"), &m_corpora);
    runs.remap(QStringLiteral("target_corpus_id"), &m_corpora);
    runs.remap(QStringLiteral("model_id"), &m_models);
    runs.remap(QStringLiteral("group_id"), &m_groups);
    m_copiers[QStringLiteral("metrics")]->remap(QStringLiteral("run_id"), &m_runs);
    m_copiers[QStringLiteral("run_evaluations")]->remap(QStringLiteral("run_id"), &m_runs);
    m_copiers[QStringLiteral("predictions")]->remap(QStringLiteral("evaluation_id"), &m_evaluations);
    m_copiers[QStringLiteral("predictions")]->remap(QStringLiteral("document_id"), &m_documents);
    return {};
}

Status MergeWriter::copy(const QString &table, const QString &where, qint64 id, IdMap *ids)
{
    return m_copiers[table]->copy(where, {id}, ids, [this] { return step(); });
}

Result<qint64> MergeWriter::countRows() const
{
    const QStringList perCorpus = {QStringLiteral("SELECT count(*) FROM documents WHERE corpus_id = ?"),
                                   QStringLiteral("SELECT count(*) FROM imports WHERE corpus_id = ?")};
    const QStringList perModel = {QStringLiteral("SELECT count(*) FROM artifacts WHERE model_id = ? AND run_id IS NULL"),
                                  QStringLiteral("SELECT count(*) FROM artifact_chunks WHERE artifact_id IN (SELECT id FROM "
                                                 "artifacts WHERE model_id = ? AND run_id IS NULL)")};
    const QStringList perRun = {
        QStringLiteral("SELECT count(*) FROM metrics WHERE run_id = ?"),
        QStringLiteral("SELECT count(*) FROM run_evaluations WHERE run_id = ?"),
        QStringLiteral("SELECT count(*) FROM predictions WHERE evaluation_id IN (SELECT id FROM run_evaluations WHERE run_id = ?)"),
        QStringLiteral("SELECT count(*) FROM artifacts WHERE run_id = ?"),
        QStringLiteral("SELECT count(*) FROM artifact_chunks WHERE artifact_id IN (SELECT id FROM artifacts WHERE run_id = ?)")};
    qint64 total = 0;
    const auto add = [&](const QStringList &queries, qint64 id) -> Status {
        for (const QString &sql : queries) {
            const auto n = scalar(m_there, sql, {id});
            if (!n)
                return Status::failure(n.error());
            total += n.value().toLongLong();
        }
        return {};
    };
    for (const qint64 corpus : usedCorpora()) {
        if (m_a.corpora.value(corpus).here == 0) {
            total += 1; // the corpus's row
            if (const Status s = add(perCorpus, corpus); !s)
                return Result<qint64>::failure(s.error());
        }
    }
    for (const qint64 model : usedModels()) {
        if (m_a.models.value(model).here == 0) {
            total += 1; // the model's row
            if (const Status s = add(perModel, model); !s)
                return Result<qint64>::failure(s.error());
        }
    }
    QSet<qint64> groups;
    for (const MergeAnalysis::Run &run : m_a.runsToCopy()) {
        total += 1; // the run's row
        if (run.group != 0 && !m_groups.contains(run.group) && !groups.contains(run.group)) {
            groups.insert(run.group);
            total += 1;
        }
        if (const Status s = add(perRun, run.id); !s)
            return Result<qint64>::failure(s.error());
    }
    return total;
}

Status MergeWriter::copyLabels(qint64 corpus)
{
    // The labels of the corpus's documents, in the order the other project recorded them.
    QSqlQuery labels(m_there);
    labels.prepare(QStringLiteral("SELECT name, created_at FROM labels WHERE name IN (SELECT DISTINCT label FROM documents "
                                  "WHERE corpus_id = ?) ORDER BY id"));
    labels.addBindValue(corpus);
    if (!labels.exec())
        return Status::failure(QStringLiteral("cannot read the labels: %1").arg(labels.lastError().text()));
    QSqlQuery insert(m_here);
    insert.prepare(QStringLiteral("INSERT OR IGNORE INTO labels(name, created_at) VALUES (?, ?)"));
    while (labels.next()) {
        insert.addBindValue(labels.value(0));
        insert.addBindValue(labels.value(1));
        if (!insert.exec())
            return Status::failure(QStringLiteral("cannot record label %1: %2").arg(labels.value(0).toString(), insert.lastError().text()));
    }
    return {};
}

Status MergeWriter::pairDocuments(qint64 there, qint64 here)
{
    const auto ids = [](const QSqlDatabase &db, qint64 corpus) {
        QList<qint64> list;
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT id FROM documents WHERE corpus_id = ? ORDER BY id"));
        q.addBindValue(corpus);
        if (q.exec()) {
            while (q.next())
                list.append(q.value(0).toLongLong());
        }
        return list;
    };
    const QList<qint64> from = ids(m_there, there);
    const QList<qint64> to = ids(m_here, here);
    // Equal content hashes mean equal documents in the same order.
    if (from.size() != to.size())
        return Status::failure(QStringLiteral("corpus %1 changed while merging; merge again").arg(m_a.corpora.value(there).name));
    for (qsizetype i = 0; i < from.size(); ++i)
        m_documents.insert(from.at(i), to.at(i));
    return {};
}

Status MergeWriter::copyCorpus(qint64 id, const MergeAnalysis::Item &item)
{
    if (item.here != 0) {
        m_corpora.insert(id, item.here);
        m_report.corporaReused.append(item.name);
        return pairDocuments(id, item.here);
    }
    TableCopier &corpora = *m_copiers[QStringLiteral("corpora")];
    const QString name = item.clash ? item.renamed : item.name;
    corpora.set(QStringLiteral("name"), name);
    Status s = copy(QStringLiteral("corpora"), QStringLiteral("id = ?"), id, &m_corpora);
    if (s)
        s = copyLabels(id);
    if (s)
        s = copy(QStringLiteral("documents"), QStringLiteral("corpus_id = ?"), id, &m_documents);
    if (s)
        s = copy(QStringLiteral("imports"), QStringLiteral("corpus_id = ?"), id);
    m_report.corporaCopied.append(name);
    if (item.clash)
        m_report.renamed.append(QStringLiteral("corpus %1 as %2").arg(item.name, name));
    return s;
}

Status MergeWriter::copyModel(qint64 id, const MergeAnalysis::Item &item)
{
    if (item.here != 0) {
        m_models.insert(id, item.here);
        m_report.modelsReused.append(item.name);
        return {};
    }
    const QString name = item.clash ? item.renamed : item.name;
    m_copiers[QStringLiteral("models")]->set(QStringLiteral("name"), name);
    Status s = copy(QStringLiteral("models"), QStringLiteral("id = ?"), id, &m_models);
    if (s)
        s = copy(QStringLiteral("artifacts"), QStringLiteral("model_id = ? AND run_id IS NULL"), id, &m_artifacts);
    if (s)
        s = copy(QStringLiteral("artifact_chunks"),
                 QStringLiteral("artifact_id IN (SELECT id FROM artifacts WHERE model_id = ? AND run_id IS NULL)"), id);
    m_report.modelsCopied.append(name);
    if (item.clash)
        m_report.renamed.append(QStringLiteral("model %1 as %2").arg(item.name, name));
    return s;
}

Status MergeWriter::joinPresentGroups()
{
    // Runs of a group some of whose runs were merged before join that group here.
    for (const MergeAnalysis::Run &run : std::as_const(m_a.runs)) {
        const auto present = std::find_if(m_a.plan.present.cbegin(), m_a.plan.present.cend(),
                                          [&](const QPair<qint64, qint64> &p) { return p.first == run.id; });
        if (run.group == 0 || present == m_a.plan.present.cend())
            continue;
        const auto group = scalar(m_here, QStringLiteral("SELECT group_id FROM runs WHERE id = ?"), {present->second});
        if (!group)
            return Status::failure(group.error());
        if (!group.value().isNull())
            m_groups.insert(run.group, group.value().toLongLong());
    }
    return {};
}

Status MergeWriter::copyGroup(qint64 group)
{
    if (group == 0 || m_groups.contains(group))
        return {};
    // A group this project holds with the same name, kind and creation time (milliseconds) is the
    // same group, recorded in several projects (the cells of a Slurm benchmark job): its runs join it.
    const QString same = QStringLiteral("SELECT id FROM run_groups WHERE name = ? AND kind = ? AND created_at = ? "
                                        "ORDER BY id LIMIT 1");
    QSqlQuery there(m_there);
    there.prepare(QStringLiteral("SELECT name, kind, created_at FROM run_groups WHERE id = ?"));
    there.addBindValue(group);
    if (!there.exec() || !there.next())
        return Status::failure(QStringLiteral("run group %1 of %2: %3").arg(group).arg(m_there.databaseName(),
                                                                                     there.lastError().text()));
    const auto here = scalar(m_here, same, {there.value(0), there.value(1), there.value(2)});
    if (!here)
        return Status::failure(here.error());
    if (!here.value().isNull()) {
        m_groups.insert(group, here.value().toLongLong());
        return {};
    }
    return copy(QStringLiteral("run_groups"), QStringLiteral("id = ?"), group, &m_groups);
}

Status MergeWriter::copyRun(const MergeAnalysis::Run &run)
{
    if (const Status s = copyGroup(run.group); !s)
        return s;
    Status s = copy(QStringLiteral("runs"), QStringLiteral("id = ?"), run.id, &m_runs);
    if (!s)
        return s;
    m_report.copied.append({run.id, m_runs.value(run.id)});
    const QString evaluations = QStringLiteral("evaluation_id IN (SELECT id FROM run_evaluations WHERE run_id = ?)");
    const QString artifacts = QStringLiteral("artifact_id IN (SELECT id FROM artifacts WHERE run_id = ?)");
    s = copy(QStringLiteral("metrics"), QStringLiteral("run_id = ?"), run.id);
    if (s)
        s = copy(QStringLiteral("run_evaluations"), QStringLiteral("run_id = ?"), run.id, &m_evaluations);
    if (s)
        s = copy(QStringLiteral("predictions"), evaluations, run.id);
    if (s)
        s = copy(QStringLiteral("artifacts"), QStringLiteral("run_id = ?"), run.id, &m_artifacts);
    if (s)
        s = copy(QStringLiteral("artifact_chunks"), artifacts, run.id);
    return s;
}

Status MergeWriter::run()
{
    if (const Status s = prepareCopiers(); !s)
        return s;
    if (const Status s = joinPresentGroups(); !s)
        return s;
    const auto total = countRows();
    if (!total)
        return Status::failure(total.error());
    m_total = total.value();
    if (!poll())
        return Status::failure(TableCopier::cancelledMessage());
    Status s;
    for (const qint64 corpus : usedCorpora()) {
        if (s)
            s = copyCorpus(corpus, m_a.corpora.value(corpus));
    }
    for (const qint64 model : usedModels()) {
        if (s)
            s = copyModel(model, m_a.models.value(model));
    }
    for (const MergeAnalysis::Run &run : m_a.runsToCopy()) {
        if (s)
            s = copyRun(run);
    }
    if (s && !poll())
        s = Status::failure(TableCopier::cancelledMessage());
    return s;
}

} // namespace ts
