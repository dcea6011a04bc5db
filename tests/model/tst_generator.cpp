// Generation with a KV cache: logits of every cached step equal those of the whole sequence run
// at once (GPT-2 and the Llama family, sliding windows and rope scaling included), a sliding-window
// layer's cache holds only its window (prompts longer than the window included), cached greedy
// tokens equal uncached ones, and sampling is deterministic by seed; top-k 1 is greedy. The
// tokens against transformers' greedy output are checked in tst_decoderparity.
#include "model/nn/CausalBackbone.h"
#include "model/nn/Generator.h"
#include "model/nn/ModelLoader.h"

#include <QTest>

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <set>

using namespace ts;

namespace {

constexpr double kTolerance = 1e-4; // max abs logit difference, cached against whole-sequence (fp32:
                                    // other matmul shapes round differently, ~1.5e-5 seen)
constexpr int kNewTokens = 24;

QString modelDir(const QString &name)
{
    return QStringLiteral(TS_TEST_DATA_DIR "/models/") + name;
}

std::shared_ptr<PretrainedModel> load(const QString &name)
{
    auto loaded = ModelLoader::load(modelDir(name), {ModelTask::CausalLm});
    if (!loaded.ok())
        qFatal("%s", qPrintable(loaded.error()));
    loaded->model->eval();
    return loaded->model;
}

/// A (1,P) prompt of ids 5.. avoiding the fixtures' special ids, from `seed`.
torch::Tensor prompt(int64_t vocab, int length, uint64_t seed)
{
    torch::manual_seed(seed);
    return torch::randint(5, vocab, {1, length}, torch::kLong);
}

} // namespace

class TestGenerator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }
    void cachedLogitsEqualWholeSequence_data();
    void cachedLogitsEqualWholeSequence();
    void cachedGreedyEqualsUncached_data() { cachedLogitsEqualWholeSequence_data(); }
    void cachedGreedyEqualsUncached();
    void slidingWindowCacheStaysBounded_data();
    void slidingWindowCacheStaysBounded();
    void sameSeedSameSample();
    void topKOneIsGreedy();
    void topPFiltersTheTail();
    void streamsAndAborts();
    void optionRangesAreChecked_data();
    void optionRangesAreChecked();
    void learnedPositionsLimitTheLength();
};

void TestGenerator::cachedLogitsEqualWholeSequence_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("length"); // tokens of the test sequence
    QTest::newRow("gpt2") << "gpt2-lm" << 40;
    QTest::newRow("llama") << "llama-lm" << 40;
    QTest::newRow("qwen2 (tied)") << "qwen2-lm" << 40;
    QTest::newRow("mistral (window 8)") << "decoders/mistral" << 40;
    QTest::newRow("qwen3 (window 6 above layer 0)") << "decoders/qwen3" << 40;
    QTest::newRow("llama3 rope") << "decoders/llama-rope-llama3" << 40;
    QTest::newRow("yarn rope") << "decoders/llama-rope-yarn" << 40;
    // Dynamic NTK rescales every position past max_position_embeddings (16): stay within it.
    QTest::newRow("dynamic rope") << "decoders/llama-rope-dynamic" << 16;
}

void TestGenerator::cachedLogitsEqualWholeSequence()
{
    QFETCH(QString, model);
    QFETCH(int, length);
    const auto lm = load(model);
    const torch::Tensor ids = prompt(lm->config().vocabSize, length, 7); // (1,S)
    torch::NoGradGuard noGrad;
    const torch::Tensor whole = lm->forward(ids, torch::ones_like(ids)); // (1,S,V)
    // A 5-token prefill, a 3-token chunk, then one token at a time.
    const auto backbone = std::dynamic_pointer_cast<CausalBackbone>(lm->backbone());
    QVERIFY(backbone);
    KvCache cache;
    int64_t at = 0;
    double worst = 0;
    while (at < length) {
        const int64_t step = at == 0 ? 5 : at == 5 ? 3 : 1;
        const torch::Tensor fresh = ids.narrow(1, at, step);
        const torch::Tensor logits = lm->headForward(backbone->forwardCached(fresh, cache), torch::ones_like(fresh));
        QCOMPARE(cache.length(), at + step);
        worst = std::max(worst, (logits - whole.narrow(1, at, step)).abs().max().item<double>());
        at += step;
    }
    QVERIFY2(worst <= kTolerance, qPrintable(QStringLiteral("cached logits differ by %1").arg(worst)));
}

void TestGenerator::cachedGreedyEqualsUncached()
{
    QFETCH(QString, model);
    QFETCH(int, length);
    const auto lm = load(model);
    GenerationParams params;
    params.maxNewTokens = std::min(kNewTokens, length - 8);
    const torch::Tensor start = prompt(lm->config().vocabSize, 8, 11);
    auto cached = Generator::generate(*lm, start, params);
    params.useCache = false;
    auto uncached = Generator::generate(*lm, start, params);
    QVERIFY2(cached.ok() && uncached.ok(), qPrintable(cached.error() + uncached.error()));
    QCOMPARE(cached->tokens.size(), size_t(params.maxNewTokens));
    QVERIFY(cached->tokens == uncached->tokens);
}

void TestGenerator::slidingWindowCacheStaysBounded_data()
{
    QTest::addColumn<QString>("model");
    QTest::newRow("mistral (window 8)") << "decoders/mistral";
    QTest::newRow("qwen3 (window 6 above layer 0)") << "decoders/qwen3";
}

void TestGenerator::slidingWindowCacheStaysBounded()
{
    QFETCH(QString, model);
    const auto lm = load(model);
    const ModelConfig &config = lm->config();
    constexpr int kLength = 48;  // six windows of 8
    constexpr int kPrefill = 20; // a prompt longer than the window, run at once
    const torch::Tensor ids = prompt(config.vocabSize, kLength, 5); // (1,S)
    torch::NoGradGuard noGrad;
    const torch::Tensor whole = lm->forward(ids, torch::ones_like(ids)); // (1,S,V)
    const auto backbone = std::dynamic_pointer_cast<CausalBackbone>(lm->backbone());
    QVERIFY(backbone);
    KvCache cache;
    double worst = 0;
    for (int64_t at = 0; at < kLength;) {
        const int64_t step = at == 0 ? kPrefill : 1;
        const torch::Tensor fresh = ids.narrow(1, at, step);
        const torch::Tensor logits = lm->headForward(backbone->forwardCached(fresh, cache), torch::ones_like(fresh));
        worst = std::max(worst, (logits - whole.narrow(1, at, step)).abs().max().item<double>());
        at += step;
        QCOMPARE(cache.length(), at);
        // A windowed layer holds the last window - 1 tokens (all the next one can see); the others all.
        for (int layer = 0; layer < config.numLayers; ++layer) {
            const int64_t window = config.windowOf(layer);
            QCOMPARE(cache.held(size_t(layer)), window > 0 ? std::min(at, window - 1) : at);
        }
    }
    QVERIFY(config.windowOf(int(config.numLayers) - 1) > 0);
    QVERIFY2(worst <= kTolerance, qPrintable(QStringLiteral("cached logits differ by %1").arg(worst)));
}

void TestGenerator::sameSeedSameSample()
{
    const auto lm = load(QStringLiteral("decoders/qwen3"));
    const torch::Tensor start = prompt(lm->config().vocabSize, 6, 3);
    GenerationParams params;
    params.maxNewTokens = kNewTokens;
    params.temperature = 1.5;
    params.seed = 42;
    auto first = Generator::generate(*lm, start, params);
    auto again = Generator::generate(*lm, start, params);
    QVERIFY2(first.ok() && again.ok(), qPrintable(first.error() + again.error()));
    QVERIFY(first->tokens == again->tokens);
    params.useCache = false;
    auto uncached = Generator::generate(*lm, start, params);
    QVERIFY(uncached.ok() && uncached->tokens == first->tokens);
    // Other seeds draw other tokens (a hot random model is close to uniform over 100 tokens).
    int differing = 0;
    for (quint64 seed : {1, 2, 3}) {
        params.seed = seed;
        auto other = Generator::generate(*lm, start, params);
        QVERIFY(other.ok());
        differing += other->tokens != first->tokens;
    }
    QCOMPARE(differing, 3);
    GenerationParams greedy;
    greedy.maxNewTokens = kNewTokens;
    auto argmax = Generator::generate(*lm, start, greedy);
    QVERIFY(argmax.ok() && argmax->tokens != first->tokens);
}

void TestGenerator::topKOneIsGreedy()
{
    const auto lm = load(QStringLiteral("decoders/mistral"));
    const torch::Tensor start = prompt(lm->config().vocabSize, 6, 5);
    GenerationParams greedy;
    greedy.maxNewTokens = kNewTokens;
    GenerationParams topOne = greedy;
    topOne.temperature = 5.0;
    topOne.topK = 1;
    topOne.seed = 9;
    auto a = Generator::generate(*lm, start, greedy), b = Generator::generate(*lm, start, topOne);
    QVERIFY(a.ok() && b.ok());
    QVERIFY(a->tokens == b->tokens);
    topOne.topK = 0;
    auto hot = Generator::generate(*lm, start, topOne);
    QVERIFY(hot.ok() && hot->tokens != a->tokens); // the filter, not the seed, made them equal
}

void TestGenerator::topPFiltersTheTail()
{
    // Probabilities 0.5, 0.3, 0.15, 0.05: p = 0.7 keeps the first two, p = 0.5 the first only.
    const torch::Tensor logits = torch::tensor({0.15, 0.5, 0.05, 0.3}, torch::kFloat).log();
    GenerationParams params;
    params.temperature = 1.0;
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(1);
    std::set<int64_t> seen;
    params.topP = 0.7;
    for (int i = 0; i < 400; ++i)
        seen.insert(Generator::pick(logits, params, generator));
    QCOMPARE(seen, (std::set<int64_t>{1, 3}));
    seen.clear();
    params.topP = 0.5;
    for (int i = 0; i < 50; ++i)
        seen.insert(Generator::pick(logits, params, generator));
    QCOMPARE(seen, (std::set<int64_t>{1}));
    seen.clear();
    params.topP = 1.0;
    params.topK = 3;
    for (int i = 0; i < 600; ++i)
        seen.insert(Generator::pick(logits, params, generator));
    QCOMPARE(seen, (std::set<int64_t>{0, 1, 3}));
}

void TestGenerator::streamsAndAborts()
{
    const auto lm = load(QStringLiteral("decoders/qwen2.5"));
    const torch::Tensor start = prompt(lm->config().vocabSize, 6, 13);
    GenerationParams params;
    params.maxNewTokens = 10;
    std::vector<int64_t> streamed;
    params.onToken = [&](qint64 token) { streamed.push_back(token); };
    params.abort = [&] { return streamed.size() == 4; };
    auto out = Generator::generate(*lm, start, params);
    QVERIFY2(out.ok(), qPrintable(out.error()));
    QCOMPARE(int(out->stop), int(GeneratedTokens::Stop::Aborted));
    QCOMPARE(out->tokens.size(), size_t(4));
    QVERIFY(out->tokens == streamed);
}

void TestGenerator::optionRangesAreChecked_data()
{
    QTest::addColumn<int>("maxNewTokens");
    QTest::addColumn<double>("temperature");
    QTest::addColumn<int>("topK");
    QTest::addColumn<double>("topP");
    QTest::addColumn<QString>("message");
    QTest::newRow("no tokens") << 0 << 0.0 << 0 << 1.0 << "max-new-tokens is 0";
    QTest::newRow("negative temperature") << 4 << -0.5 << 0 << 1.0 << "temperature is -0.5";
    QTest::newRow("NaN temperature") << 4 << std::nan("") << 0 << 1.0 << "temperature is nan";
    QTest::newRow("negative top-k") << 4 << 1.0 << -1 << 1.0 << "top-k is -1";
    QTest::newRow("zero top-p") << 4 << 1.0 << 0 << 0.0 << "top-p is 0";
    QTest::newRow("top-p above 1") << 4 << 1.0 << 0 << 1.5 << "top-p is 1.5";
}

void TestGenerator::optionRangesAreChecked()
{
    QFETCH(int, maxNewTokens);
    QFETCH(double, temperature);
    QFETCH(int, topK);
    QFETCH(double, topP);
    QFETCH(QString, message);
    const auto lm = load(QStringLiteral("gpt2-lm"));
    GenerationParams params;
    params.maxNewTokens = maxNewTokens;
    params.temperature = temperature;
    params.topK = topK;
    params.topP = topP;
    auto refused = Generator::generate(*lm, prompt(100, 3, 1), params);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(message), qPrintable(refused.error()));
}

void TestGenerator::learnedPositionsLimitTheLength()
{
    const auto lm = load(QStringLiteral("gpt2-lm")); // n_positions 64
    GenerationParams params;
    params.maxNewTokens = 60;
    auto refused = Generator::generate(*lm, prompt(100, 5, 1), params);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(QStringLiteral("the model has 64")), qPrintable(refused.error()));
    params.maxNewTokens = 59;
    auto fits = Generator::generate(*lm, prompt(100, 5, 1), params);
    QVERIFY2(fits.ok(), qPrintable(fits.error()));
}

QTEST_GUILESS_MAIN(TestGenerator)
#include "tst_generator.moc"
