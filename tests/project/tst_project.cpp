// Project file: creation, reopening, upgrades from older formats, concurrent access, and files
// that must be refused without being modified.
#include "TempProject.h"

#include "project/Project.h"
#include "project/ProjectCatalog.h"
#include "project/SchemaMigrator.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace ts;

namespace {

/// Builds an SQLite file from an .sql script of `;`-terminated statements (one per line).
void buildFromScript(const QString &scriptPath, const QString &dbPath)
{
    QFile script(scriptPath);
    QVERIFY2(script.open(QIODevice::ReadOnly), qPrintable(scriptPath));
    const QString name = QStringLiteral("fixture-builder");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(dbPath);
        QVERIFY(db.open());
        QSqlQuery query(db);
        for (const QByteArray &line : script.readAll().split('\n')) {
            const QString sql = QString::fromUtf8(line).trimmed();
            if (sql.isEmpty() || sql.startsWith(QLatin1String("--")))
                continue;
            QVERIFY2(query.exec(sql), qPrintable(query.lastError().text() + QStringLiteral(": ") + sql));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

qint64 countRows(const Project &project, const QString &table)
{
    QSqlQuery query(project.database());
    if (!query.exec(QStringLiteral("SELECT count(*) FROM %1").arg(table)) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

} // namespace

class TestProject : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void createThenReopen();
    void createRefusesExistingFile();
    void freshProjectHasCurrentSchema();
    void upgradesVersion1Fixture();
    void upgradeToVersion5ClearsFingerprints();
    void failedUpgradeRollsBack();
    void refusesNewerVersion();
    void refusesNonProjectFiles_data();
    void refusesNonProjectFiles();
    void refusesTruncatedProject();
    void readOnlyOpenNeverWrites();
    void transactionIsAllOrNothing();
    void foreignKeysAreEnforced();
    void writerThreadAndReaderAtOnce();

private:
    std::unique_ptr<test::TempFolder> m_dir;
};

void TestProject::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    QVERIFY(m_dir->isValid());
}

void TestProject::createThenReopen()
{
    const QString path = m_dir->path(QStringLiteral("a.tstudio"));
    {
        auto project = Project::create(path);
        QVERIFY2(project.ok(), qPrintable(project.error()));
        QSqlQuery query(project.value()->database());
        QVERIFY(query.exec(QStringLiteral("INSERT INTO corpora(name, created_at) VALUES ('music', 'now')")));
    }
    auto reopened = Project::open(path);
    QVERIFY2(reopened.ok(), qPrintable(reopened.error()));
    const auto summary = reopened.value()->summary();
    QVERIFY(summary.ok());
    QCOMPARE(summary->schemaVersion, SchemaMigrator::kCurrentVersion);
    QCOMPARE(summary->corpora, 1);
    QCOMPARE(summary->runs, 0);
    const auto corpora = ProjectCatalog::corpora(reopened.value()->database());
    QVERIFY(corpora.ok());
    QCOMPARE(corpora->size(), 1);
    QCOMPARE(corpora->first().name, QStringLiteral("music"));
}

void TestProject::createRefusesExistingFile()
{
    const QString path = m_dir->path(QStringLiteral("exists.tstudio"));
    writeBytes(path, "keep me");
    const auto project = Project::create(path);
    QVERIFY(!project.ok());
    QVERIFY(project.error().contains(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("keep me"));
}

void TestProject::freshProjectHasCurrentSchema()
{
    auto project = Project::create(m_dir->path(QStringLiteral("s.tstudio")));
    QVERIFY(project.ok());
    QSqlQuery query(project.value()->database());
    QVERIFY(query.exec(QStringLiteral("PRAGMA journal_mode")) && query.next());
    QCOMPARE(query.value(0).toString(), QStringLiteral("wal"));
    QVERIFY(query.exec(QStringLiteral("PRAGMA foreign_keys")) && query.next());
    QCOMPARE(query.value(0).toInt(), 1);
    for (const char *table : {"corpora", "documents", "models", "runs", "metrics", "run_groups", "artifacts", "labels", "imports"})
        QVERIFY2(countRows(*project.value(), QLatin1String(table)) == 0, table);
    QVERIFY(query.exec(QStringLiteral("PRAGMA integrity_check")) && query.next());
    QCOMPARE(query.value(0).toString(), QStringLiteral("ok"));
}

void TestProject::upgradesVersion1Fixture()
{
    const QString path = m_dir->path(QStringLiteral("v1.tstudio"));
    buildFromScript(QStringLiteral(TS_TEST_DATA_DIR "/project-v1.sql"), path);

    // Read-only opening does not upgrade: it says how to.
    const auto readOnly = Project::open(path, Project::Access::ReadOnly);
    QVERIFY(!readOnly.ok());
    QVERIFY2(readOnly.error().contains(QLatin1String("older project format 1")), qPrintable(readOnly.error()));

    auto project = Project::open(path);
    QVERIFY2(project.ok(), qPrintable(project.error()));
    const auto summary = project.value()->summary();
    QVERIFY(summary.ok());
    QCOMPARE(summary->schemaVersion, SchemaMigrator::kCurrentVersion);
    QCOMPARE(summary->corpora, 2);
    QCOMPARE(summary->documents, 4);
    QCOMPARE(summary->models, 1);
    QCOMPARE(summary->runs, 1);
    QCOMPARE(summary->metrics, 2);
    // Version 2's additions are usable on the upgraded file.
    QSqlQuery query(project.value()->database());
    QVERIFY(query.exec(QStringLiteral("INSERT INTO run_groups(name, created_at) VALUES ('seeds', 'now')")));
    QVERIFY2(query.exec(QStringLiteral("UPDATE runs SET group_id = 1 WHERE id = 1")), qPrintable(query.lastError().text()));
    QVERIFY(query.exec(QStringLiteral("INSERT INTO artifacts(run_id, kind, step, data, created_at) "
                                      "VALUES (1, 'checkpoint', 10, x'00ff', 'now')")));
}

void TestProject::upgradeToVersion5ClearsFingerprints()
{
    // A version 4 file: the hash index and fingerprints of the old function.
    const QString path = m_dir->path(QStringLiteral("v4.tstudio"));
    {
        auto project = Project::create(path);
        QVERIFY(project.ok());
        QSqlQuery query(project.value()->database());
        QVERIFY(query.exec(QStringLiteral("INSERT INTO corpora(name, created_at) VALUES ('c', 'now')")));
        QVERIFY(query.exec(QStringLiteral("INSERT INTO documents(corpus_id, split, text, text_hash) "
                                          "VALUES (1, 'unlabeled', 'some text', 12345)")));
        QVERIFY(query.exec(QStringLiteral("CREATE INDEX documents_by_hash ON documents(corpus_id, text_hash)")));
        // Without what later versions add.
        QVERIFY(query.exec(QStringLiteral("DROP TABLE slurm_jobs")));
        QVERIFY(query.exec(QStringLiteral("DROP TABLE predictions")));
        QVERIFY(query.exec(QStringLiteral("DROP TABLE run_evaluations")));
        QVERIFY(query.exec(QStringLiteral("UPDATE meta SET value = '4' WHERE key = 'schema_version'")));
    }
    auto project = Project::open(path);
    QVERIFY2(project.ok(), qPrintable(project.error()));
    QSqlQuery query(project.value()->database());
    QVERIFY(query.exec(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 'documents_by_hash'")));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toInt(), 0);
    QVERIFY(query.exec(QStringLiteral("SELECT count(*) FROM documents WHERE text_hash IS NULL")));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toInt(), 1); // recomputed by the next import into the corpus
}

void TestProject::failedUpgradeRollsBack()
{
    // A version 1 file that already has a table named like one version 2 adds: the upgrade fails
    // half-way, and the transaction must leave the file as it was.
    const QString path = m_dir->path(QStringLiteral("clash.tstudio"));
    buildFromScript(QStringLiteral(TS_TEST_DATA_DIR "/project-v1.sql"), path);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("clash"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery(db).exec(QStringLiteral("CREATE TABLE artifacts(x)"));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("clash"));
    const QByteArray before = test::fileDigest(path);

    const auto project = Project::open(path);
    QVERIFY(!project.ok());
    QVERIFY2(project.error().contains(QLatin1String("version 2")), qPrintable(project.error()));
    QCOMPARE(test::fileDigest(path), before);
}

void TestProject::refusesNewerVersion()
{
    const QString path = m_dir->path(QStringLiteral("future.tstudio"));
    {
        auto project = Project::create(path);
        QVERIFY(project.ok());
        QSqlQuery query(project.value()->database());
        QVERIFY(query.exec(QStringLiteral("UPDATE meta SET value = '99' WHERE key = 'schema_version'")));
    }
    const QByteArray before = test::fileDigest(path);
    const auto project = Project::open(path);
    QVERIFY(!project.ok());
    QVERIFY2(project.error().contains(QLatin1String("newer")), qPrintable(project.error()));
    QVERIFY(project.error().contains(path));
    QCOMPARE(test::fileDigest(path), before);
}

void TestProject::refusesNonProjectFiles_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    QByteArray random(64 * 1024, '\0');
    QRandomGenerator generator(7);
    for (char &c : random)
        c = char(generator.bounded(256));
    QTest::newRow("empty") << QByteArray() << QStringLiteral("not an SQLite database");
    QTest::newRow("random bytes") << random << QStringLiteral("not an SQLite database");
    QTest::newRow("text") << QByteArray("label\ttext\n1\tgreat\n") << QStringLiteral("not an SQLite database");
    QTest::newRow("sqlite magic then garbage")
        << QByteArray("SQLite format 3\0", 16) + random << QStringLiteral("project");
}

void TestProject::refusesNonProjectFiles()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const QString path = m_dir->path(QStringLiteral("bad.tstudio"));
    writeBytes(path, bytes);
    for (const Project::Access access : {Project::Access::ReadOnly, Project::Access::ReadWrite}) {
        const auto project = Project::open(path, access);
        QVERIFY(!project.ok());
        QVERIFY2(project.error().contains(expected), qPrintable(project.error()));
        QVERIFY2(project.error().contains(path), qPrintable(project.error()));
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), bytes);
    QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
}

void TestProject::refusesTruncatedProject()
{
    const QString path = m_dir->path(QStringLiteral("truncated.tstudio"));
    {
        auto project = Project::create(path);
        QVERIFY(project.ok());
        QSqlQuery query(project.value()->database());
        QVERIFY(query.exec(QStringLiteral("INSERT INTO corpora(name, created_at) VALUES ('c', 'now')")));
        const QString text = QString(2000, QLatin1Char('x'));
        for (int i = 0; i < 200; ++i) {
            query.prepare(QStringLiteral("INSERT INTO documents(corpus_id, split, text) VALUES (1, 'train', ?)"));
            query.addBindValue(text + QString::number(i));
            QVERIFY(query.exec());
        }
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.size() > 100 * 1024);
    QVERIFY(file.resize(file.size() / 3));
    file.close();
    const QByteArray before = test::fileDigest(path);

    const auto project = Project::open(path);
    QVERIFY(!project.ok());
    QVERIFY2(project.error().contains(QLatin1String("damaged")), qPrintable(project.error()));
    QCOMPARE(test::fileDigest(path), before);
}

void TestProject::readOnlyOpenNeverWrites()
{
    const QString path = m_dir->path(QStringLiteral("ro.tstudio"));
    QVERIFY(Project::create(path).ok());
    const QByteArray before = test::fileDigest(path);
    auto project = Project::open(path, Project::Access::ReadOnly);
    QVERIFY2(project.ok(), qPrintable(project.error()));
    QVERIFY(project.value()->summary().ok());
    QSqlQuery query(project.value()->database());
    QVERIFY(!query.exec(QStringLiteral("INSERT INTO corpora(name, created_at) VALUES ('c', 'now')")));
    query.finish();
    project.value().reset();
    QCOMPARE(test::fileDigest(path), before);
}

void TestProject::transactionIsAllOrNothing()
{
    auto project = Project::create(m_dir->path(QStringLiteral("tx.tstudio")));
    QVERIFY(project.ok());
    const Status failed = project.value()->transaction([](QSqlDatabase &db) {
        QSqlQuery query(db);
        query.exec(QStringLiteral("INSERT INTO corpora(name, created_at) VALUES ('half', 'now')"));
        return Status::failure(QStringLiteral("cancelled by the user"));
    });
    QVERIFY(!failed.ok());
    QCOMPARE(failed.error(), QStringLiteral("cancelled by the user"));
    QCOMPARE(countRows(*project.value(), QStringLiteral("corpora")), 0);

    const Status committed = project.value()->transaction([](QSqlDatabase &db) {
        QSqlQuery query(db);
        if (!query.exec(QStringLiteral("INSERT INTO corpora(name, created_at) VALUES ('whole', 'now')")))
            return Status::failure(query.lastError().text());
        return Status();
    });
    QVERIFY2(committed.ok(), qPrintable(committed.error()));
    QCOMPARE(countRows(*project.value(), QStringLiteral("corpora")), 1);
}

void TestProject::foreignKeysAreEnforced()
{
    auto project = Project::create(m_dir->path(QStringLiteral("fk.tstudio")));
    QVERIFY(project.ok());
    QSqlQuery query(project.value()->database());
    QVERIFY(!query.exec(QStringLiteral("INSERT INTO documents(corpus_id, split, text) VALUES (42, 'train', 'x')")));
    QVERIFY(query.exec(QStringLiteral("INSERT INTO corpora(id, name, created_at) VALUES (1, 'c', 'now')")));
    QVERIFY(query.exec(QStringLiteral("INSERT INTO documents(corpus_id, split, text) VALUES (1, 'train', 'x')")));
    QVERIFY(query.exec(QStringLiteral("DELETE FROM corpora WHERE id = 1")));
    QCOMPARE(countRows(*project.value(), QStringLiteral("documents")), 0);
}

void TestProject::writerThreadAndReaderAtOnce()
{
    // A worker thread writes metrics in batched transactions through its own connection while
    // this thread reads: the reader never sees a partial batch and never fails.
    const QString path = m_dir->path(QStringLiteral("threads.tstudio"));
    {
        auto project = Project::create(path);
        QVERIFY(project.ok());
        QSqlQuery query(project.value()->database());
        QVERIFY(query.exec(QStringLiteral("INSERT INTO runs(id, strategy, init_seed, data_seed, status, created_at) "
                                          "VALUES (1, 'source-only', 1, 2, 'running', 'now')")));
    }
    constexpr int kBatches = 60;
    constexpr int kBatchRows = 50;
    std::atomic<bool> writerOk{true};
    QString writerError;
    QThread *writer = QThread::create([&] {
        auto project = Project::open(path);
        if (!project) {
            writerError = project.error();
            writerOk = false;
            return;
        }
        for (int batch = 0; batch < kBatches && writerOk; ++batch) {
            const Status s = project.value()->transaction([batch](QSqlDatabase &db) {
                QSqlQuery insert(db);
                insert.prepare(QStringLiteral("INSERT INTO metrics(run_id, step, epoch, split, metric, value, time) "
                                              "VALUES (1, ?, 0, 'target/validation', 'loss', ?, 0)"));
                for (int row = 0; row < kBatchRows; ++row) {
                    insert.addBindValue(batch * kBatchRows + row);
                    insert.addBindValue(1.0 / (1 + row));
                    if (!insert.exec())
                        return Status::failure(insert.lastError().text());
                }
                return Status();
            });
            if (!s) {
                writerError = s.error();
                writerOk = false;
            }
        }
    });
    writer->start();

    auto reader = Project::open(path, Project::Access::ReadOnly);
    QVERIFY2(reader.ok(), qPrintable(reader.error()));
    int reads = 0;
    while (!writer->isFinished() || reads == 0) {
        const auto summary = reader.value()->summary();
        QVERIFY2(summary.ok(), qPrintable(summary.error()));
        QCOMPARE(summary->metrics % kBatchRows, 0);
        ++reads;
    }
    writer->wait();
    delete writer;
    QVERIFY2(writerOk, qPrintable(writerError));
    QCOMPARE(reader.value()->summary()->metrics, qint64(kBatches * kBatchRows));
    QVERIFY(reads > 1);
}

QTEST_GUILESS_MAIN(TestProject)
#include "tst_project.moc"
