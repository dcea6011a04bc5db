#include "project/SchemaMigrator.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

#include <iterator>

namespace ts {

namespace {

// Version 1: corpora with their documents, models, runs and their metrics.
const QStringList kVersion1 = {
    QStringLiteral("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID"),
    QStringLiteral("CREATE TABLE corpora("
                   " id INTEGER PRIMARY KEY,"
                   " name TEXT NOT NULL UNIQUE,"
                   " description TEXT NOT NULL DEFAULT '',"
                   " created_at TEXT NOT NULL)"),
    // origin: where the document came from, "file:line", for messages and provenance.
    QStringLiteral("CREATE TABLE documents("
                   " id INTEGER PRIMARY KEY,"
                   " corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,"
                   " split TEXT NOT NULL CHECK(split IN ('train','validation','test','unlabeled')),"
                   " label TEXT,"
                   " text TEXT NOT NULL,"
                   " domain TEXT NOT NULL DEFAULT '',"
                   " origin TEXT NOT NULL DEFAULT '')"),
    QStringLiteral("CREATE INDEX documents_by_corpus ON documents(corpus_id, split)"),
    QStringLiteral("CREATE TABLE models("
                   " id INTEGER PRIMARY KEY,"
                   " name TEXT NOT NULL UNIQUE,"
                   " kind TEXT NOT NULL CHECK(kind IN ('huggingface','builtin')),"
                   " architecture TEXT NOT NULL,"
                   " location TEXT NOT NULL DEFAULT '',"
                   " config_json TEXT NOT NULL DEFAULT '{}',"
                   " parameters INTEGER NOT NULL DEFAULT 0,"
                   " created_at TEXT NOT NULL)"),
    QStringLiteral("CREATE TABLE runs("
                   " id INTEGER PRIMARY KEY,"
                   " name TEXT NOT NULL DEFAULT '',"
                   " strategy TEXT NOT NULL,"
                   " source_corpus_id INTEGER REFERENCES corpora(id) ON DELETE SET NULL,"
                   " target_corpus_id INTEGER REFERENCES corpora(id) ON DELETE SET NULL,"
                   " model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,"
                   " config_json TEXT NOT NULL DEFAULT '{}',"
                   " init_seed INTEGER NOT NULL,"
                   " data_seed INTEGER NOT NULL,"
                   " device TEXT NOT NULL DEFAULT 'cpu',"
                   " status TEXT NOT NULL CHECK(status IN"
                   "   ('queued','running','finished','failed','cancelled','interrupted')),"
                   " created_at TEXT NOT NULL,"
                   " started_at TEXT,"
                   " finished_at TEXT,"
                   " error_text TEXT NOT NULL DEFAULT '')"),
    // time: seconds since the Unix epoch (UTC) when the value was measured.
    QStringLiteral("CREATE TABLE metrics("
                   " id INTEGER PRIMARY KEY,"
                   " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                   " step INTEGER NOT NULL,"
                   " epoch REAL NOT NULL,"
                   " split TEXT NOT NULL,"
                   " metric TEXT NOT NULL,"
                   " value REAL NOT NULL,"
                   " time REAL NOT NULL)"),
    QStringLiteral("CREATE INDEX metrics_by_run ON metrics(run_id, split, metric, step)"),
};

// Version 2: groups of runs (seeds, label-budget sweeps) and artifacts (checkpoints, weights,
// exports). An artifact's bytes live in `data` inside the project, or in `path` beside it
// (relative to the project file) when larger than SQLite's 1 GB blob limit allows.
const QStringList kVersion2 = {
    QStringLiteral("CREATE TABLE run_groups("
                   " id INTEGER PRIMARY KEY,"
                   " name TEXT NOT NULL,"
                   " kind TEXT NOT NULL DEFAULT 'seeds',"
                   " created_at TEXT NOT NULL)"),
    QStringLiteral("ALTER TABLE runs ADD COLUMN group_id INTEGER"
                   " REFERENCES run_groups(id) ON DELETE SET NULL"),
    QStringLiteral("CREATE TABLE artifacts("
                   " id INTEGER PRIMARY KEY,"
                   " run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE,"
                   " model_id INTEGER REFERENCES models(id) ON DELETE CASCADE,"
                   " kind TEXT NOT NULL,"
                   " name TEXT NOT NULL DEFAULT '',"
                   " step INTEGER,"
                   " data BLOB,"
                   " path TEXT,"
                   " bytes INTEGER NOT NULL DEFAULT 0,"
                   " sha256 TEXT NOT NULL DEFAULT '',"
                   " created_at TEXT NOT NULL)"),
    QStringLiteral("CREATE INDEX artifacts_by_owner ON artifacts(run_id, model_id, kind, step)"),
};

// Version 3: corpus imports. text_hash (FNV-1a 64 of the whitespace-normalised text, stored as
// a signed integer; NULL for documents stored before version 3) finds duplicates within a corpus.
// labels is the project-wide label set that corpora share (class index = rank of id). imports
// records each import, for provenance.
const QStringList kVersion3 = {
    QStringLiteral("ALTER TABLE documents ADD COLUMN text_hash INTEGER"),
    QStringLiteral("CREATE INDEX documents_by_hash ON documents(corpus_id, text_hash)"),
    QStringLiteral("CREATE TABLE labels("
                   " id INTEGER PRIMARY KEY,"
                   " name TEXT NOT NULL UNIQUE,"
                   " created_at TEXT NOT NULL)"),
    QStringLiteral("CREATE TABLE imports("
                   " id INTEGER PRIMARY KEY,"
                   " corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,"
                   " path TEXT NOT NULL,"
                   " format TEXT NOT NULL,"
                   " split TEXT NOT NULL,"
                   " records INTEGER NOT NULL,"
                   " documents INTEGER NOT NULL,"
                   " duplicates INTEGER NOT NULL,"
                   " rejected INTEGER NOT NULL,"
                   " created_at TEXT NOT NULL)"),
};

// Version 4: artifacts larger than one chunk (a BERT-base checkpoint with its AdamW state is 1.3 GB;
// SQLite holds at most 1 GB in one value) keep their bytes in artifact_chunks, in seq order, and
// NULL in artifacts.data (ArtifactBlob).
const QStringList kVersion4 = {
    QStringLiteral("CREATE TABLE artifact_chunks("
                   " id INTEGER PRIMARY KEY,"
                   " artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,"
                   " seq INTEGER NOT NULL,"
                   " data BLOB NOT NULL,"
                   " UNIQUE(artifact_id, seq))"),
};

// Version 5: duplicates are found in memory (CorpusImporter loads a corpus's text_hash values
// through documents_by_corpus), so the hash index only slowed imports down (it takes its rows in
// random order). text_hash changes from FNV-1a over UTF-16 to TextFingerprint's faster hash of the
// UTF-8 bytes: the old values are cleared, and the next import into a corpus recomputes them.
const QStringList kVersion5 = {
    QStringLiteral("DROP INDEX documents_by_hash"),
    QStringLiteral("UPDATE documents SET text_hash = NULL"),
};

// Version 6: the predictions of runs' final evaluations. run_evaluations has one row per run and
// split (every text of the split is evaluated: examples = available); predictions one row per
// text, probabilities as little-endian float32 per class (PredictionStore).
const QStringList kVersion6 = {
    QStringLiteral("CREATE TABLE run_evaluations("
                   " id INTEGER PRIMARY KEY,"
                   " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                   " split TEXT NOT NULL,"
                   " step INTEGER NOT NULL,"
                   " examples INTEGER NOT NULL,"
                   " available INTEGER NOT NULL,"
                   " classes_json TEXT NOT NULL,"
                   " UNIQUE(run_id, split))"),
    QStringLiteral("CREATE TABLE predictions("
                   " evaluation_id INTEGER NOT NULL REFERENCES run_evaluations(id) ON DELETE CASCADE,"
                   " ordinal INTEGER NOT NULL,"
                   " document_id INTEGER,"
                   " label INTEGER NOT NULL,"
                   " predicted INTEGER NOT NULL,"
                   " probabilities BLOB NOT NULL,"
                   " truncated INTEGER NOT NULL DEFAULT 0,"
                   " PRIMARY KEY(evaluation_id, ordinal)) WITHOUT ROWID"),
};

// Version 7: the Slurm jobs submitted from the project (core/cluster/JobTable). slurm_id is
// Slurm's job id (an array's id for a benchmark); dir the job folder on the cluster's filesystem;
// cells the job's job projects (array tasks); state the last state Slurm reported (JobState);
// collected_at when `collect` merged its runs back.
const QStringList kVersion7 = {
    QStringLiteral("CREATE TABLE slurm_jobs("
                   " id INTEGER PRIMARY KEY,"
                   " slurm_id TEXT NOT NULL,"
                   " kind TEXT NOT NULL CHECK(kind IN ('run','benchmark')),"
                   " dir TEXT NOT NULL,"
                   " cells INTEGER NOT NULL,"
                   " state TEXT NOT NULL,"
                   " submitted_at TEXT NOT NULL,"
                   " collected_at TEXT)"),
};

// kSteps[v - 1] takes a version v-1 file to version v.
const QStringList *const kSteps[] = {&kVersion1, &kVersion2, &kVersion3, &kVersion4, &kVersion5, &kVersion6, &kVersion7};
static_assert(std::size(kSteps) == SchemaMigrator::kCurrentVersion, "one step per schema version");

Status exec(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        return Status::failure(query.lastError().text());
    return {};
}

} // namespace

Result<int> SchemaMigrator::storedVersion(QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'")))
        return Result<int>::failure(query.lastError().text());
    if (!query.next() || query.value(0).toInt() == 0)
        return 0;
    if (!query.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'schema_version'")))
        return Result<int>::failure(query.lastError().text());
    if (!query.next())
        return Result<int>::failure(QStringLiteral("the meta table has no schema_version"));
    bool isNumber = false;
    const int version = query.value(0).toString().toInt(&isNumber);
    if (!isNumber || version < 1)
        return Result<int>::failure(QStringLiteral("schema_version '%1' is not a version number")
                                        .arg(query.value(0).toString()));
    return version;
}

Status SchemaMigrator::migrate(QSqlDatabase &db, int fromVersion)
{
    if (fromVersion >= kCurrentVersion)
        return {};
    if (!db.transaction())
        return Status::failure(db.lastError().text());
    for (int version = fromVersion + 1; version <= kCurrentVersion; ++version) {
        const Status step = applyStep(db, version);
        if (!step) {
            db.rollback();
            return Status::failure(QStringLiteral("upgrading the project format to version %1 failed: %2")
                                       .arg(version)
                                       .arg(step.error()));
        }
    }
    if (!db.commit()) {
        const QString error = db.lastError().text();
        db.rollback();
        return Status::failure(error);
    }
    return {};
}

Status SchemaMigrator::applyStep(QSqlDatabase &db, int toVersion)
{
    for (const QString &sql : *kSteps[toVersion - 1]) {
        if (const Status s = exec(db, sql); !s)
            return s;
    }
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)"));
    query.addBindValue(QString::number(toVersion));
    if (!query.exec())
        return Status::failure(query.lastError().text());
    return {};
}

} // namespace ts
