// Sharded safetensors in a fake Hugging Face cache laid out as huggingface_hub writes it: snapshot
// files are links to ../../blobs/<hash>. The sharded tiny Llama gives the unsharded fixture's logits;
// a missing shard, a tensor in two shards and a shard link leaving the cache are refused, naming the file.
#include "TempProject.h"

#include "model/ModelFolder.h"
#include "model/nn/ModelLoader.h"
#include "model/nn/SafeTensorsWriter.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ts;

namespace {

const QString kFixture = QStringLiteral(TS_TEST_DATA_DIR "/models/llama-lm");
const QString kRepo = QStringLiteral("models--acme--tiny-llama");
const QString kRevision = QStringLiteral("0123abcd");
const QString kShard1 = QStringLiteral("model-00001-of-00002.safetensors");
const QString kShard2 = QStringLiteral("model-00002-of-00002.safetensors");

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class TestShardedCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void shardedSnapshotGivesUnshardedLogits();
    void refusesMissingShard();
    void refusesTensorInTwoShards();
    void refusesShardLinkLeavingTheCache();
    void refusesSingleWeightsLinkLeavingTheCache();

private:
    /// Writes `bytes` as blob `blob` of the repo and links `name` in the snapshot to it.
    bool addCached(const QString &name, const QString &blob, const QByteArray &bytes);
    /// The shards' contents and the index, from the fixture's tensors split in two.
    bool writeShardedSnapshot(bool duplicateTensor = false);
    QString snapshot() const { return m_hub + QStringLiteral("/%1/snapshots/%2").arg(kRepo, kRevision); }

    std::unique_ptr<test::TempFolder> m_dir;
    QString m_hub;
};

void TestShardedCache::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    m_hub = m_dir->path(QStringLiteral("hub"));
    QVERIFY(QDir().mkpath(m_hub + QStringLiteral("/%1/blobs").arg(kRepo)));
    QVERIFY(QDir().mkpath(snapshot()));
}

bool TestShardedCache::addCached(const QString &name, const QString &blob, const QByteArray &bytes)
{
    const QString repo = m_hub + QLatin1Char('/') + kRepo;
    return writeBytes(QStringLiteral("%1/blobs/%2").arg(repo, blob), bytes)
        && QFile::link(QStringLiteral("../../blobs/") + blob, QStringLiteral("%1/%2").arg(snapshot(), name));
}

bool TestShardedCache::writeShardedSnapshot(bool duplicateTensor)
{
    QFile config(kFixture + QStringLiteral("/config.json"));
    if (!config.open(QIODevice::ReadOnly) || !addCached(QStringLiteral("config.json"), QStringLiteral("c0nf"), config.readAll()))
        return false;
    const auto tensors = ModelLoader::readFile(kFixture + QStringLiteral("/model.safetensors"));
    if (!tensors)
        return false;
    NamedTensors first, second;
    QJsonObject weightMap;
    int index = 0;
    for (const auto &[name, tensor] : tensors.value()) {
        const bool inFirst = index++ % 2 == 0;
        (inFirst ? first : second)[name] = tensor;
        if (duplicateTensor && index == 1)
            second[name] = tensor; // listed in shard 1 by the index, stored in both files
        weightMap.insert(QString::fromStdString(name), inFirst ? kShard1 : kShard2);
    }
    const auto bytes1 = SafeTensorsWriter::toBytes(kShard1, first);
    const auto bytes2 = SafeTensorsWriter::toBytes(kShard2, second);
    const QByteArray indexJson = QJsonDocument(QJsonObject{{"metadata", QJsonObject{}}, {"weight_map", weightMap}}).toJson();
    return bytes1 && bytes2 && addCached(kShard1, QStringLiteral("b10b1"), bytes1.value())
        && addCached(kShard2, QStringLiteral("b10b2"), bytes2.value())
        && addCached(QStringLiteral("model.safetensors.index.json"), QStringLiteral("1ndex"), indexJson);
}

void TestShardedCache::shardedSnapshotGivesUnshardedLogits()
{
    QVERIFY(writeShardedSnapshot());
    QVERIFY(QFileInfo(snapshot() + QLatin1Char('/') + kShard1).isSymLink());
    const LoadOptions options{ModelTask::CausalLm};
    const auto sharded = ModelLoader::load(snapshot(), options);
    QVERIFY2(sharded, qPrintable(sharded.error()));
    QCOMPARE(sharded->folder.weightFiles().size(), qsizetype(2));
    const auto single = ModelLoader::load(kFixture, options);
    QVERIFY2(single, qPrintable(single.error()));
    const torch::Tensor ids = torch::randint(3, 100, {2, 7});
    const torch::Tensor mask = torch::ones({2, 7}, torch::kLong);
    torch::NoGradGuard noGrad;
    QVERIFY(torch::equal(sharded->model->forward(ids, mask), single->model->forward(ids, mask)));
}

void TestShardedCache::refusesMissingShard()
{
    QVERIFY(writeShardedSnapshot());
    // An interrupted download: the snapshot's link is there, its blob is not.
    QVERIFY(QFile::remove(m_hub + QStringLiteral("/%1/blobs/b10b2").arg(kRepo)));
    const auto folder = ModelFolder::inspect(snapshot());
    QVERIFY(!folder);
    QVERIFY2(folder.error().contains(kShard2) && folder.error().contains(QLatin1String("does not exist")),
             qPrintable(folder.error()));
}

void TestShardedCache::refusesTensorInTwoShards()
{
    QVERIFY(writeShardedSnapshot(true));
    const auto loaded = ModelLoader::load(snapshot(), {ModelTask::CausalLm});
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().contains(kShard2) && loaded.error().contains(QLatin1String("shard index")),
             qPrintable(loaded.error()));
}

void TestShardedCache::refusesShardLinkLeavingTheCache()
{
    QVERIFY(writeShardedSnapshot());
    // The shard's blob replaced by a link to a file outside the cache (same bytes).
    const QString blob = m_hub + QStringLiteral("/%1/blobs/b10b1").arg(kRepo);
    const QString outside = m_dir->path(QStringLiteral("outside.safetensors"));
    QVERIFY(QFile::rename(blob, outside));
    QVERIFY(QFile::link(outside, blob));
    const auto folder = ModelFolder::inspect(snapshot());
    QVERIFY(!folder);
    QVERIFY2(folder.error().contains(kShard1) && folder.error().contains(QLatin1String("outside")),
             qPrintable(folder.error()));
}

void TestShardedCache::refusesSingleWeightsLinkLeavingTheCache()
{
    QFile config(kFixture + QStringLiteral("/config.json"));
    QVERIFY(config.open(QIODevice::ReadOnly));
    QVERIFY(addCached(QStringLiteral("config.json"), QStringLiteral("c0nf"), config.readAll()));
    const QString outside = m_dir->path(QStringLiteral("outside.safetensors"));
    QVERIFY(QFile::copy(kFixture + QStringLiteral("/model.safetensors"), outside));
    QVERIFY(QFile::link(outside, snapshot() + QStringLiteral("/model.safetensors")));
    const auto folder = ModelFolder::inspect(snapshot());
    QVERIFY(!folder);
    QVERIFY2(folder.error().contains(QLatin1String("model.safetensors")) && folder.error().contains(QLatin1String("outside")),
             qPrintable(folder.error()));
    // The same file linked from inside the repository's blobs is accepted.
    QVERIFY(QFile::remove(snapshot() + QStringLiteral("/model.safetensors")));
    QFile weights(outside);
    QVERIFY(weights.open(QIODevice::ReadOnly));
    QVERIFY(addCached(QStringLiteral("model.safetensors"), QStringLiteral("we1ghts"), weights.readAll()));
    const auto cached = ModelFolder::inspect(snapshot());
    QVERIFY2(cached, qPrintable(cached.error()));
}

QTEST_GUILESS_MAIN(TestShardedCache)
#include "tst_shardedcache.moc"
