#include "project/MergeAnalysis.h"

#include "project/ContentHash.h"

#include <QHash>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

namespace ts {

namespace {

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

qint64 idOf(const QVariant &value)
{
    return value.isNull() ? 0 : value.toLongLong();
}

QVariant nullableId(qint64 id)
{
    return id == 0 ? QVariant() : QVariant(id);
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

Result<QList<MergeAnalysis::Run>> loadRuns(const QSqlDatabase &db, const QString &path, const QList<qint64> &wanted)
{
    using R = Result<QList<MergeAnalysis::Run>>;
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT id, status, source_corpus_id, target_corpus_id, model_id, group_id, strategy, "
                               "config_json, init_seed, data_seed, created_at, finished_at FROM runs ORDER BY id")))
        return R::failure(QStringLiteral("cannot read the runs of %1: %2").arg(path, q.lastError().text()));
    QList<MergeAnalysis::Run> runs;
    QSet<qint64> found;
    while (q.next()) {
        const qint64 id = q.value(0).toLongLong();
        found.insert(id);
        if (!wanted.isEmpty() && !wanted.contains(id))
            continue;
        MergeAnalysis::Run run{id, q.value(1).toString(), idOf(q.value(2)), idOf(q.value(3)), idOf(q.value(4)), idOf(q.value(5)), {}};
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
Result<MergeAnalysis::Item> resolve(const QSqlDatabase &there, const QSqlDatabase &here, const ItemKind &kind, qint64 id,
                     QHash<qint64, QString> &hashesHere)
{
    using R = Result<MergeAnalysis::Item>;
    MergeAnalysis::Item item;
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

/// Resolves every corpus and model the runs use; `hashesHere` caches this project's hashes (corpora, models).
Status resolveAll(const QSqlDatabase &there, const QSqlDatabase &here, MergeAnalysis &a, QHash<qint64, QString> hashesHere[2])
{
    for (const MergeAnalysis::Run &run : std::as_const(a.runs)) {
        for (const qint64 corpus : {run.source, run.target}) {
            if (corpus == 0 || a.corpora.contains(corpus))
                continue;
            const auto item = resolve(there, here, kCorpus, corpus, hashesHere[0]);
            if (!item)
                return Status::failure(item.error());
            a.corpora.insert(corpus, item.value());
        }
        if (run.model != 0 && !a.models.contains(run.model)) {
            const auto item = resolve(there, here, kModel, run.model, hashesHere[1]);
            if (!item)
                return Status::failure(item.error());
            a.models.insert(run.model, item.value());
        }
    }
    return {};
}

/// The destination's run that is `run` merged before (0: none): the same identity on the same corpora
/// and model, which must then be ones the destination already holds.
Result<qint64> presentAs(const QSqlDatabase &here, const MergeAnalysis::Run &run, const MergeAnalysis &a)
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

void addClashes(const ItemKind &kind, const QMap<qint64, MergeAnalysis::Item> &items, MergeAnalysis &a,
                qint64 MergeAnalysis::Run::*const firstUse, qint64 MergeAnalysis::Run::*const secondUse)
{
    for (auto it = items.cbegin(); it != items.cend(); ++it) {
        if (!it->clash)
            continue;
        MergeClash clash{kind.word, it->name, it->renamed, {}};
        for (const MergeAnalysis::Run &run : std::as_const(a.runs)) {
            const bool uses = run.*firstUse == it.key() || (secondUse && run.*secondUse == it.key());
            if (uses && a.plan.runs.contains(run.id))
                clash.runs.append(run.id);
        }
        if (!clash.runs.isEmpty())
            a.plan.clashes.append(clash);
    }
}

} // namespace

Result<MergeAnalysis> MergeAnalysis::of(const QSqlDatabase &there, const QString &path, const QSqlDatabase &here,
                                        const QList<qint64> &wanted)
{
    using R = Result<MergeAnalysis>;
    MergeAnalysis a;
    auto runs = loadRuns(there, path, wanted);
    if (!runs)
        return R::failure(runs.error());
    a.runs = runs.value();
    QHash<qint64, QString> hashesHere[2];
    if (const Status s = resolveAll(there, here, a, hashesHere); !s)
        return R::failure(s.error());
    for (const MergeAnalysis::Run &run : std::as_const(a.runs)) {
        const auto present = presentAs(here, run, a);
        if (!present)
            return R::failure(present.error());
        if (present.value() != 0)
            a.plan.present.append({run.id, present.value()});
        else
            a.plan.runs.append(run.id);
    }
    addClashes(kCorpus, a.corpora, a, &MergeAnalysis::Run::source, &MergeAnalysis::Run::target);
    addClashes(kModel, a.models, a, &MergeAnalysis::Run::model, nullptr);
    return a;
}

QList<MergeAnalysis::Run> MergeAnalysis::runsToCopy() const
{
    QList<Run> chosen;
    for (const Run &run : runs) {
        if (plan.runs.contains(run.id))
            chosen.append(run);
    }
    return chosen;
}

} // namespace ts
