#include "project/ProjectMerger.h"

#include "project/ContentHash.h"
#include "project/Project.h"
#include "project/TableCopier.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QMap>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

#include <memory>

namespace ts {

namespace {

// How often cancel is polled and progress reported while copying, in milliseconds.
constexpr int kPollIntervalMs = 50;

using IdMap = TableCopier::IdMap;

/// A run of the other project, as far as merging needs it.
struct SourceRun
{
    qint64 id = 0;
    QString status;
    qint64 source = 0; // corpus ids there; 0: none
    qint64 target = 0;
    qint64 model = 0;
    qint64 group = 0;
    QVariantList identity; // strategy, config_json, init_seed, data_seed, created_at, finished_at
};

/// A corpus or model of the other project and what becomes of it here.
struct Item
{
    QString name;    // its name there (here, when reused)
    qint64 here = 0; // the destination's item with the same content; 0: to be copied
    bool clash = false;
    QString renamed; // the free name a Rename copy takes
};

/// How to tell corpora or models apart.
struct ItemKind
{
    QString word;  // "corpus"
    QString table; // "corpora"
    // An SQL expression over `t` (a row of table) that equal contents share: a cheap filter before hashing.
    QString key;
    Result<QString> (*hash)(const QSqlDatabase &, qint64);
};

const ItemKind kCorpus{QStringLiteral("corpus"), QStringLiteral("corpora"),
                       QStringLiteral("(SELECT count(*) FROM documents d WHERE d.corpus_id = t.id)"), &ContentHash::ofCorpus};
const ItemKind kModel{QStringLiteral("model"), QStringLiteral("models"), QStringLiteral("t.kind || '/' || t.architecture"),
                      &ContentHash::ofModel};

struct Analysis
{
    QList<SourceRun> runs;    // the runs asked for, ascending
    QMap<qint64, Item> corpora; // by id there
    QMap<qint64, Item> models;
    QHash<qint64, QString> hashesHere[2]; // destination hashes computed so far: corpora, models
    MergePlan plan;
};

qint64 idOf(const QVariant &value)
{
    return value.isNull() ? 0 : value.toLongLong();
}

QVariant nullableId(qint64 id)
{
    return id == 0 ? QVariant() : QVariant(id);
}

QString idList(const QList<qint64> &ids)
{
    QStringList parts;
    for (const qint64 id : ids)
        parts.append(QString::number(id));
    return parts.join(QStringLiteral(", "));
}

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

Result<QList<SourceRun>> loadRuns(const QSqlDatabase &db, const QString &path, const QList<qint64> &wanted)
{
    using R = Result<QList<SourceRun>>;
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT id, status, source_corpus_id, target_corpus_id, model_id, group_id, strategy, "
                               "config_json, init_seed, data_seed, created_at, finished_at FROM runs ORDER BY id")))
        return R::failure(QStringLiteral("cannot read the runs of %1: %2").arg(path, q.lastError().text()));
    QList<SourceRun> runs;
    QSet<qint64> found;
    while (q.next()) {
        const qint64 id = q.value(0).toLongLong();
        found.insert(id);
        if (!wanted.isEmpty() && !wanted.contains(id))
            continue;
        SourceRun run{id, q.value(1).toString(), idOf(q.value(2)), idOf(q.value(3)), idOf(q.value(4)), idOf(q.value(5)), {}};
        for (int column = 6; column < 12; ++column)
            run.identity.append(q.value(column));
        if (run.status == QLatin1String("running") || run.status == QLatin1String("queued"))
            return R::failure(QStringLiteral("run %1 of %2 is %3: its results are not complete; merge it once it has "
                                             "ended, or leave it out of the runs to merge")
                                  .arg(id)
                                  .arg(path, run.status));
        runs.append(run);
    }
    for (const qint64 id : wanted) {
        if (!found.contains(id))
            return R::failure(QStringLiteral("%1 has no run %2 (see `transfer-studio-cli runs %1`)").arg(path).arg(id));
    }
    if (runs.isEmpty())
        return R::failure(QStringLiteral("%1 has no runs to merge").arg(path));
    return runs;
}

/// The first name "NAME (2)", "NAME (3)", ... that table `table` of `db` does not use.
Result<QString> freeName(const QSqlDatabase &db, const QString &table, const QString &name)
{
    for (int n = 2;; ++n) {
        const QString candidate = QStringLiteral("%1 (%2)").arg(name).arg(n);
        const auto taken = scalar(db, QStringLiteral("SELECT 1 FROM %1 WHERE name = ?").arg(table), {candidate});
        if (!taken)
            return Result<QString>::failure(taken.error());
        if (taken.value().isNull())
            return candidate;
    }
}

/// What becomes of item `id` of the other project: reused when the destination holds the same content
/// (`hashesHere` caches the destination's hashes), a clash when its name is taken, else copied.
Result<Item> resolve(const QSqlDatabase &there, const QSqlDatabase &here, const ItemKind &kind, qint64 id,
                     QHash<qint64, QString> &hashesHere)
{
    using R = Result<Item>;
    Item item;
    const auto name = scalar(there, QStringLiteral("SELECT name FROM %1 WHERE id = ?").arg(kind.table), {id});
    const auto key = scalar(there, QStringLiteral("SELECT %1 FROM %2 t WHERE t.id = ?").arg(kind.key, kind.table), {id});
    const auto hash = kind.hash(there, id);
    if (!name || !key || !hash)
        return R::failure(!name ? name.error() : !key ? key.error() : hash.error());
    item.name = name.value().toString();
    QSqlQuery candidates(here);
    candidates.prepare(QStringLiteral("SELECT t.id, t.name FROM %1 t WHERE %2 = ? ORDER BY t.id").arg(kind.table, kind.key));
    candidates.addBindValue(key.value());
    if (!candidates.exec())
        return R::failure(QStringLiteral("cannot read the %1: %2").arg(kind.table, candidates.lastError().text()));
    while (candidates.next()) {
        const qint64 candidate = candidates.value(0).toLongLong();
        if (!hashesHere.contains(candidate)) {
            const auto h = kind.hash(here, candidate);
            if (!h)
                return R::failure(h.error());
            hashesHere.insert(candidate, h.value());
        }
        if (hashesHere.value(candidate) == hash.value()) {
            item.here = candidate;
            item.name = candidates.value(1).toString();
            return item;
        }
    }
    const auto taken = scalar(here, QStringLiteral("SELECT 1 FROM %1 WHERE name = ?").arg(kind.table), {item.name});
    if (!taken)
        return R::failure(taken.error());
    if (!taken.value().isNull()) {
        item.clash = true;
        const auto renamed = freeName(here, kind.table, item.name);
        if (!renamed)
            return R::failure(renamed.error());
        item.renamed = renamed.value();
    }
    return item;
}

Status resolveAll(const QSqlDatabase &there, const QSqlDatabase &here, Analysis &a)
{
    for (const SourceRun &run : std::as_const(a.runs)) {
        for (const qint64 corpus : {run.source, run.target}) {
            if (corpus == 0 || a.corpora.contains(corpus))
                continue;
            const auto item = resolve(there, here, kCorpus, corpus, a.hashesHere[0]);
            if (!item)
                return Status::failure(item.error());
            a.corpora.insert(corpus, item.value());
        }
        if (run.model != 0 && !a.models.contains(run.model)) {
            const auto item = resolve(there, here, kModel, run.model, a.hashesHere[1]);
            if (!item)
                return Status::failure(item.error());
            a.models.insert(run.model, item.value());
        }
    }
    return {};
}

/// The destination's run that is `run` merged before (0: none): the same identity on the same corpora
/// and model, which must then be ones the destination already holds.
Result<qint64> presentAs(const QSqlDatabase &here, const SourceRun &run, const Analysis &a)
{
    const qint64 source = run.source == 0 ? 0 : a.corpora.value(run.source).here;
    const qint64 target = run.target == 0 ? 0 : a.corpora.value(run.target).here;
    const qint64 model = run.model == 0 ? 0 : a.models.value(run.model).here;
    if ((run.source != 0 && source == 0) || (run.target != 0 && target == 0) || (run.model != 0 && model == 0))
        return qint64(0);
    QVariantList values = run.identity;
    values << nullableId(source) << nullableId(target) << nullableId(model);
    const auto id = scalar(here, QStringLiteral("SELECT id FROM runs WHERE strategy = ? AND config_json = ? AND init_seed = ? "
                                                "AND data_seed = ? AND created_at = ? AND finished_at IS ? AND "
                                                "source_corpus_id IS ? AND target_corpus_id IS ? AND model_id IS ? "
                                                "ORDER BY id LIMIT 1"),
                           values);
    if (!id)
        return Result<qint64>::failure(id.error());
    return idOf(id.value());
}

void addClashes(const ItemKind &kind, const QMap<qint64, Item> &items, Analysis &a,
                qint64 SourceRun::*const firstUse, qint64 SourceRun::*const secondUse)
{
    for (auto it = items.cbegin(); it != items.cend(); ++it) {
        if (!it->clash)
            continue;
        MergeClash clash{kind.word, it->name, it->renamed, {}};
        for (const SourceRun &run : std::as_const(a.runs)) {
            const bool uses = run.*firstUse == it.key() || (secondUse && run.*secondUse == it.key());
            if (uses && a.plan.runs.contains(run.id))
                clash.runs.append(run.id);
        }
        if (!clash.runs.isEmpty())
            a.plan.clashes.append(clash);
    }
}

Result<Analysis> analyse(const QSqlDatabase &there, const QString &path, const QSqlDatabase &here, const QList<qint64> &wanted)
{
    using R = Result<Analysis>;
    Analysis a;
    auto runs = loadRuns(there, path, wanted);
    if (!runs)
        return R::failure(runs.error());
    a.runs = runs.value();
    if (const Status s = resolveAll(there, here, a); !s)
        return R::failure(s.error());
    for (const SourceRun &run : std::as_const(a.runs)) {
        const auto present = presentAs(here, run, a);
        if (!present)
            return R::failure(present.error());
        if (present.value() != 0)
            a.plan.present.append({run.id, present.value()});
        else
            a.plan.runs.append(run.id);
    }
    addClashes(kCorpus, a.corpora, a, &SourceRun::source, &SourceRun::target);
    addClashes(kModel, a.models, a, &SourceRun::model, nullptr);
    return a;
}

Result<std::unique_ptr<Project>> openSource(const Project &destination, const QString &sourcePath)
{
    const QFileInfo source(sourcePath);
    if (source.exists() && source.canonicalFilePath() == QFileInfo(destination.path()).canonicalFilePath())
        return Result<std::unique_ptr<Project>>::failure(
            QStringLiteral("%1 is the project itself; choose another project to merge from").arg(sourcePath));
    return Project::open(sourcePath, Project::Access::ReadOnly);
}

/// Refuses a destination with a table that refers to what merging copies but that merging does not
/// know (a newer format's): its rows would be left behind.
Status checkKnownTables(const QSqlDatabase &db)
{
    static const QStringList owners = {QStringLiteral("runs"), QStringLiteral("corpora"), QStringLiteral("models"),
                                       QStringLiteral("documents"), QStringLiteral("run_groups"), QStringLiteral("artifacts"),
                                       QStringLiteral("run_evaluations")};
    static const QStringList copied = {QStringLiteral("documents"), QStringLiteral("imports"), QStringLiteral("runs"),
                                       QStringLiteral("metrics"), QStringLiteral("artifacts"), QStringLiteral("artifact_chunks"),
                                       QStringLiteral("run_evaluations"), QStringLiteral("predictions")};
    QSqlQuery tables(db);
    if (!tables.exec(QStringLiteral("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")))
        return Status::failure(tables.lastError().text());
    while (tables.next()) {
        const QString table = tables.value(0).toString();
        if (copied.contains(table))
            continue;
        QSqlQuery keys(db);
        if (!keys.exec(QStringLiteral("PRAGMA foreign_key_list(\"%1\")").arg(table)))
            return Status::failure(keys.lastError().text());
        // PRAGMA foreign_key_list: id, seq, table, from, to, ...
        while (keys.next()) {
            if (owners.contains(keys.value(2).toString()))
                return Status::failure(QStringLiteral("%1: table %2 refers to %3, which this version cannot merge; "
                                                      "merge with the Transfer Studio that wrote the project")
                                           .arg(db.databaseName(), table, keys.value(2).toString()));
        }
    }
    return {};
}

/// Polls cancel and reports progress, a few times a second.
class Progress
{
public:
    explicit Progress(const MergeParams &params) : m_params(params) {}
    void setTotal(qint64 total) { m_total = total; }
    /// One more row copied; false when the merge is to stop.
    bool step()
    {
        ++m_done;
        if (m_timer.isValid() && m_timer.elapsed() < kPollIntervalMs)
            return true;
        m_timer.start();
        return poll();
    }
    bool poll()
    {
        if (m_params.cancelled && m_params.cancelled()) {
            m_cancelled = true;
            return false;
        }
        if (m_params.progress)
            m_params.progress(m_done, m_total);
        return true;
    }
    bool cancelled() const { return m_cancelled; }

private:
    const MergeParams &m_params;
    qint64 m_done = 0;
    qint64 m_total = 0;
    QElapsedTimer m_timer;
    bool m_cancelled = false;
};

/// Writes what an Analysis says into the destination, inside its transaction.
class Writer
{
public:
    Writer(const QSqlDatabase &there, const QSqlDatabase &here, Analysis &a, Progress &progress, MergeReport &report)
        : m_there(there), m_here(here), m_a(a), m_progress(progress), m_report(report)
    {
    }

    Status run();

private:
    Status prepareCopiers();
    Result<qint64> countRows() const;
    Status copyLabels();
    Status copyCorpus(qint64 id, const Item &item);
    Status pairDocuments(qint64 there, qint64 here);
    Status copyModel(qint64 id, const Item &item);
    Status copyRun(const SourceRun &run);
    Status joinPresentGroups();
    Status copyGroup(qint64 group);
    Status copy(const QString &table, const QString &where, qint64 id, IdMap *ids = nullptr);
    QList<qint64> usedCorpora() const;
    QList<qint64> usedModels() const;
    QList<SourceRun> runsToCopy() const;

    QSqlDatabase m_there;
    QSqlDatabase m_here;
    Analysis &m_a;
    Progress &m_progress;
    MergeReport &m_report;
    QHash<QString, std::shared_ptr<TableCopier>> m_copiers;
    IdMap m_corpora, m_models, m_groups, m_runs, m_documents, m_evaluations, m_artifacts;
};

QList<SourceRun> Writer::runsToCopy() const
{
    QList<SourceRun> runs;
    for (const SourceRun &run : m_a.runs) {
        if (m_a.plan.runs.contains(run.id))
            runs.append(run);
    }
    return runs;
}

QList<qint64> Writer::usedCorpora() const
{
    QSet<qint64> used;
    for (const SourceRun &run : runsToCopy()) {
        for (const qint64 corpus : {run.source, run.target}) {
            if (corpus != 0)
                used.insert(corpus);
        }
    }
    QList<qint64> ids = used.values();
    std::sort(ids.begin(), ids.end());
    return ids;
}

QList<qint64> Writer::usedModels() const
{
    QSet<qint64> used;
    for (const SourceRun &run : runsToCopy()) {
        if (run.model != 0)
            used.insert(run.model);
    }
    QList<qint64> ids = used.values();
    std::sort(ids.begin(), ids.end());
    return ids;
}

Status Writer::prepareCopiers()
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

Status Writer::copy(const QString &table, const QString &where, qint64 id, IdMap *ids)
{
    return m_copiers[table]->copy(where, {id}, ids, [this] { return m_progress.step(); });
}

Result<qint64> Writer::countRows() const
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
    for (const SourceRun &run : runsToCopy()) {
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

Status Writer::copyLabels()
{
    QSqlQuery labels(m_there);
    if (!labels.exec(QStringLiteral("SELECT name, created_at FROM labels ORDER BY id")))
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

Status Writer::pairDocuments(qint64 there, qint64 here)
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

Status Writer::copyCorpus(qint64 id, const Item &item)
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
        s = copy(QStringLiteral("documents"), QStringLiteral("corpus_id = ?"), id, &m_documents);
    if (s)
        s = copy(QStringLiteral("imports"), QStringLiteral("corpus_id = ?"), id);
    m_report.corporaCopied.append(name);
    if (item.clash)
        m_report.renamed.append(QStringLiteral("corpus %1 as %2").arg(item.name, name));
    return s;
}

Status Writer::copyModel(qint64 id, const Item &item)
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

Status Writer::joinPresentGroups()
{
    // Runs of a group some of whose runs were merged before join that group here.
    for (const SourceRun &run : std::as_const(m_a.runs)) {
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

Status Writer::copyGroup(qint64 group)
{
    if (group == 0 || m_groups.contains(group))
        return {};
    return copy(QStringLiteral("run_groups"), QStringLiteral("id = ?"), group, &m_groups);
}

Status Writer::copyRun(const SourceRun &run)
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

Status Writer::run()
{
    if (const Status s = prepareCopiers(); !s)
        return s;
    if (const Status s = joinPresentGroups(); !s)
        return s;
    const auto total = countRows();
    if (!total)
        return Status::failure(total.error());
    m_progress.setTotal(total.value());
    if (!m_progress.poll())
        return Status::failure(TableCopier::cancelledMessage());
    Status s = copyLabels();
    for (const qint64 corpus : usedCorpora()) {
        if (s)
            s = copyCorpus(corpus, m_a.corpora.value(corpus));
    }
    for (const qint64 model : usedModels()) {
        if (s)
            s = copyModel(model, m_a.models.value(model));
    }
    for (const SourceRun &run : runsToCopy()) {
        if (s)
            s = copyRun(run);
    }
    if (s && !m_progress.poll())
        s = Status::failure(TableCopier::cancelledMessage());
    return s;
}

/// Applies `choice` to the clashes: fails (Fail), leaves their runs out (Skip), or lets them be copied
/// under their new names (Rename).
Status applyChoice(Analysis &a, MergeClashChoice choice, const QString &here, const QString &there, MergeReport &report)
{
    if (a.plan.clashes.isEmpty())
        return {};
    if (choice == MergeClashChoice::Fail) {
        QStringList clashes;
        QStringList renamed;
        QList<qint64> runs;
        for (const MergeClash &clash : std::as_const(a.plan.clashes)) {
            clashes.append(QStringLiteral("%1 %2 (used by run%3 %4)")
                               .arg(clash.kind, clash.name, clash.runs.size() == 1 ? QString() : QStringLiteral("s"),
                                    idList(clash.runs)));
            renamed.append(QStringLiteral("\"%1\"").arg(clash.renamed));
            for (const qint64 run : clash.runs) {
                if (!runs.contains(run))
                    runs.append(run);
            }
        }
        std::sort(runs.begin(), runs.end());
        return Status::failure(QStringLiteral("%1 already has %2 with other content than in %3; nothing was merged: "
                                              "choose on-clash rename (copies them as %4) or on-clash skip (leaves out "
                                              "runs %5)")
                                   .arg(here, clashes.join(QStringLiteral(", ")), there, renamed.join(QStringLiteral(", ")),
                                        idList(runs)));
    }
    if (choice == MergeClashChoice::Skip) {
        for (const MergeClash &clash : std::as_const(a.plan.clashes)) {
            for (const qint64 run : clash.runs) {
                if (a.plan.runs.removeOne(run))
                    report.skipped.append(run);
            }
        }
        std::sort(report.skipped.begin(), report.skipped.end());
    }
    return {};
}

} // namespace

Result<MergePlan> ProjectMerger::plan(const Project &destination, const QString &sourcePath, const QList<qint64> &runs)
{
    const auto source = openSource(destination, sourcePath);
    if (!source)
        return Result<MergePlan>::failure(source.error());
    const auto analysis = analyse(source.value()->database(), sourcePath, destination.database(), runs);
    if (!analysis)
        return Result<MergePlan>::failure(analysis.error());
    return analysis->plan;
}

Result<MergeReport> ProjectMerger::merge(Project &destination, const QString &sourcePath, const MergeParams &params)
{
    const auto source = openSource(destination, sourcePath);
    if (!source)
        return Result<MergeReport>::failure(source.error());
    const QSqlDatabase there = source.value()->database();
    MergeReport report;
    Progress progress(params);
    const Status merged = destination.transaction([&](QSqlDatabase &here) -> Status {
        if (const Status known = checkKnownTables(here); !known)
            return known;
        auto analysis = analyse(there, sourcePath, here, params.runs);
        if (!analysis)
            return Status::failure(analysis.error());
        report.present = analysis->plan.present;
        if (const Status s = applyChoice(analysis.value(), params.onClash, destination.path(), sourcePath, report); !s)
            return s;
        return Writer(there, here, analysis.value(), progress, report).run();
    });
    if (progress.cancelled())
        return Result<MergeReport>::failure(QStringLiteral("merge cancelled; %1 is unchanged").arg(destination.path()));
    if (!merged)
        return Result<MergeReport>::failure(merged.error());
    return report;
}

} // namespace ts
