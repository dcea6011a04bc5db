// The Hugging Face cache scan on a fake hub folder laid out as huggingface_hub writes it
// (models--ORG--NAME/{blobs,refs,snapshots/<hash>}, snapshot files linking to blobs): usable models
// listed with their facts, broken repos skipped with the reason, refs/main followed.
#include "TempProject.h"

#include "model/HuggingFaceCache.h"
#include "model/ModelFolder.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace ts;

namespace {

const QString kFixtureDir = QStringLiteral(TS_TEST_DATA_DIR "/models/bert");
const QString kTokenizer = QStringLiteral(TS_TEST_DATA_DIR "/tokenizers/bert-uncased.tokenizer.json");

/// Puts `source` into `repo`'s blobs and links it as `name` in snapshot `hash`, as the hub does.
bool addCachedFile(const QString &repo, const QString &hash, const QString &name, const QString &source)
{
    const QString blob = QStringLiteral("blobs/%1-%2").arg(hash, name);
    const QString snapshot = QStringLiteral("%1/snapshots/%2").arg(repo, hash);
    return QDir().mkpath(repo + QStringLiteral("/blobs")) && QDir().mkpath(snapshot)
        && QFile::copy(source, QStringLiteral("%1/%2").arg(repo, blob))
        && QFile::link(QStringLiteral("../../") + blob, QStringLiteral("%1/%2").arg(snapshot, name));
}

bool writeText(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return QDir().mkpath(QFileInfo(path).path()) && file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

/// A complete cached BERT repo `org/name` at snapshot `hash`.
bool addBertRepo(const QString &hub, const QString &repoFolder, const QString &hash)
{
    const QString repo = QDir(hub).filePath(repoFolder);
    return addCachedFile(repo, hash, QStringLiteral("config.json"), kFixtureDir + QStringLiteral("/config.json"))
        && addCachedFile(repo, hash, QStringLiteral("model.safetensors"), kFixtureDir + QStringLiteral("/model.safetensors"))
        && addCachedFile(repo, hash, QStringLiteral("tokenizer.json"), kTokenizer);
}

} // namespace

class TestHuggingFaceCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void listsUsableModel();
    void skipsBrokenReposWithReason();
    void followsRefsMain();
    void missingHubIsEmpty();
    void defaultHubDirFollowsEnvironment();

private:
    std::unique_ptr<test::TempFolder> m_dir;
    QString m_hub;
};

void TestHuggingFaceCache::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    m_hub = m_dir->path(QStringLiteral("hub"));
    QVERIFY(QDir().mkpath(m_hub));
}

void TestHuggingFaceCache::listsUsableModel()
{
    QVERIFY(addBertRepo(m_hub, QStringLiteral("models--acme--tiny-bert"), QStringLiteral("abc123")));
    QVERIFY(QDir().mkpath(m_hub + QStringLiteral("/datasets--acme--reviews/snapshots/x"))); // not a model: ignored
    const HuggingFaceCache::Listing listing = HuggingFaceCache::scan(m_hub);
    QCOMPARE(listing.skipped, QStringList());
    QCOMPARE(listing.models.size(), 1);
    const HuggingFaceCache::Entry &entry = listing.models.first();
    QCOMPARE(entry.repoId, QStringLiteral("acme/tiny-bert"));
    QCOMPARE(entry.folder, QDir(m_hub).absoluteFilePath(QStringLiteral("models--acme--tiny-bert/snapshots/abc123")));
    QCOMPARE(entry.architecture, QStringLiteral("bert"));
    QVERIFY(entry.hasTokenizer);
    const auto folder = ModelFolder::inspect(entry.folder);
    QVERIFY2(folder, qPrintable(folder.error()));
    QCOMPARE(entry.parameters, folder->config().parameterCount());
    QCOMPARE(entry.config.vocabSize, qint64(100));
    QCOMPARE(entry.config.maxPositions, qint64(64));
}

void TestHuggingFaceCache::skipsBrokenReposWithReason()
{
    QVERIFY(addBertRepo(m_hub, QStringLiteral("models--acme--tiny-bert"), QStringLiteral("abc123")));
    const QString pickled = m_hub + QStringLiteral("/models--acme--pickled/snapshots/def456");
    QVERIFY(addCachedFile(m_hub + QStringLiteral("/models--acme--pickled"), QStringLiteral("def456"),
                          QStringLiteral("config.json"), kFixtureDir + QStringLiteral("/config.json")));
    QVERIFY(writeText(pickled + QStringLiteral("/pytorch_model.bin"), "not opened"));
    QVERIFY(QDir().mkpath(m_hub + QStringLiteral("/models--acme--unfinished/blobs")));
    QVERIFY(writeText(m_hub + QStringLiteral("/models--acme--noconfig/snapshots/1/model.safetensors"), "x"));

    const HuggingFaceCache::Listing listing = HuggingFaceCache::scan(m_hub);
    QCOMPARE(listing.models.size(), 1);
    QCOMPARE(listing.models.first().repoId, QStringLiteral("acme/tiny-bert"));
    QCOMPARE(listing.skipped.size(), 3);
    const QString noConfig = listing.skipped.at(0);
    const QString pickle = listing.skipped.at(1);
    const QString unfinished = listing.skipped.at(2);
    QVERIFY2(noConfig.startsWith(QLatin1String("acme/noconfig: ")) && noConfig.contains(QLatin1String("config.json")),
             qPrintable(noConfig));
    QVERIFY2(pickle.startsWith(QLatin1String("acme/pickled: ")) && pickle.contains(QLatin1String("pytorch_model.bin")),
             qPrintable(pickle));
    QVERIFY2(pickle.contains(QLatin1String("safe_serialization=True")), qPrintable(pickle));
    QVERIFY2(unfinished.startsWith(QLatin1String("acme/unfinished: ")) && unfinished.contains(QLatin1String("no snapshot")),
             qPrintable(unfinished));
}

void TestHuggingFaceCache::followsRefsMain()
{
    const QString repo = QStringLiteral("models--gpt2");
    QVERIFY(addBertRepo(m_hub, repo, QStringLiteral("good")));
    QVERIFY(writeText(m_hub + QStringLiteral("/models--gpt2/snapshots/broken/config.json"), "{}"));
    QVERIFY(writeText(m_hub + QStringLiteral("/models--gpt2/refs/main"), "good\n"));
    const HuggingFaceCache::Listing listing = HuggingFaceCache::scan(m_hub);
    QCOMPARE(listing.skipped, QStringList());
    QCOMPARE(listing.models.size(), 1);
    QCOMPARE(listing.models.first().repoId, QStringLiteral("gpt2"));
    QVERIFY(listing.models.first().folder.endsWith(QLatin1String("/snapshots/good")));

    QVERIFY(writeText(m_hub + QStringLiteral("/models--gpt2/refs/main"), "broken"));
    const HuggingFaceCache::Listing broken = HuggingFaceCache::scan(m_hub);
    QCOMPARE(broken.models.size(), 0);
    QCOMPARE(broken.skipped.size(), 1);
    QVERIFY2(broken.skipped.first().contains(QLatin1String("model_type")), qPrintable(broken.skipped.first()));
}

void TestHuggingFaceCache::missingHubIsEmpty()
{
    const HuggingFaceCache::Listing listing = HuggingFaceCache::scan(m_dir->path(QStringLiteral("nothing-here")));
    QVERIFY(listing.models.isEmpty());
    QVERIFY(listing.skipped.isEmpty());
}

void TestHuggingFaceCache::defaultHubDirFollowsEnvironment()
{
    const QByteArray hubCache = qgetenv("HF_HUB_CACHE");
    const QByteArray home = qgetenv("HF_HOME");
    qunsetenv("HF_HUB_CACHE");
    qputenv("HF_HOME", "/data/hf");
    QCOMPARE(HuggingFaceCache::defaultHubDir(), QStringLiteral("/data/hf/hub"));
    qputenv("HF_HUB_CACHE", "/fast/hub");
    QCOMPARE(HuggingFaceCache::defaultHubDir(), QStringLiteral("/fast/hub"));
    qunsetenv("HF_HUB_CACHE");
    qunsetenv("HF_HOME");
    QCOMPARE(HuggingFaceCache::defaultHubDir(), QDir::home().filePath(QStringLiteral(".cache/huggingface/hub")));
    if (!hubCache.isNull())
        qputenv("HF_HUB_CACHE", hubCache);
    if (!home.isNull())
        qputenv("HF_HOME", home);
}

QTEST_GUILESS_MAIN(TestHuggingFaceCache)
#include "tst_hfcache.moc"
