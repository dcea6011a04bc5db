// Hostile model files and project files, beyond what tests/model covers (truncated and malformed
// safetensors, absurd config fields, pickle-only folders, index entries with "..", absolute paths
// or links): sizes a project file asks for are checked before anything is allocated, no pickle is
// ever opened, and no file reference, in a model folder or in a project, reaches outside its folder.
#include "CliRunner.h"
#include "TempProject.h"

#include "model/ModelFolder.h"
#include "model/ModelRegistry.h"
#include "project/Project.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

const QString kBertFixture = QStringLiteral(TS_TEST_DATA_DIR "/models/bert");
// Bytes that start like a PyTorch pickle archive (a zip); never to be opened.
const QByteArray kPickleBytes("PK\x03\x04 pickle that must never be read", 36);

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// BERT's fixture config.json grown to about 1.07e12 parameters (4 TB of fp32 weights).
QByteArray trillionParameterConfig()
{
    QJsonObject config = QJsonDocument::fromJson(readFile(kBertFixture + QStringLiteral("/config.json"))).object();
    config.insert(QStringLiteral("hidden_size"), 40960);
    config.insert(QStringLiteral("intermediate_size"), 163840);
    config.insert(QStringLiteral("num_hidden_layers"), 80);
    config.insert(QStringLiteral("num_attention_heads"), 320);
    return QJsonDocument(config).toJson(QJsonDocument::Compact);
}

/// A model folder with the BERT fixture's config.json and an index mapping its one tensor to `shard`.
bool writeIndexedFolder(const QString &dir, const QString &shard)
{
    const QJsonObject index{{"weight_map", QJsonObject{{"bert.embeddings.word_embeddings.weight", shard}}}};
    return QDir().mkpath(dir)
        && QFile::copy(kBertFixture + QStringLiteral("/config.json"), dir + QStringLiteral("/config.json"))
        && test::writeFile(dir + QStringLiteral("/model.safetensors.index.json"), QJsonDocument(index).toJson());
}

} // namespace

class TestHostileFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void projectModelAskingForATrillionParametersIsRefused();
    void addModelRefusesATrillionParameterFolder();
    void storedModelFileNamesCannotEscape_data();
    void storedModelFileNamesCannotEscape();
    void indexPointingAtPickleShardIsRefused();
    void cacheSnapshotShardsMayLinkIntoTheirBlobs();
    void cacheSnapshotShardsCannotLinkElsewhere();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_projectPath;
    std::unique_ptr<Project> m_project;
    qint64 m_storedModel = 0; // the BERT fixture stored inside the project
};

void TestHostileFiles::init()
{
    m_project.reset();
    m_dir = std::make_unique<QTemporaryDir>();
    m_projectPath = m_dir->filePath(QStringLiteral("p.tstudio"));
    auto project = Project::create(m_projectPath);
    QVERIFY2(project, qPrintable(project.error()));
    m_project = std::move(project).value();
    QMap<QString, QByteArray> files;
    for (const char *name : {"config.json", "model.safetensors"})
        files.insert(QLatin1String(name), readFile(kBertFixture + QLatin1Char('/') + QLatin1String(name)));
    const auto id = ModelRegistry::addStored(m_project->database(), QStringLiteral("bert"), files);
    QVERIFY2(id, qPrintable(id.error()));
    m_storedModel = id.value();
}

void TestHostileFiles::projectModelAskingForATrillionParametersIsRefused()
{
    QSqlQuery update(m_project->database());
    update.prepare(QStringLiteral("UPDATE models SET config_json = ? WHERE id = ?"));
    update.addBindValue(QString::fromUtf8(trillionParameterConfig()));
    update.addBindValue(m_storedModel);
    QVERIFY(update.exec());
    QElapsedTimer timer;
    timer.start();
    const auto model = ModelRegistry::load(m_project->database(), m_storedModel);
    QVERIFY(!model);
    QVERIFY2(model.error().contains(QLatin1String("billion parameters")), qPrintable(model.error()));
    QVERIFY2(model.error().contains(QLatin1String("bert/config.json")), qPrintable(model.error()));
    QVERIFY(timer.elapsed() < 5000); // refused from the numbers, not by trying to allocate 4 TB
    // The CLI reports it the same way and leaves the project as it was.
    m_project.reset();
    const QByteArray before = test::fileDigest(m_projectPath);
    const auto listed = test::runCli({QStringLiteral("models"), m_projectPath});
    QCOMPARE(listed.exitCode, 1);
    QVERIFY2(listed.err.contains(QLatin1String("billion parameters")), qPrintable(listed.err));
    QCOMPARE(test::fileDigest(m_projectPath), before);
}

void TestHostileFiles::addModelRefusesATrillionParameterFolder()
{
    const QString dir = m_dir->filePath(QStringLiteral("huge"));
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(test::writeFile(dir + QStringLiteral("/config.json"), trillionParameterConfig()));
    QVERIFY(QFile::copy(kBertFixture + QStringLiteral("/model.safetensors"), dir + QStringLiteral("/model.safetensors")));
    m_project.reset();
    QElapsedTimer timer;
    timer.start();
    const auto added = test::runCli({QStringLiteral("add-model"), m_projectPath, QStringLiteral("--hf-dir"), dir});
    QCOMPARE(added.exitCode, 1);
    QVERIFY2(added.err.contains(QLatin1String("billion parameters")), qPrintable(added.err));
    QVERIFY(timer.elapsed() < 30000);
}

void TestHostileFiles::storedModelFileNamesCannotEscape_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("parent") << "../escaped.json";
    QTest::newRow("absolute") << m_dir->filePath(QStringLiteral("escaped.json"));
    QTest::newRow("subfolder") << "sub/escaped.json";
    QTest::newRow("backslash parent") << "..\\escaped.json";
    QTest::newRow("dot file") << ".escaped.json";
}

void TestHostileFiles::storedModelFileNamesCannotEscape()
{
    QFETCH(QString, name);
    QSqlQuery update(m_project->database());
    update.prepare(QStringLiteral("UPDATE artifacts SET name = ? WHERE model_id = ? AND name = 'config.json'"));
    update.addBindValue(name);
    update.addBindValue(m_storedModel);
    QVERIFY(update.exec());
    QCOMPARE(update.numRowsAffected(), 1);
    const auto model = ModelRegistry::load(m_project->database(), m_storedModel);
    QVERIFY2(model, qPrintable(model.error()));
    const QString scratch = m_dir->filePath(QStringLiteral("scratch/inner"));
    QVERIFY(QDir().mkpath(scratch));
    const auto dir = ModelRegistry::materialize(m_project->database(), model.value(), scratch);
    QVERIFY(!dir);
    QVERIFY2(dir.error().contains(QLatin1String("unsafe name")) && dir.error().contains(name), qPrintable(dir.error()));
    for (const QString &place : {m_dir->path(), m_dir->filePath(QStringLiteral("scratch")), scratch})
        QVERIFY2(!QDir(place).entryList({QStringLiteral("*escaped*")}, QDir::AllEntries | QDir::Hidden).size(), qPrintable(place));
}

void TestHostileFiles::indexPointingAtPickleShardIsRefused()
{
    const QString dir = m_dir->filePath(QStringLiteral("pickled-shards"));
    QVERIFY(writeIndexedFolder(dir, QStringLiteral("pytorch_model-00001-of-00001.bin")));
    QVERIFY(test::writeFile(dir + QStringLiteral("/pytorch_model-00001-of-00001.bin"), kPickleBytes));
    const auto folder = ModelFolder::inspect(dir);
    QVERIFY(!folder);
    QVERIFY2(folder.error().contains(QLatin1String("pytorch_model-00001-of-00001.bin")), qPrintable(folder.error()));
    QVERIFY2(folder.error().contains(QLatin1String("pickle")), qPrintable(folder.error()));
    QVERIFY2(folder.error().contains(QLatin1String("safe_serialization=True")), qPrintable(folder.error()));
}

void TestHostileFiles::cacheSnapshotShardsMayLinkIntoTheirBlobs()
{
    // The Hugging Face cache layout: snapshots/<revision>/<file> links to ../../blobs/<hash>.
    const QString repo = m_dir->filePath(QStringLiteral("hub/models--org--bert"));
    const QString snapshot = repo + QStringLiteral("/snapshots/0123abcd");
    QVERIFY(QDir().mkpath(repo + QStringLiteral("/blobs")));
    QVERIFY(writeIndexedFolder(snapshot, QStringLiteral("model-00001-of-00001.safetensors")));
    QVERIFY(QFile::copy(kBertFixture + QStringLiteral("/model.safetensors"), repo + QStringLiteral("/blobs/5f3a")));
    QVERIFY(QFile::link(QStringLiteral("../../blobs/5f3a"), snapshot + QStringLiteral("/model-00001-of-00001.safetensors")));
    const auto folder = ModelFolder::inspect(snapshot);
    QVERIFY2(folder, qPrintable(folder.error()));
    QCOMPARE(folder->weightFiles(), QStringList{snapshot + QStringLiteral("/model-00001-of-00001.safetensors")});
}

void TestHostileFiles::cacheSnapshotShardsCannotLinkElsewhere()
{
    const QString repo = m_dir->filePath(QStringLiteral("hub/models--org--bert"));
    const QString snapshot = repo + QStringLiteral("/snapshots/0123abcd");
    QVERIFY(QDir().mkpath(repo + QStringLiteral("/blobs")));
    QVERIFY(writeIndexedFolder(snapshot, QStringLiteral("model-00001-of-00001.safetensors")));
    // Another repository's blob, and a file outside the cache: both outside this snapshot's blobs.
    const QString other = m_dir->filePath(QStringLiteral("hub/models--org--other/blobs"));
    QVERIFY(QDir().mkpath(other));
    QVERIFY(QFile::copy(kBertFixture + QStringLiteral("/model.safetensors"), other + QStringLiteral("/5f3a")));
    for (const QString &target : {other + QStringLiteral("/5f3a"), kBertFixture + QStringLiteral("/model.safetensors")}) {
        QFile::remove(snapshot + QStringLiteral("/model-00001-of-00001.safetensors"));
        QVERIFY(QFile::link(target, snapshot + QStringLiteral("/model-00001-of-00001.safetensors")));
        const auto folder = ModelFolder::inspect(snapshot);
        QVERIFY2(!folder, qPrintable(target));
        QVERIFY2(folder.error().contains(QLatin1String("links outside the model folder")), qPrintable(folder.error()));
    }
}

QTEST_GUILESS_MAIN(TestHostileFiles)
#include "tst_hostilefiles.moc"
