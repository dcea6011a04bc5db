// Training decoders at size: bf16-stored weights stay bf16 when loaded for a frozen backbone, LoRA
// trains on them with fp32 adapters and head, layer checkpointing gives the gradients of a plain
// backward pass on every architecture family while holding less activation memory, and the run
// memory estimate knows all three.
#include "HeapProbe.h"
#include "ModelFixtures.h"
#include "TempProject.h"
#include "TextSources.h"

#include "model/BuiltinModels.h"
#include "model/nn/LayerCheckpoint.h"
#include "model/nn/ModelLoader.h"
#include "model/nn/SafeTensorsWriter.h"
#include "train/TrainingConfig.h"
#include "transfer/LoraStrategy.h"
#include "transfer/RunMemoryEstimate.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <set>

using namespace ts;
using test::sourceOf;

namespace {

const QString kLlama = QStringLiteral(TS_TEST_DATA_DIR "/models/llama");

QJsonObject readConfig(const QString &dir)
{
    QFile file(dir + QStringLiteral("/config.json"));
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
}

/// The tiny Llama fixture stored in bf16 (config.json says so, as transformers writes it) in `dir`.
bool writeBf16Llama(const QString &dir)
{
    auto tensors = ModelLoader::readFile(kLlama + QStringLiteral("/model.safetensors"));
    if (!tensors || !QDir().mkpath(dir))
        return false;
    NamedTensors bf16;
    for (const auto &[name, tensor] : tensors.value())
        bf16[name] = tensor.to(torch::kBFloat16);
    QJsonObject config = readConfig(kLlama);
    config.insert(QStringLiteral("torch_dtype"), QStringLiteral("bfloat16"));
    QFile file(dir + QStringLiteral("/config.json"));
    return SafeTensorsWriter::write(dir + QStringLiteral("/model.safetensors"), bf16).ok()
        && file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(config).toJson()) > 0;
}

/// A random Llama-shaped classifier: `layers` layers of width `hidden`.
std::shared_ptr<PretrainedModel> randomLlama(int layers, int hidden)
{
    QJsonObject config = readConfig(kLlama);
    config.insert(QStringLiteral("num_hidden_layers"), layers);
    config.insert(QStringLiteral("hidden_size"), hidden);
    config.insert(QStringLiteral("intermediate_size"), 2 * hidden);
    const auto parsed = ModelConfig::fromJson(QJsonDocument(config).toJson(), QStringLiteral("random llama"));
    if (!parsed)
        return nullptr;
    auto model = PretrainedModel::create(parsed.value(), ModelTask::SequenceClassification);
    return model ? model.value() : nullptr;
}

torch::Tensor classificationLoss(PretrainedModel &model, const torch::Tensor &ids, const torch::Tensor &labels)
{
    return torch::cross_entropy_loss(model.forward(ids, torch::ones_like(ids)), labels);
}

/// The nodes of `loss`'s backward graph that recompute a layer (LayerCheckpoint's function).
int recomputedLayers(const torch::Tensor &loss)
{
    std::set<torch::autograd::Node *> seen;
    std::vector<torch::autograd::Node *> pending{loss.grad_fn().get()};
    int found = 0;
    while (!pending.empty()) {
        torch::autograd::Node *node = pending.back();
        pending.pop_back();
        if (!node || !seen.insert(node).second)
            continue;
        found += node->name().find("CheckpointFunction") != std::string::npos;
        for (const torch::autograd::Edge &edge : node->next_edges())
            pending.push_back(edge.function.get());
    }
    return found;
}

ModelConfig qwenHalfBillion(const QString &dtype)
{
    // Qwen2.5-0.5B's config.json (the fields that size it).
    const QJsonObject json{{"model_type", "qwen2"}, {"vocab_size", 151936}, {"hidden_size", 896},
                           {"intermediate_size", 4864}, {"num_hidden_layers", 24}, {"num_attention_heads", 14},
                           {"num_key_value_heads", 2}, {"max_position_embeddings", 32768}, {"tie_word_embeddings", true},
                           {"torch_dtype", dtype}};
    return ModelConfig::fromJson(QJsonDocument(json).toJson(), QStringLiteral("qwen2.5-0.5b")).value();
}

} // namespace

class TestLlmTraining : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bf16WeightsStayBf16ForAFrozenBackbone();
    void loraTrainsFp32AdaptersOnABf16Backbone();
    void checkpointedGradientsEqualPlainOnes_data();
    void checkpointedGradientsEqualPlainOnes();
    void checkpointingHoldsLessActivationMemory();
    void estimateKnowsDtypeLoraAndCheckpointing();
    void builtinDecoderTakesLoraWithDefaultTargets();
};

void TestLlmTraining::bf16WeightsStayBf16ForAFrozenBackbone()
{
    test::TempFolder temp;
    const QString dir = temp.path(QStringLiteral("llama-bf16"));
    QVERIFY(writeBf16Llama(dir));
    LoadOptions options{ModelTask::SequenceClassification};
    options.keepStoredDtype = true;
    const auto kept = ModelLoader::load(dir, options);
    QVERIFY2(kept, qPrintable(kept.error()));
    QCOMPARE(kept->folder.config().weightDtype, DType::BF16);
    for (const auto &item : kept->model->named_parameters()) {
        const bool head = kept->model->isHeadParameter(item.key());
        QVERIFY2(item.value().scalar_type() == (head ? torch::kFloat : torch::kBFloat16), item.key().c_str());
    }
    // Without the option everything is fp32, holding the same values.
    const auto widened = ModelLoader::load(dir, {ModelTask::SequenceClassification});
    QVERIFY2(widened, qPrintable(widened.error()));
    const auto keptParameters = kept->model->named_parameters();
    for (const auto &item : widened->model->named_parameters()) {
        QCOMPARE(item.value().scalar_type(), torch::kFloat);
        if (!kept->model->isHeadParameter(item.key()))
            QVERIFY(torch::equal(item.value(), keptParameters[item.key()].to(torch::kFloat)));
    }
}

void TestLlmTraining::loraTrainsFp32AdaptersOnABf16Backbone()
{
    test::TempFolder temp;
    const QString dir = temp.path(QStringLiteral("llama-bf16"));
    QVERIFY(writeBf16Llama(dir));
    torch::manual_seed(5);
    LoadOptions options{ModelTask::SequenceClassification};
    options.keepStoredDtype = true;
    auto loaded = ModelLoader::load(dir, options);
    QVERIFY2(loaded, qPrintable(loaded.error()));
    PretrainedModel &model = *loaded->model;
    for (auto &p : model.parameters())
        p.set_requires_grad(false);
    const auto attached = LoraStrategy::attach(model, LoraOptions{8, 16.0, 0.0}, {QString::fromLatin1(LoraStrategy::kAllLinear)});
    QVERIFY2(attached, qPrintable(attached.error()));
    QCOMPARE(attached.value(), 2 * 7); // q, k, v, o, gate, up, down per layer
    for (auto &p : model.head()->parameters())
        p.set_requires_grad(true);
    std::vector<torch::Tensor> trainable;
    std::map<std::string, torch::Tensor> frozen;
    for (const auto &item : model.named_parameters()) {
        if (item.value().requires_grad()) {
            QVERIFY2(item.value().scalar_type() == torch::kFloat, item.key().c_str());
            trainable.push_back(item.value());
        } else {
            QVERIFY2(item.value().scalar_type() == torch::kBFloat16, item.key().c_str());
            frozen[item.key()] = item.value().clone();
        }
    }
    model.train();
    torch::optim::AdamW optimizer(trainable, torch::optim::AdamWOptions(1e-2));
    const torch::Tensor ids = torch::randint(3, 100, {6, 8});
    const torch::Tensor labels = torch::tensor({0, 1, 2, 0, 1, 2});
    double first = 0, last = 0;
    for (int step = 0; step < 40; ++step) {
        optimizer.zero_grad();
        const torch::Tensor loss = classificationLoss(model, ids, labels);
        QCOMPARE(loss.scalar_type(), torch::kFloat);
        loss.backward();
        optimizer.step();
        (step == 0 ? first : last) = loss.item<double>();
    }
    QVERIFY2(last < 0.5 * first, qPrintable(QStringLiteral("loss %1 -> %2").arg(first).arg(last)));
    for (const auto &item : model.named_parameters()) {
        if (frozen.count(item.key())) {
            QVERIFY2(torch::equal(item.value(), frozen[item.key()]), item.key().c_str());
        } else if (item.key().find("lora_B") != std::string::npos) {
            QVERIFY2(item.value().abs().max().item<double>() > 0, item.key().c_str()); // B starts at zero
        }
    }
}

void TestLlmTraining::checkpointedGradientsEqualPlainOnes_data()
{
    // One fixture per architecture family and per Llama-family variant (biases, q/k norms, windows).
    test::addFamilyFixtureRows();
    QTest::newRow("qwen2.5") << "decoders/qwen2.5" << int(ModelFamily::Llama);
    QTest::newRow("qwen3") << "decoders/qwen3" << int(ModelFamily::Llama);
    QTest::newRow("mistral") << "decoders/mistral" << int(ModelFamily::Llama);
}

void TestLlmTraining::checkpointedGradientsEqualPlainOnes()
{
    QFETCH(QString, folder);
    QFETCH(int, family);
    torch::manual_seed(11);
    auto loaded = ModelLoader::load(QStringLiteral(TS_TEST_DATA_DIR "/models/") + folder,
                                    {ModelTask::SequenceClassification, 3});
    QVERIFY2(loaded, qPrintable(loaded.error()));
    PretrainedModel &model = *loaded->model;
    QCOMPARE(int(model.config().family), family);
    // Adapter dropout (and the encoders' and GPT-2's own dropout) draws random masks: the
    // recomputation must draw the same ones.
    QVERIFY(LoraStrategy::attach(model, LoraOptions{4, 8.0, 0.2}, {QString::fromLatin1(LoraStrategy::kAllLinear)}));
    {
        torch::NoGradGuard noGrad;
        for (const auto &item : model.named_parameters()) { // B = 0 would hide A's gradients
            if (item.key().find("lora_B") != std::string::npos)
                item.value().normal_(0, 0.1);
        }
    }
    const torch::Tensor ids = torch::randint(5, 90, {3, 10});
    const torch::Tensor labels = torch::tensor({0, 2, 1});
    for (const bool frozenBackbone : {false, true}) {
        for (const auto &item : model.named_parameters()) {
            const bool adapterOrHead = item.key().find("lora_") != std::string::npos || model.isHeadParameter(item.key());
            item.value().set_requires_grad(!frozenBackbone || adapterOrHead);
        }
        model.train();
        std::map<std::string, torch::Tensor> plain;
        for (const bool checkpointing : {false, true}) {
            model.backbone()->setLayerCheckpointing(checkpointing);
            model.zero_grad();
            torch::manual_seed(3);
            const torch::Tensor loss = classificationLoss(model, ids, labels);
            QCOMPARE(recomputedLayers(loss), checkpointing ? int(model.config().numLayers) : 0);
            loss.backward();
            int compared = 0;
            for (const auto &item : model.named_parameters()) {
                if (!item.value().requires_grad())
                    continue;
                // BERT's pooler (and its adapter) feeds no classification head: no gradient either way.
                const torch::Tensor &gradient = item.value().grad();
                if (!checkpointing) {
                    plain[item.key()] = gradient.defined() ? gradient.clone() : torch::Tensor();
                    continue;
                }
                const torch::Tensor &expected = plain[item.key()];
                QVERIFY2(gradient.defined() == expected.defined(), item.key().c_str());
                if (!expected.defined())
                    continue;
                // 1e-6 relative to the gradient's scale (the decoder fixtures' weights are large).
                const double scale = std::max(1.0, expected.abs().max().item<double>());
                const double difference = (gradient - expected).abs().max().item<double>();
                QVERIFY2(difference <= 1e-6 * scale,
                         qPrintable(QStringLiteral("%1 differs by %2 (largest %3; frozen backbone: %4)")
                                        .arg(item.key().c_str()).arg(difference).arg(scale).arg(frozenBackbone)));
                ++compared;
            }
            QVERIFY(!checkpointing || compared > 4);
        }
    }
}

void TestLlmTraining::checkpointingHoldsLessActivationMemory()
{
#if defined(TS_ASAN)
    QSKIP("mallinfo2 counts glibc's allocator, which AddressSanitizer replaces");
#else
    torch::manual_seed(2);
    auto model = randomLlama(6, 128);
    QVERIFY(model);
    model->train();
    const torch::Tensor ids = torch::randint(3, 100, {8, 64});
    const torch::Tensor labels = torch::randint(0, 3, {8});
    classificationLoss(*model, ids, labels).backward(); // first-use allocations (thread pools, caches)
    qint64 held[2] = {0, 0};
    for (const bool checkpointing : {false, true}) {
        model->backbone()->setLayerCheckpointing(checkpointing);
        model->zero_grad();
        const qint64 before = test::heapBytesInUse();
        const torch::Tensor loss = classificationLoss(*model, ids, labels);
        held[checkpointing] = test::heapBytesInUse() - before; // what the graph keeps for backward
        loss.backward();
    }
    QVERIFY2(held[1] * 3 < held[0], qPrintable(QStringLiteral("activations held: %1 bytes plain, %2 checkpointed")
                                                    .arg(held[0]).arg(held[1])));
#endif
}

void TestLlmTraining::estimateKnowsDtypeLoraAndCheckpointing()
{
    const ModelConfig bf16 = qwenHalfBillion(QStringLiteral("bfloat16"));
    const ModelConfig fp32 = qwenHalfBillion(QStringLiteral("float32"));
    QCOMPARE(bf16.weightDtype, DType::BF16);
    const qint64 N = bf16.parameterCount();
    QVERIFY(N > 450'000'000 && N < 550'000'000);
    TrainingConfig lora;
    lora.strategy = QString::fromLatin1(LoraStrategy::kName);
    lora.batchSize = 4;
    lora.maxLength = 512;
    QVERIFY(lora.checkpointsLayers(N)); // auto: above kAutoCheckpointParameters
    const RunMemoryEstimate stored = RunMemoryEstimate::forRun(bf16, lora, false);
    QCOMPARE(stored.weightBytes, 2 * N);
    QCOMPARE(stored.weightBytesPerParameter, 2);
    QVERIFY(stored.layerCheckpointing);
    QCOMPARE(RunMemoryEstimate::forRun(fp32, lora, false).weightBytes, 4 * N);
    QVERIFY(stored.trainableParameters < N / 50);
    QCOMPARE(stored.optimizerBytes, 8 * stored.trainableParameters);

    TrainingConfig plain = lora;
    plain.gradientCheckpointing = QStringLiteral("off");
    const RunMemoryEstimate unchecked = RunMemoryEstimate::forRun(bf16, plain, false);
    QVERIFY(!unchecked.layerCheckpointing);
    QVERIFY2(stored.activationBytes * 5 < unchecked.activationBytes,
             qPrintable(QStringLiteral("%1 vs %2").arg(stored.activationBytes).arg(unchecked.activationBytes)));

    TrainingConfig full = plain;
    full.strategy = QStringLiteral("source-only");
    const RunMemoryEstimate fineTuning = RunMemoryEstimate::forRun(bf16, full, false);
    QCOMPARE(fineTuning.weightBytes, 4 * N); // trained weights stay fp32
    QCOMPARE(fineTuning.optimizerBytes, 8 * N);
    QVERIFY(stored.totalBytes() * 2 < fineTuning.totalBytes());
    QVERIFY(stored.describe(0, QStringLiteral("the CPU")).contains(QLatin1String("layer checkpointing")));

    TrainingConfig zeroShot = plain;
    zeroShot.strategy = QStringLiteral("zero-shot"); // evaluates only: no gradients, no AdamW state
    QCOMPARE(RunMemoryEstimate::forRun(bf16, zeroShot, false).gradientBytes
                 + RunMemoryEstimate::forRun(bf16, zeroShot, false).optimizerBytes, qint64(0));

    TrainingConfig small = lora;
    QVERIFY(!small.checkpointsLayers(TrainingConfig::kAutoCheckpointParameters - 1));
    small.gradientCheckpointing = QStringLiteral("on");
    QVERIFY(small.checkpointsLayers(1000));
    small.gradientCheckpointing = QStringLiteral("sometimes");
    QVERIFY(!small.validate());
}

void TestLlmTraining::builtinDecoderTakesLoraWithDefaultTargets()
{
    const auto builtin = BuiltinModels::find(QStringLiteral("tiny-decoder"));
    QVERIFY2(builtin, qPrintable(builtin.error()));
    QStringList lines;
    for (int i = 0; i < 200; ++i)
        lines.append(QStringLiteral("review %1: the product works well and arrived on time").arg(i % 17));
    const auto files = BuiltinModels::build(builtin.value(), sourceOf(lines), BuiltinBuildParams());
    QVERIFY2(files, qPrintable(files.error()));
    test::TempFolder temp;
    const QString dir = temp.path(QStringLiteral("tiny-decoder"));
    QVERIFY(QDir().mkpath(dir));
    for (auto it = files->cbegin(); it != files->cend(); ++it) {
        QFile file(QDir(dir).filePath(it.key()));
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(it.value()) == it.value().size());
    }
    auto loaded = ModelLoader::load(dir, {ModelTask::SequenceClassification, 2});
    QVERIFY2(loaded, qPrintable(loaded.error()));
    PretrainedModel &model = *loaded->model;
    QCOMPARE(model.config().family, ModelFamily::Llama);
    for (auto &p : model.parameters())
        p.set_requires_grad(false);
    TrainingConfig config;
    config.strategy = QString::fromLatin1(LoraStrategy::kName);
    const auto attached = LoraStrategy::attach(model, LoraStrategy::options(config), LoraStrategy::targets(config));
    QVERIFY2(attached, qPrintable(attached.error()));
    QCOMPARE(attached.value(), 2 * 2); // q_proj and v_proj of both layers
    for (auto &p : model.head()->parameters())
        p.set_requires_grad(true);
    model.train();
    model.backbone()->setLayerCheckpointing(true);
    classificationLoss(model, torch::randint(3, 100, {2, 12}), torch::tensor({0, 1})).backward();
    int adapterGradients = 0;
    for (const auto &item : model.named_parameters()) {
        const bool adapter = item.key().find("lora_") != std::string::npos;
        adapterGradients += adapter && item.value().grad().defined();
    }
    QCOMPARE(adapterGradients, 2 * 2 * 2); // A and B of each adapter
}

QTEST_GUILESS_MAIN(TestLlmTraining)
#include "tst_llmtraining.moc"
