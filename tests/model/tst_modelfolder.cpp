// Model folders and configs: config.json validation (every field named in errors, absurd sizes
// refused before allocation), pickle refusal, sharded checkpoints that must stay inside their folder,
// and strict loading (missing / unexpected / mis-shaped tensors listed, fresh heads reported).
#include "ModelFixtures.h"
#include "TempProject.h"

#include "model/ModelConfig.h"
#include "model/ModelFolder.h"
#include "model/nn/ModelLoader.h"
#include "model/nn/SafeTensorsWriter.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ts;

namespace {

constexpr qint64 kGiB = qint64(1) << 30;

QString fixture(const QString &name)
{
    return QStringLiteral(TS_TEST_DATA_DIR "/models/") + name;
}

QJsonObject fixtureConfig(const QString &name)
{
    QFile file(fixture(name) + QStringLiteral("/config.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QByteArray toJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

/// A copy of fixture `name` (config.json + model.safetensors) in `dir`, with `config` if given.
void copyFixture(const QString &name, const QString &dir, const QJsonObject &config = {})
{
    QVERIFY(QDir().mkpath(dir));
    writeFile(dir + QStringLiteral("/config.json"), toJson(config.isEmpty() ? fixtureConfig(name) : config));
    QVERIFY(QFile::copy(fixture(name) + QStringLiteral("/model.safetensors"), dir + QStringLiteral("/model.safetensors")));
}

/// A BERT-base config.json (110M parameters).
QJsonObject bertBase()
{
    return QJsonObject{{"model_type", "bert"}, {"vocab_size", 30522}, {"hidden_size", 768},
                       {"num_hidden_layers", 12}, {"num_attention_heads", 12}, {"intermediate_size", 3072},
                       {"max_position_embeddings", 512}, {"type_vocab_size", 2}};
}

qint64 parameterCount(const torch::nn::Module &module)
{
    qint64 count = 0;
    for (const torch::Tensor &parameter : module.parameters())
        count += parameter.numel();
    return count;
}

} // namespace

class TestModelFolder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void parsesEveryFixture_data();
    void parsesEveryFixture();
    void refusesBadFields_data();
    void refusesBadFields();
    void refusesTrillionParametersBeforeAllocating();
    void estimatesTrainingMemory();
    void refusesPickleOnlyFolder();
    void refusesFolderWithoutConfigOrWeights();
    void loadsShardedCheckpoint();
    void refusesShardsOutsideFolder_data();
    void refusesShardsOutsideFolder();
    void refusesTruncatedWeights();
    void refusesWeightsThatDisagreeWithConfig();
    void listsEveryMissingAndUnexpectedTensor();
    void reportsFreshHeadAndIgnoredTensors();
    void strictHeadWhenFreshHeadsAreRefused();
    void refusesTaskTheFamilyLacks();
    void freezingALayerStopsItsGradients();

private:
    std::unique_ptr<test::TempFolder> m_temp;
};

void TestModelFolder::init()
{
    m_temp = std::make_unique<test::TempFolder>();
}

void TestModelFolder::parsesEveryFixture_data()
{
    test::addFamilyFixtureRows();
}

void TestModelFolder::parsesEveryFixture()
{
    QFETCH(QString, folder);
    QFETCH(int, family);
    const auto inspected = ModelFolder::inspect(fixture(folder));
    QVERIFY2(inspected.ok(), qPrintable(inspected.error()));
    const ModelConfig &config = inspected->config();
    QCOMPARE(int(config.family), family);
    QCOMPARE(config.hiddenSize, qint64(32));
    QCOMPARE(config.numLayers, qint64(2));
    QCOMPARE(config.numHeads, qint64(4));
    QCOMPARE(config.numKvHeads, qint64(folder == QLatin1String("llama") || folder == QLatin1String("qwen2") ? 2 : 4));
    QCOMPARE(config.vocabSize, qint64(100));
    QCOMPARE(config.numLabels(), 3);
    QCOMPARE(inspected->weightFiles().size(), qsizetype(1));
    QVERIFY(inspected->tokenizerFile().isEmpty());
    auto model = PretrainedModel::create(config, ModelTask::Embedding);
    QVERIFY2(model.ok(), qPrintable(model.error()));
    QCOMPARE(config.parameterCount(), parameterCount(*model.value()->backbone()));
}

void TestModelFolder::refusesBadFields_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QJsonValue>("value"); // null removes the field
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing hidden_size") << "hidden_size" << QJsonValue() << "\"hidden_size\" is missing";
    QTest::newRow("zero layers") << "num_hidden_layers" << QJsonValue(0) << "\"num_hidden_layers\" is 0";
    QTest::newRow("fractional heads") << "num_attention_heads" << QJsonValue(2.5) << "\"num_attention_heads\" is 2.5";
    QTest::newRow("string vocab") << "vocab_size" << QJsonValue("many") << "\"vocab_size\" is \"many\"";
    QTest::newRow("huge vocab") << "vocab_size" << QJsonValue(1e9) << "\"vocab_size\"";
    QTest::newRow("heads do not divide") << "num_attention_heads" << QJsonValue(5) << "not a multiple";
    QTest::newRow("unknown model type") << "model_type" << QJsonValue("t5") << "\"model_type\" is \"t5\"";
    QTest::newRow("unknown activation") << "hidden_act" << QJsonValue("mish") << "\"hidden_act\"";
    QTest::newRow("relative positions") << "position_embedding_type" << QJsonValue("relative_key")
                                        << "\"position_embedding_type\"";
    QTest::newRow("label gap") << "id2label" << QJsonValue(QJsonObject{{"0", "a"}, {"2", "c"}}) << "\"id2label\"";
    QTest::newRow("bad eps") << "layer_norm_eps" << QJsonValue(-1) << "\"layer_norm_eps\"";
}

void TestModelFolder::refusesBadFields()
{
    QFETCH(QString, key);
    QFETCH(QJsonValue, value);
    QFETCH(QString, expected);
    QJsonObject config = fixtureConfig(QStringLiteral("bert"));
    if (value.isNull())
        config.remove(key);
    else
        config.insert(key, value);
    const auto parsed = ModelConfig::fromJson(toJson(config), QStringLiteral("/models/x/config.json"));
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.error().contains(expected), qPrintable(parsed.error()));
    QVERIFY2(parsed.error().startsWith(QStringLiteral("/models/x/config.json")), qPrintable(parsed.error()));
}

void TestModelFolder::refusesTrillionParametersBeforeAllocating()
{
    QJsonObject config = bertBase();
    config.insert(QStringLiteral("hidden_size"), 40960);
    config.insert(QStringLiteral("intermediate_size"), 163840);
    config.insert(QStringLiteral("num_hidden_layers"), 80);
    config.insert(QStringLiteral("num_attention_heads"), 320); // about 1.07e12 parameters: 4 TB in fp32
    const QString dir = m_temp->path(QStringLiteral("huge"));
    copyFixture(QStringLiteral("bert"), dir, config);
    QElapsedTimer timer;
    timer.start();
    const auto loaded = ModelLoader::load(dir, {ModelTask::SequenceClassification});
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().contains(QStringLiteral("billion parameters")), qPrintable(loaded.error()));
    QVERIFY(timer.elapsed() < 5000); // refused from the config alone
    QVERIFY(ModelConfig::fromJson(toJson(bertBase()), QStringLiteral("base")).ok());
}

void TestModelFolder::estimatesTrainingMemory()
{
    const auto config = ModelConfig::fromJson(toJson(bertBase()), QStringLiteral("bert-base"));
    QVERIFY2(config.ok(), qPrintable(config.error()));
    QVERIFY(qAbs(config->parameterCount() - 109482240) < 10); // transformers' BertModel count
    const qint64 fp32 = config->trainingMemoryBytes(32, 128, DType::F32);
    QVERIFY2(fp32 > 2 * kGiB && fp32 < 12 * kGiB, qPrintable(QString::number(fp32)));
    QVERIFY(config->trainingMemoryBytes(64, 128, DType::F32) > fp32);
    QVERIFY(config->trainingMemoryBytes(32, 512, DType::F32) > config->trainingMemoryBytes(32, 256, DType::F32));
    QVERIFY(config->trainingMemoryBytes(32, 128, DType::BF16) < fp32);
}

void TestModelFolder::refusesPickleOnlyFolder()
{
    const QString dir = m_temp->path(QStringLiteral("pickle"));
    QVERIFY(QDir().mkpath(dir));
    writeFile(dir + QStringLiteral("/config.json"), toJson(fixtureConfig(QStringLiteral("bert"))));
    writeFile(dir + QStringLiteral("/pytorch_model.bin"), QByteArray("PK\x03\x04 pickle that must never be read", 36));
    const auto folder = ModelFolder::inspect(dir);
    QVERIFY(!folder.ok());
    QVERIFY2(folder.error().contains(QStringLiteral("pytorch_model.bin")), qPrintable(folder.error()));
    QVERIFY2(folder.error().contains(QStringLiteral("save_pretrained")), qPrintable(folder.error()));
    QVERIFY2(folder.error().contains(QStringLiteral("safe_serialization=True")), qPrintable(folder.error()));
    QVERIFY(!ModelLoader::load(dir).ok());
    // With a safetensors file beside it the pickle is simply never used.
    QVERIFY(QFile::copy(fixture(QStringLiteral("bert/model.safetensors")), dir + QStringLiteral("/model.safetensors")));
    const auto withSafetensors = ModelFolder::inspect(dir);
    QVERIFY2(withSafetensors.ok(), qPrintable(withSafetensors.error()));
    QCOMPARE(withSafetensors->weightFiles(), QStringList{dir + QStringLiteral("/model.safetensors")});
}

void TestModelFolder::refusesFolderWithoutConfigOrWeights()
{
    const QString dir = m_temp->path(QStringLiteral("empty"));
    QVERIFY(QDir().mkpath(dir));
    auto folder = ModelFolder::inspect(dir);
    QVERIFY(!folder.ok());
    QVERIFY2(folder.error().contains(QStringLiteral("config.json")), qPrintable(folder.error()));
    writeFile(dir + QStringLiteral("/config.json"), toJson(fixtureConfig(QStringLiteral("bert"))));
    folder = ModelFolder::inspect(dir);
    QVERIFY(!folder.ok());
    QVERIFY2(folder.error().contains(QStringLiteral("model.safetensors")), qPrintable(folder.error()));
    QVERIFY(!ModelFolder::inspect(m_temp->path(QStringLiteral("absent"))).ok());
}

void TestModelFolder::loadsShardedCheckpoint()
{
    auto tensors = ModelLoader::readFile(fixture(QStringLiteral("bert/model.safetensors")));
    QVERIFY2(tensors.ok(), qPrintable(tensors.error()));
    const QString dir = m_temp->path(QStringLiteral("sharded"));
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/shards")));
    writeFile(dir + QStringLiteral("/config.json"), toJson(fixtureConfig(QStringLiteral("bert"))));
    NamedTensors first, second;
    QJsonObject weightMap;
    int index = 0;
    for (const auto &[name, tensor] : tensors.value()) {
        const bool inFirst = index++ % 2 == 0;
        (inFirst ? first : second)[name] = tensor;
        weightMap.insert(QString::fromStdString(name),
                         inFirst ? QStringLiteral("model-1.safetensors") : QStringLiteral("shards/model-2.safetensors"));
    }
    QVERIFY(SafeTensorsWriter::write(dir + QStringLiteral("/model-1.safetensors"), first).ok());
    QVERIFY(SafeTensorsWriter::write(dir + QStringLiteral("/shards/model-2.safetensors"), second).ok());
    writeFile(dir + QStringLiteral("/model.safetensors.index.json"),
              toJson(QJsonObject{{"metadata", QJsonObject{}}, {"weight_map", weightMap}}));
    const auto sharded = ModelLoader::load(dir, {ModelTask::SequenceClassification});
    QVERIFY2(sharded.ok(), qPrintable(sharded.error()));
    QCOMPARE(sharded->folder.weightFiles().size(), qsizetype(2));
    const auto single = ModelLoader::load(fixture(QStringLiteral("bert")), {ModelTask::SequenceClassification});
    QVERIFY2(single.ok(), qPrintable(single.error()));
    const torch::Tensor ids = torch::randint(5, 100, {2, 6});
    const torch::Tensor mask = torch::ones({2, 6}, torch::kLong);
    torch::NoGradGuard noGrad;
    QVERIFY(torch::equal(sharded->model->forward(ids, mask), single->model->forward(ids, mask)));

    // A shard holding a tensor the index assigns elsewhere is refused.
    weightMap.insert(weightMap.begin().key(), QStringLiteral("shards/model-2.safetensors"));
    writeFile(dir + QStringLiteral("/model.safetensors.index.json"), toJson(QJsonObject{{"weight_map", weightMap}}));
    const auto mismatched = ModelLoader::load(dir, {ModelTask::SequenceClassification});
    QVERIFY(!mismatched.ok());
    QVERIFY2(mismatched.error().contains(QStringLiteral("shard index")), qPrintable(mismatched.error()));
}

void TestModelFolder::refusesShardsOutsideFolder_data()
{
    QTest::addColumn<QString>("reference");
    QTest::addColumn<QString>("expected");
    QTest::newRow("parent") << "../outside.safetensors" << "outside the model folder";
    QTest::newRow("nested parent") << "shards/../../outside.safetensors" << "outside the model folder";
    QTest::newRow("absolute") << "/etc/passwd" << "outside the model folder";
    QTest::newRow("windows drive") << "C:\\weights.safetensors" << "outside the model folder";
    QTest::newRow("backslash parent") << "..\\outside.safetensors" << "outside the model folder";
    QTest::newRow("symlink") << "link.safetensors" << "links outside";
    QTest::newRow("missing") << "model-9.safetensors" << "does not exist";
}

void TestModelFolder::refusesShardsOutsideFolder()
{
    QFETCH(QString, reference);
    QFETCH(QString, expected);
    const QString dir = m_temp->path(QStringLiteral("model"));
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(QFile::copy(fixture(QStringLiteral("bert/model.safetensors")), m_temp->path(QStringLiteral("outside.safetensors"))));
    QVERIFY(QFile::link(m_temp->path(QStringLiteral("outside.safetensors")), dir + QStringLiteral("/link.safetensors")));
    writeFile(dir + QStringLiteral("/config.json"), toJson(fixtureConfig(QStringLiteral("bert"))));
    writeFile(dir + QStringLiteral("/model.safetensors.index.json"),
              toJson(QJsonObject{{"weight_map", QJsonObject{{"bert.embeddings.word_embeddings.weight", reference}}}}));
    const auto folder = ModelFolder::inspect(dir);
    QVERIFY(!folder.ok());
    QVERIFY2(folder.error().contains(expected), qPrintable(folder.error()));
}

void TestModelFolder::refusesTruncatedWeights()
{
    const QString dir = m_temp->path(QStringLiteral("truncated"));
    copyFixture(QStringLiteral("bert"), dir);
    QFile file(dir + QStringLiteral("/model.safetensors"));
    QVERIFY(file.resize(file.size() - 100));
    const auto loaded = ModelLoader::load(dir, {ModelTask::SequenceClassification});
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().contains(QStringLiteral("truncated")), qPrintable(loaded.error()));
}

void TestModelFolder::refusesWeightsThatDisagreeWithConfig()
{
    QJsonObject config = fixtureConfig(QStringLiteral("bert"));
    config.insert(QStringLiteral("intermediate_size"), 48);
    const QString dir = m_temp->path(QStringLiteral("reshaped"));
    copyFixture(QStringLiteral("bert"), dir, config);
    const auto loaded = ModelLoader::load(dir, {ModelTask::SequenceClassification});
    QVERIFY(!loaded.ok());
    const QString &error = loaded.error();
    QVERIFY2(error.contains(QStringLiteral("6 tensor(s) with the wrong shape")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("bert.encoder.layer.0.intermediate.dense.weight (file Float [64, 32], "
                                           "model [48, 32])")),
             qPrintable(error));
}

void TestModelFolder::listsEveryMissingAndUnexpectedTensor()
{
    auto tensors = ModelLoader::readFile(fixture(QStringLiteral("gpt2/model.safetensors")));
    QVERIFY2(tensors.ok(), qPrintable(tensors.error()));
    NamedTensors edited = tensors.value();
    edited.erase("transformer.h.1.ln_2.weight");
    edited.erase("transformer.ln_f.bias");
    edited["transformer.h.7.attn.c_attn.weight"] = torch::zeros({32, 96});
    edited["transformer.wpe.weight"] = torch::zeros({64, 32}, torch::kLong);
    auto model = PretrainedModel::create(ModelFolder::inspect(fixture(QStringLiteral("gpt2")))->config(),
                                         ModelTask::SequenceClassification);
    QVERIFY2(model.ok(), qPrintable(model.error()));
    const auto report = ModelLoader::loadWeights(*model.value(), edited, {}, QStringLiteral("edited"));
    QVERIFY(!report.ok());
    const QString &error = report.error();
    QVERIFY2(error.contains(QStringLiteral("2 missing tensor(s): transformer.h.1.ln_2.weight, transformer.ln_f.bias")),
             qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("1 unexpected tensor(s): transformer.h.7.attn.c_attn.weight")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("transformer.wpe.weight (file Long")), qPrintable(error));
}

void TestModelFolder::reportsFreshHeadAndIgnoredTensors()
{
    // A masked-LM checkpoint loaded for classification: the classifier and BERT's pooler are new.
    const auto loaded = ModelLoader::load(fixture(QStringLiteral("bert-lm")), {ModelTask::SequenceClassification, 5});
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    const LoadReport &report = loaded->report;
    QCOMPARE(report.initialised, (QStringList{"bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight",
                                              "classifier.bias"}));
    QVERIFY(report.ignored.contains(QStringLiteral("cls.predictions.bias")));
    QCOMPARE(loaded->model->config().numLabels(), 5);
    torch::NoGradGuard noGrad;
    const torch::Tensor logits = loaded->model->forward(torch::randint(5, 100, {3, 7}), torch::ones({3, 7}));
    QCOMPARE(logits.sizes(), (torch::IntArrayRef{3, 5}));
    QVERIFY(torch::isfinite(logits).all().item<bool>());
}

void TestModelFolder::strictHeadWhenFreshHeadsAreRefused()
{
    LoadOptions options{ModelTask::CausalLm};
    options.allowFreshHead = false;
    const auto tied = ModelLoader::load(fixture(QStringLiteral("gpt2-lm")), options); // tied head: nothing to load
    QVERIFY2(tied.ok(), qPrintable(tied.error()));
    options.task = ModelTask::SequenceClassification;
    const auto loaded = ModelLoader::load(fixture(QStringLiteral("gpt2-lm")), options);
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().contains(QStringLiteral("1 missing tensor(s): score.weight")), qPrintable(loaded.error()));
}

void TestModelFolder::refusesTaskTheFamilyLacks()
{
    const auto gpt2 = ModelLoader::load(fixture(QStringLiteral("gpt2")), {ModelTask::MaskedLm});
    QVERIFY(!gpt2.ok());
    QVERIFY2(gpt2.error().contains(QStringLiteral("masked-LM")), qPrintable(gpt2.error()));
    QVERIFY(!ModelLoader::load(fixture(QStringLiteral("bert")), {ModelTask::CausalLm}).ok());
}

void TestModelFolder::freezingALayerStopsItsGradients()
{
    auto loaded = ModelLoader::load(fixture(QStringLiteral("llama")), {ModelTask::SequenceClassification});
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    PretrainedModel &model = *loaded->model;
    model.train();
    QVERIFY(model.head()->is_training());
    for (torch::Tensor &parameter : model.backbone()->layers().front()->parameters())
        parameter.set_requires_grad(false);
    for (torch::Tensor &parameter : model.backbone()->embeddings()->parameters())
        parameter.set_requires_grad(false);
    const torch::Tensor ids = torch::randint(5, 100, {2, 6});
    model.forward(ids, torch::ones({2, 6})).sum().backward();
    for (const auto &item : model.named_parameters()) {
        const bool frozen = item.key().rfind("model.layers.0.", 0) == 0 || item.key() == "model.embed_tokens.weight";
        QVERIFY2(item.value().grad().defined() != frozen, item.key().c_str());
    }
}

QTEST_GUILESS_MAIN(TestModelFolder)
#include "tst_modelfolder.moc"
