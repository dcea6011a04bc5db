// Today's decoders against Hugging Face transformers: tiny random causal LMs of Llama with each
// rope_scaling type (llama3, linear, dynamic, yarn), Mistral (sliding window), Qwen2.5 (tied
// embeddings, q/k/v biases) and Qwen3 (per-head q/k norms, sliding upper layers), made by
// tests/golden/make_decoder_golden.py. Logits must match within 1e-4 (fp32) and Generator (greedy, KV
// cache) must give the 32 tokens generate(do_sample=False) gave. Unsupported settings are refused by name.
#include "model/ModelConfig.h"
#include "model/nn/Generator.h"
#include "model/nn/ModelLoader.h"
#include "model/nn/RotaryEmbedding.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>

using namespace ts;

namespace {

constexpr double kTolerance = 1e-4;  // max abs logit difference against transformers (fp32)
constexpr double kFeatureEffect = 1e-2; // least logit change when a variant's feature is switched off
constexpr int kNewTokens = 32;

QString variantDir(const QString &name)
{
    return QStringLiteral(TS_TEST_DATA_DIR "/models/decoders/") + name;
}

double maxAbsDiff(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a.to(torch::kFloat) - b.to(torch::kFloat)).abs().max().item<double>();
}

/// config.json of the Llama fixture with `changes` merged over its top level.
QByteArray llamaConfigWith(const QJsonObject &changes, const QString &variant = QStringLiteral("llama-rope-linear"))
{
    auto config = ModelConfig::fromFile(variantDir(variant) + QStringLiteral("/config.json"));
    QJsonObject object = config->raw;
    for (auto it = changes.begin(); it != changes.end(); ++it)
        object.insert(it.key(), it.value());
    return QJsonDocument(object).toJson();
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

} // namespace

class TestDecoderParity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void logitsMatch_data() { addVariants(); }
    void logitsMatch();
    void greedyTokensMatch_data() { addVariants(); }
    void greedyTokensMatch();
    void fixturesExerciseTheirFeature_data();
    void fixturesExerciseTheirFeature();
    void configsAreRead();
    void hubAndTransformers5LayoutsAgree();
    void unsupportedSettingsAreRefused_data();
    void unsupportedSettingsAreRefused();
    void generatorRefusesWhatItCannotDo();

private:
    static void addVariants();
};

void TestDecoderParity::initTestCase()
{
    torch::set_num_threads(1);
}

void TestDecoderParity::addVariants()
{
    QTest::addColumn<QString>("variant");
    for (const char *name : {"llama-rope-llama3", "llama-rope-linear", "llama-rope-dynamic", "llama-rope-yarn",
                             "mistral", "qwen2.5", "qwen3"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestDecoderParity::logitsMatch()
{
    QFETCH(QString, variant);
    auto loaded = ModelLoader::load(variantDir(variant), {ModelTask::CausalLm});
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QVERIFY2(loaded->report.initialised.isEmpty(), qPrintable(loaded->report.initialised.join(u',')));
    auto reference = ModelLoader::readFile(variantDir(variant) + QStringLiteral("/reference.safetensors"));
    QVERIFY2(reference.ok(), qPrintable(reference.error()));
    torch::NoGradGuard noGrad;
    const torch::Tensor logits = loaded->model->forward(reference->at("input_ids"), reference->at("attention_mask"));
    QCOMPARE(logits.sizes(), reference->at("lm_logits").sizes()); // (B,T,V)
    const double diff = maxAbsDiff(logits, reference->at("lm_logits"));
    QVERIFY2(diff <= kTolerance, qPrintable(QStringLiteral("logits differ by %1").arg(diff)));
}

void TestDecoderParity::greedyTokensMatch()
{
    QFETCH(QString, variant);
    auto loaded = ModelLoader::load(variantDir(variant), {ModelTask::CausalLm});
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    auto reference = ModelLoader::readFile(variantDir(variant) + QStringLiteral("/reference.safetensors"));
    QVERIFY2(reference.ok(), qPrintable(reference.error()));
    GenerationParams greedy;
    greedy.maxNewTokens = kNewTokens;
    auto tokens = Generator::generate(*loaded->model, reference->at("prompt_ids"), greedy);
    QVERIFY2(tokens.ok(), qPrintable(tokens.error()));
    const torch::Tensor expected = reference->at("greedy_ids"); // (1,32)
    QCOMPARE(int64_t(tokens->tokens.size()), expected.size(1));
    for (int64_t step = 0; step < kNewTokens; ++step) {
        const int64_t got = tokens->tokens[size_t(step)], want = expected[0][step].item<int64_t>();
        QVERIFY2(got == want, qPrintable(QStringLiteral("step %1: token %2, transformers chose %3 (its lead over "
                                                        "the runner-up: %4)")
                                             .arg(step).arg(got).arg(want)
                                             .arg(reference->at("greedy_margin")[step].item<double>())));
    }
}

void TestDecoderParity::fixturesExerciseTheirFeature_data()
{
    QTest::addColumn<QString>("variant");
    for (const char *name : {"llama-rope-llama3", "llama-rope-linear", "llama-rope-dynamic", "llama-rope-yarn",
                             "mistral", "qwen3"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestDecoderParity::fixturesExerciseTheirFeature()
{
    // With the rope scaling or the sliding window switched off the logits must move well past the
    // tolerance, or logitsMatch could pass on a model that ignores the feature.
    QFETCH(QString, variant);
    auto folder = ModelFolder::inspect(variantDir(variant));
    QVERIFY2(folder.ok(), qPrintable(folder.error()));
    ModelConfig plain = folder->config();
    QVERIFY(plain.ropeScaling.type != RopeScaling::Type::None || plain.slidingWindow > 0);
    plain.ropeScaling = RopeScaling{};
    plain.slidingWindow = 0;
    auto model = PretrainedModel::create(plain, ModelTask::CausalLm);
    QVERIFY2(model.ok(), qPrintable(model.error()));
    auto tensors = ModelLoader::readTensors(folder.value());
    QVERIFY2(tensors.ok(), qPrintable(tensors.error()));
    QVERIFY(ModelLoader::loadWeights(*model.value(), tensors.value(), {ModelTask::CausalLm}, variant).ok());
    model.value()->eval();
    auto reference = ModelLoader::readFile(variantDir(variant) + QStringLiteral("/reference.safetensors"));
    QVERIFY2(reference.ok(), qPrintable(reference.error()));
    torch::NoGradGuard noGrad;
    const torch::Tensor logits = model.value()->forward(reference->at("input_ids"), reference->at("attention_mask"));
    const double diff = maxAbsDiff(logits, reference->at("lm_logits"));
    QVERIFY2(diff > kFeatureEffect, qPrintable(QStringLiteral("without the feature logits move by %1 only").arg(diff)));
}

void TestDecoderParity::configsAreRead()
{
    auto llama3 = ModelFolder::inspect(variantDir(QStringLiteral("llama-rope-llama3")));
    QVERIFY2(llama3.ok(), qPrintable(llama3.error()));
    const RopeScaling &rope = llama3->config().ropeScaling;
    QCOMPARE(int(rope.type), int(RopeScaling::Type::Llama3));
    QCOMPARE(rope.factor, 8.0);
    QCOMPARE(rope.originalMaxPositions, qint64(64));
    QCOMPARE(llama3->config().ropeTheta, 10000.0);

    auto yarn = ModelFolder::inspect(variantDir(QStringLiteral("llama-rope-yarn")));
    QVERIFY2(yarn.ok(), qPrintable(yarn.error()));
    QCOMPARE(int(yarn->config().ropeScaling.type), int(RopeScaling::Type::Yarn));
    QVERIFY(qAbs(yarn->config().ropeScaling.attentionFactor - (0.1 * std::log(4.0) + 1)) < 1e-12);

    auto mistral = ModelFolder::inspect(variantDir(QStringLiteral("mistral")));
    QVERIFY2(mistral.ok(), qPrintable(mistral.error()));
    QCOMPARE(mistral->config().windowOf(0), qint64(8));
    QCOMPARE(mistral->config().windowOf(1), qint64(8));
    QVERIFY(!mistral->config().attentionQkvBias && !mistral->config().tieWordEmbeddings);

    auto qwen3 = ModelFolder::inspect(variantDir(QStringLiteral("qwen3")));
    QVERIFY2(qwen3.ok(), qPrintable(qwen3.error()));
    const ModelConfig &q = qwen3->config();
    QVERIFY(q.qkNorm && q.tieWordEmbeddings && !q.attentionQkvBias);
    QCOMPARE(q.headDim(), qint64(16)); // hidden 32 / 4 heads would be 8
    QCOMPARE(q.windowOf(0), qint64(0));
    QCOMPARE(q.windowOf(1), qint64(6));
    QCOMPARE(q.architectureFor(ModelTask::CausalLm), QStringLiteral("Qwen3ForCausalLM"));
    auto backbone = ModelLoader::load(variantDir(QStringLiteral("qwen3")), {ModelTask::Embedding});
    QVERIFY2(backbone.ok(), qPrintable(backbone.error()));
    int64_t parameters = 0;
    for (const torch::Tensor &parameter : backbone->model->parameters())
        parameters += parameter.numel();
    QCOMPARE(q.parameterCount(), qint64(parameters)); // q/k norms and the wider q/o projections counted

    auto qwen25 = ModelFolder::inspect(variantDir(QStringLiteral("qwen2.5")));
    QVERIFY2(qwen25.ok(), qPrintable(qwen25.error()));
    QVERIFY(qwen25->config().attentionQkvBias && !qwen25->config().attentionOutBias);
    QVERIFY(qwen25->config().tieWordEmbeddings);
    QCOMPARE(qwen25->config().windowOf(1), qint64(0)); // use_sliding_window is false
}

void TestDecoderParity::hubAndTransformers5LayoutsAgree()
{
    // The same llama3 scaling written as the hub writes it (rope_scaling, top-level rope_theta, older
    // "type" key) and as transformers 5 does (rope_parameters holding rope_theta).
    QJsonObject hubObject = QJsonDocument::fromJson(llamaConfigWith(
        json(R"({"rope_theta": 500000.0, "rope_scaling": {"type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                 "high_freq_factor": 4.0, "original_max_position_embeddings": 64}})"))).object();
    hubObject.remove(QStringLiteral("rope_parameters"));
    const QByteArray hub = QJsonDocument(hubObject).toJson();
    QJsonObject v5 = hubObject;
    v5.remove(QStringLiteral("rope_scaling"));
    v5.remove(QStringLiteral("rope_theta"));
    v5.insert(QStringLiteral("rope_parameters"),
              json(R"({"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0, "low_freq_factor": 1.0,
                       "high_freq_factor": 4.0, "original_max_position_embeddings": 64})"));
    auto a = ModelConfig::fromJson(hub, QStringLiteral("hub.json"));
    auto b = ModelConfig::fromJson(QJsonDocument(v5).toJson(), QStringLiteral("v5.json"));
    QVERIFY2(a.ok(), qPrintable(a.error()));
    QVERIFY2(b.ok(), qPrintable(b.error()));
    QCOMPARE(a->ropeTheta, 500000.0);
    const torch::Tensor fa = RotaryEmbedding::inverseFrequencies(a.value(), 24, torch::kCPU);
    const torch::Tensor fb = RotaryEmbedding::inverseFrequencies(b.value(), 24, torch::kCPU);
    QVERIFY(torch::equal(fa, fb));
    const torch::Tensor unscaled = 1.0 / torch::pow(500000.0, torch::arange(0, 8, 2).to(torch::kFloat) / 8.0);
    QVERIFY(!torch::allclose(fa, unscaled)); // the low frequencies are divided by 8
}

void TestDecoderParity::unsupportedSettingsAreRefused_data()
{
    QTest::addColumn<QByteArray>("changes");
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QString>("message");
    const QString linear = QStringLiteral("llama-rope-linear");
    QTest::newRow("longrope") << QByteArray(R"({"rope_parameters": {"rope_type": "longrope", "factor": 2.0}})") << linear
                              << QStringLiteral("field \"rope_parameters\": rope_type \"longrope\" is not supported "
                                                "(default, linear, dynamic, llama3, yarn)");
    QTest::newRow("linear without factor") << QByteArray(R"({"rope_parameters": {"rope_type": "linear"}})") << linear
                                           << QStringLiteral("field \"factor\" is missing (rope_type \"linear\" needs it)");
    QTest::newRow("llama3 bands") << QByteArray(R"({"rope_parameters": {"rope_type": "llama3", "factor": 8,
        "low_freq_factor": 4, "high_freq_factor": 1}})") << linear
                                  << QStringLiteral("field \"high_freq_factor\": must be greater than low_freq_factor");
    QTest::newRow("partial rotary") << QByteArray(R"({"rope_parameters": {"rope_type": "default",
        "partial_rotary_factor": 0.5}})") << linear << QStringLiteral("field \"partial_rotary_factor\"");
    QTest::newRow("rope not an object") << QByteArray(R"({"rope_parameters": null, "rope_scaling": "linear"})") << linear
                                        << QStringLiteral("field \"rope_scaling\" must be an object");
    QTest::newRow("mlp bias") << QByteArray(R"({"mlp_bias": true})") << linear
                              << QStringLiteral("field \"mlp_bias\": MLP biases are not supported");
    QTest::newRow("qwen3 layer type") << QByteArray(R"({"layer_types": ["full_attention", "chunked_attention"]})")
                                      << QStringLiteral("qwen3")
                                      << QStringLiteral("field \"layer_types\": entry 1 is \"chunked_attention\"");
    QTest::newRow("qwen3 odd head_dim") << QByteArray(R"({"head_dim": 7})") << QStringLiteral("qwen3")
                                        << QStringLiteral("field \"head_dim\": must be even");
    QTest::newRow("gemma2") << QByteArray(R"({"model_type": "gemma2"})") << linear
                            << QStringLiteral("field \"model_type\" is \"gemma2\"; supported:");
}

void TestDecoderParity::unsupportedSettingsAreRefused()
{
    QFETCH(QByteArray, changes);
    QFETCH(QString, variant);
    QFETCH(QString, message);
    const QJsonObject object = QJsonDocument::fromJson(changes).object();
    QVERIFY(!object.isEmpty());
    auto config = ModelConfig::fromJson(llamaConfigWith(object, variant), QStringLiteral("config.json"));
    QVERIFY(!config.ok());
    QVERIFY2(config.error().startsWith(QStringLiteral("config.json: ")), qPrintable(config.error()));
    QVERIFY2(config.error().contains(message), qPrintable(config.error()));
}

void TestDecoderParity::generatorRefusesWhatItCannotDo()
{
    auto loaded = ModelLoader::load(variantDir(QStringLiteral("mistral")), {ModelTask::SequenceClassification});
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    const torch::Tensor prompt = torch::tensor({5, 6, 7}, torch::kLong).view({1, 3});
    GenerationParams params;
    params.maxNewTokens = 4;
    auto refused = Generator::generate(*loaded->model, prompt, params);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(QStringLiteral("causal language model")), qPrintable(refused.error()));

    auto lm = ModelLoader::load(variantDir(QStringLiteral("mistral")), {ModelTask::CausalLm});
    QVERIFY2(lm.ok(), qPrintable(lm.error()));
    QVERIFY(!Generator::generate(*lm->model, prompt.view({3, 1}), params).ok());
    params.maxNewTokens = 8;
    auto full = Generator::generate(*lm->model, prompt, params);
    QVERIFY2(full.ok(), qPrintable(full.error()));
    QCOMPARE(full->tokens.size(), size_t(8));
    QCOMPARE(int(full->stop), int(GeneratedTokens::Stop::Length));
    // Stopping at a token keeps it and ends there: stop at the first occurrence of the 4th token.
    const int64_t stop = full->tokens[3];
    const auto firstAt = std::find(full->tokens.begin(), full->tokens.end(), stop) - full->tokens.begin();
    params.stopTokenIds = {stop};
    auto stopped = Generator::generate(*lm->model, prompt, params);
    QVERIFY2(stopped.ok(), qPrintable(stopped.error()));
    QCOMPARE(int(stopped->stop), int(GeneratedTokens::Stop::StopToken));
    QVERIFY(stopped->tokens == std::vector<int64_t>(full->tokens.begin(), full->tokens.begin() + firstAt + 1));
}

QTEST_GUILESS_MAIN(TestDecoderParity)
#include "tst_decoderparity.moc"
