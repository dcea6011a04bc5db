// transfer-studio-cli's program-level behaviour and its project verbs (create, info),
// run as a separate process exactly as a user runs it.
#include "CliRunner.h"
#include "TempProject.h"

#include "project/SchemaMigrator.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTest>

using namespace ts;
using test::runCli;

class TestCliProject : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helpListsVerbs();
    void versionPrintsVersion();
    void unknownVerbIsUsageError();
    void createThenInfoJson();
    void infoHumanReadable();
    void createRefusesExisting();
    void infoOnRandomBytesLeavesFileUnchanged();
    void infoOnMissingFile();
    void verbHelp();
};

void TestCliProject::helpListsVerbs()
{
    const auto r = runCli({QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QLatin1String("create")));
    QVERIFY(r.out.contains(QLatin1String("info")));
}

void TestCliProject::versionPrintsVersion()
{
    const auto r = runCli({QStringLiteral("--version")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith(QLatin1String("transfer-studio-cli ")));
}

void TestCliProject::unknownVerbIsUsageError()
{
    const auto r = runCli({QStringLiteral("frobnicate")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.startsWith(QLatin1String("error: unknown verb 'frobnicate'")));
}

void TestCliProject::createThenInfoJson()
{
    test::TempFolder dir;
    const QString path = dir.path(QStringLiteral("a.tstudio"));
    const auto created = runCli({QStringLiteral("create"), path});
    QCOMPARE(created.exitCode, 0);
    const auto info = runCli({QStringLiteral("info"), path, QStringLiteral("--json")});
    QCOMPARE(info.exitCode, 0);
    QJsonParseError parseError;
    const QJsonObject json = QJsonDocument::fromJson(info.out.toUtf8(), &parseError).object();
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QCOMPARE(json.value(QLatin1String("schema_version")).toInt(), SchemaMigrator::kCurrentVersion);
    for (const char *key : {"corpora", "documents", "models", "runs", "metrics"}) {
        QVERIFY2(json.contains(QLatin1String(key)), key);
        QCOMPARE(json.value(QLatin1String(key)).toInt(-1), 0);
    }

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
    db.setDatabaseName(path);
    QVERIFY(db.open());
    QSqlQuery query(db);
    QVERIFY(query.exec(QStringLiteral("PRAGMA integrity_check")) && query.next());
    QCOMPARE(query.value(0).toString(), QStringLiteral("ok"));
}

void TestCliProject::infoHumanReadable()
{
    test::TempFolder dir;
    const QString path = dir.path(QStringLiteral("h.tstudio"));
    QCOMPARE(runCli({QStringLiteral("create"), path}).exitCode, 0);
    const auto info = runCli({QStringLiteral("info"), path});
    QCOMPARE(info.exitCode, 0);
    QVERIFY(info.out.contains(QStringLiteral("format version: %1").arg(SchemaMigrator::kCurrentVersion)));
}

void TestCliProject::createRefusesExisting()
{
    test::TempFolder dir;
    const QString path = dir.path(QStringLiteral("twice.tstudio"));
    QCOMPARE(runCli({QStringLiteral("create"), path}).exitCode, 0);
    const auto again = runCli({QStringLiteral("create"), path});
    QCOMPARE(again.exitCode, 1);
    QVERIFY(again.err.startsWith(QLatin1String("error: ")));
    QVERIFY(again.err.contains(QLatin1String("already exists")));
}

void TestCliProject::infoOnRandomBytesLeavesFileUnchanged()
{
    test::TempFolder dir;
    const QString path = dir.path(QStringLiteral("random.tstudio"));
    QByteArray bytes(4096, '\0');
    QRandomGenerator generator(11);
    for (char &c : bytes)
        c = char(generator.bounded(256));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }
    const QByteArray before = test::fileDigest(path);
    for (const QStringList &args : {QStringList{QStringLiteral("info"), path},
                                    QStringList{QStringLiteral("info"), path, QStringLiteral("--json")}}) {
        const auto r = runCli(args);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.startsWith(QLatin1String("error: ")), qPrintable(r.err));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
        QVERIFY(r.err.contains(path));
    }
    QCOMPARE(test::fileDigest(path), before);
}

void TestCliProject::infoOnMissingFile()
{
    const auto r = runCli({QStringLiteral("info"), QStringLiteral("/nonexistent/x.tstudio")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains(QLatin1String("no such file")));
}

void TestCliProject::verbHelp()
{
    const auto r = runCli({QStringLiteral("info"), QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QLatin1String("--json")));
    // The usage line names the program and the verb, not the binary's path.
    QVERIFY2(r.out.startsWith(QLatin1String("Usage: transfer-studio-cli info [options] PROJECT")), qPrintable(r.out));
    const auto missing = runCli({QStringLiteral("info")});
    QCOMPARE(missing.exitCode, 2);
}

QTEST_GUILESS_MAIN(TestCliProject)
#include "tst_cliproject.moc"
