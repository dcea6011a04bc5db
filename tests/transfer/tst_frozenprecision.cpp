// Training at size beyond LoRA: on a model stored in bf16, the freeze strategy keeps its frozen
// layers bf16 and bit-identical while the layers it trains become fp32; gradual unfreezing turns a
// block fp32 when it unfreezes, and a resumed run ends exactly where the uninterrupted one does;
// zero-shot scores with the whole backbone in bf16.
#include "SampleRunProject.h"
#include "TempProject.h"

#include "model/BuiltinModels.h"
#include "model/ModelRegistry.h"
#include "model/nn/ModelLoader.h"
#include "model/nn/SafeTensorsWriter.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "train/CheckpointStore.h"
#include "transfer/RunExporter.h"
#include "transfer/TransferRunner.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

const QString kWeights = QStringLiteral("model.safetensors");

RunRequest quickRequest(const QString &strategy, const QString &model)
{
    RunRequest request = test::SampleRunProject::booksToElectronics(strategy, model);
    TrainingConfig &c = request.config;
    c.epochs = 1;
    c.maxTrainExamples = 64;
    c.maxEvalExamples = 32;
    return request;
}

/// The base tensor of exported tensor `name`: named alike, or without the backbone prefix ("bert.", "model.").
NamedTensors::const_iterator baseTensor(const NamedTensors &base, const std::string &name)
{
    auto it = base.find(name);
    for (const std::string prefix : {"bert.", "model."}) {
        if (it == base.end() && name.rfind(prefix, 0) == 0)
            it = base.find(name.substr(prefix.size()));
    }
    return it;
}

bool contains(const std::string &name, const char *part)
{
    return name.find(part) != std::string::npos;
}

} // namespace

class TestFrozenPrecision : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void freezeKeepsFrozenLayersBf16();
    void gradualUnfreezeConvertsOnUnfreeze();
    void gradualUnfreezeResumesExactly();
    void zeroShotScoresWithABf16Backbone();

private:
    /// Registers the built-in configuration `builtin` as `name`, its weights stored in bf16.
    void addBf16Builtin(const QString &builtin, const QString &name);
    /// The tensors of run `runId` as exported.
    NamedTensors exported(qint64 runId);
    /// The base weights of model `name`.
    NamedTensors baseOf(const QString &name);
    /// The tensors of run `runId`'s newest checkpoint.
    NamedTensors checkpointOf(qint64 runId);

    test::SampleRunProject m_project;
    std::vector<std::unique_ptr<QTemporaryDir>> m_scratch;
    QList<QByteArray> m_blobs; // checkpoint images the tensors of checkpointOf() view
};

void TestFrozenPrecision::initTestCase()
{
    const Status created =
        m_project.create(QStringLiteral("precision.tstudio"), {QStringLiteral("books"), QStringLiteral("electronics")});
    QVERIFY2(created.ok(), qPrintable(created.error()));
    addBf16Builtin(QStringLiteral("tiny-encoder"), QStringLiteral("encoder-bf16"));
    addBf16Builtin(QStringLiteral("tiny-decoder"), QStringLiteral("decoder-bf16"));
}

void TestFrozenPrecision::addBf16Builtin(const QString &builtin, const QString &name)
{
    const auto model = BuiltinModels::find(builtin);
    QVERIFY(model);
    const auto texts = BuiltinModels::projectTexts(m_project.database(), {QStringLiteral("books")});
    QVERIFY(texts);
    BuiltinBuildParams params;
    params.seed = 7;
    auto files = BuiltinModels::build(model.value(), texts.value(), params);
    QVERIFY2(files, qPrintable(files.error()));
    const auto tensors = ModelLoader::readBytes(files->value(kWeights), kWeights);
    QVERIFY(tensors);
    NamedTensors bf16;
    for (const auto &[tensorName, tensor] : tensors.value())
        bf16[tensorName] = tensor.is_floating_point() ? tensor.to(torch::kBFloat16) : tensor;
    const auto bytes = SafeTensorsWriter::toBytes(kWeights, bf16);
    QVERIFY(bytes);
    files.value()[kWeights] = bytes.value();
    QJsonObject config = QJsonDocument::fromJson(files->value(QStringLiteral("config.json"))).object();
    config.insert(QStringLiteral("torch_dtype"), QStringLiteral("bfloat16"));
    files.value()[QStringLiteral("config.json")] = QJsonDocument(config).toJson();
    const auto id = ModelRegistry::addStored(m_project.database(), name, files.value());
    QVERIFY2(id, qPrintable(id.error()));
}

NamedTensors TestFrozenPrecision::exported(qint64 runId)
{
    m_scratch.push_back(std::make_unique<QTemporaryDir>());
    const QString out = m_scratch.back()->filePath(QStringLiteral("export"));
    const Status s = RunExporter::exportRun(m_project.path(), runId, out);
    if (!s.ok()) {
        qWarning("%s", qPrintable(s.error()));
        return {};
    }
    const auto tensors = ModelLoader::readFile(out + QStringLiteral("/") + kWeights);
    return tensors ? tensors.value() : NamedTensors{};
}

NamedTensors TestFrozenPrecision::baseOf(const QString &name)
{
    const auto model = ModelRegistry::find(m_project.database(), name);
    m_scratch.push_back(std::make_unique<QTemporaryDir>());
    const auto dir = ModelRegistry::materialize(m_project.database(), model.value(), m_scratch.back()->path());
    const auto tensors = ModelLoader::readFile(dir.value() + QStringLiteral("/") + kWeights);
    return tensors ? tensors.value() : NamedTensors{};
}

NamedTensors TestFrozenPrecision::checkpointOf(qint64 runId)
{
    const auto checkpoint = CheckpointStore(m_project.database(), runId).latest();
    if (!checkpoint || !checkpoint.value())
        return {};
    m_blobs.push_back(checkpoint.value()->tensors);
    const auto tensors = ModelLoader::readBytes(m_blobs.back(), QStringLiteral("checkpoint"));
    return tensors ? tensors.value() : NamedTensors{};
}

void TestFrozenPrecision::freezeKeepsFrozenLayersBf16()
{
    RunRequest request = quickRequest(QStringLiteral("freeze"), QStringLiteral("encoder-bf16"));
    request.config.options.insert(QStringLiteral("frozen_layers"), 1);
    const auto frozenPart = [](const std::string &name) {
        return contains(name, "encoder.layer.0.") || contains(name, "embeddings.");
    };

    // While it trains (a checkpoint of a cancelled run holds the whole model and AdamW's state).
    const qint64 cancelled = m_project.cancelledRun(request, 2);
    QVERIFY(cancelled > 0);
    QVERIFY(m_project.log().contains(QStringLiteral("kept in its stored BFloat16")));
    const NamedTensors checkpoint = checkpointOf(cancelled);
    int frozen = 0, moments = 0;
    for (const auto &[name, tensor] : checkpoint) {
        if (name.rfind("model.", 0) == 0) {
            const bool isFrozen = frozenPart(name);
            frozen += isFrozen;
            QVERIFY2(tensor.scalar_type() == (isFrozen ? torch::kBFloat16 : torch::kFloat), name.c_str());
        } else if (name.rfind("optimizer.", 0) == 0 && !contains(name, ".step")) {
            QVERIFY2(tensor.scalar_type() == torch::kFloat, name.c_str());
            ++moments;
        }
    }
    QVERIFY(frozen > 10);
    QVERIFY(moments > 10);

    // Finished: the frozen weights are the base ones, every trained layer weight changed.
    const qint64 id = m_project.execute(request);
    QVERIFY(id > 0);
    const NamedTensors trained = exported(id);
    const NamedTensors base = baseOf(QStringLiteral("encoder-bf16"));
    QVERIFY(!trained.empty() && !base.empty());
    int same = 0, changed = 0, unchanged = 0;
    for (const auto &[name, tensor] : trained) {
        const auto it = baseTensor(base, name);
        if (frozenPart(name)) {
            QVERIFY2(it != base.end() && torch::equal(tensor, it->second.to(tensor.scalar_type())), name.c_str());
            ++same;
        } else if (it != base.end() && contains(name, "encoder.layer.1.")) {
            ++(torch::equal(tensor, it->second.to(tensor.scalar_type())) ? unchanged : changed);
        }
    }
    QVERIFY(same > 10);
    QVERIFY2(changed > 5 && unchanged == 0, qPrintable(QStringLiteral("%1 changed, %2 not").arg(changed).arg(unchanged)));
}

void TestFrozenPrecision::gradualUnfreezeConvertsOnUnfreeze()
{
    // Epoch 1 trains the head only, epoch 2 the top layer too: the layer below and the embeddings
    // stay bf16 and unchanged.
    RunRequest request = quickRequest(QStringLiteral("gradual-unfreeze"), QStringLiteral("decoder-bf16"));
    request.config.epochs = 2;
    const auto frozenPart = [](const std::string &name) { return contains(name, "layers.0.") || contains(name, "embed_tokens"); };

    // Cancelled in epoch 2 (4 steps an epoch): the top layer has become fp32, with fp32 AdamW state.
    const qint64 cancelled = m_project.cancelledRun(request, 6);
    QVERIFY(cancelled > 0);
    int frozen = 0, unfrozen = 0;
    for (const auto &[name, tensor] : checkpointOf(cancelled)) {
        if (name.rfind("model.", 0) != 0)
            continue;
        const bool isFrozen = frozenPart(name);
        frozen += isFrozen;
        unfrozen += contains(name, "layers.1.");
        QVERIFY2(tensor.scalar_type() == (isFrozen ? torch::kBFloat16 : torch::kFloat), name.c_str());
    }
    QVERIFY(frozen > 5 && unfrozen > 5);

    const qint64 id = m_project.execute(request);
    QVERIFY(id > 0);
    const NamedTensors trained = exported(id);
    const NamedTensors base = baseOf(QStringLiteral("decoder-bf16"));
    QVERIFY(!trained.empty() && !base.empty());
    int same = 0, changed = 0;
    for (const auto &[name, tensor] : trained) {
        const auto it = baseTensor(base, name);
        if (frozenPart(name)) {
            QVERIFY2(it != base.end() && torch::equal(tensor, it->second.to(tensor.scalar_type())), name.c_str());
            ++same;
        } else if (it != base.end() && contains(name, "layers.1.") && !torch::equal(tensor, it->second.to(tensor.scalar_type()))) {
            ++changed;
        }
    }
    QVERIFY(same > 5);
    QVERIFY(changed > 5);
}

void TestFrozenPrecision::gradualUnfreezeResumesExactly()
{
    RunRequest request = quickRequest(QStringLiteral("gradual-unfreeze"), QStringLiteral("decoder-bf16"));
    request.config.epochs = 3;
    const qint64 whole = m_project.execute(request);
    QVERIFY(whole > 0);

    // Cancelled in the second epoch, when the top layer trains in fp32 (its checkpoint holds it in
    // fp32 while the model the resume loads has it in bf16), then resumed.
    const qint64 id = m_project.cancelledRun(request, 6);
    QVERIFY(id > 0);
    const Status resumed = TransferRunner::execute(m_project.path(), id, {});
    QVERIFY2(resumed.ok(), qPrintable(resumed.error()));
    RunStore store(m_project.database());
    QCOMPARE(store.load(id)->status, RunRecord::Status::Finished);

    const NamedTensors expected = exported(whole);
    const NamedTensors actual = exported(id);
    QVERIFY(!expected.empty());
    QCOMPARE(actual.size(), expected.size());
    for (const auto &[name, tensor] : expected) {
        const auto it = actual.find(name);
        QVERIFY2(it != actual.end() && torch::equal(it->second, tensor), name.c_str());
    }
}

void TestFrozenPrecision::zeroShotScoresWithABf16Backbone()
{
    const qint64 id = m_project.execute(quickRequest(QStringLiteral("zero-shot"), QStringLiteral("decoder-bf16")));
    QVERIFY(id > 0);
    QVERIFY(m_project.log().contains(QStringLiteral("kept in its stored BFloat16")));
    const auto final = RunStore(m_project.database()).finalMetrics(id);
    QVERIFY(final);
    QVERIFY(!final->isEmpty());
}

QTEST_GUILESS_MAIN(TestFrozenPrecision)
#include "tst_frozenprecision.moc"
