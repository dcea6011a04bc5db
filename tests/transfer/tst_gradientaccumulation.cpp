// Gradient accumulation over micro-batches: 2 micro-batches of 8 (or 3 of 6, 5 and 5) train as one
// batch of 16 (the same losses and weights within 1e-5, dropout off), the factor is recorded with the run's metrics, and "auto"
// picks the fewest micro-batches whose estimated memory fits the memory it is given.
#include "TinyBert.h"
#include "TrainerHarness.h"
#include "model/ModelConfig.h"
#include "model/nn/PretrainedModel.h"
#include "project/RunVocabulary.h"
#include "train/ClassificationObjective.h"
#include "train/Trainer.h"
#include "transfer/LoraStrategy.h"
#include "transfer/RunMemoryEstimate.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>
#include <random>

using namespace ts;

namespace {

constexpr int kBatch = 16;
constexpr int kSteps = 8;
constexpr int kTrainExamples = 64; // 4 batches per epoch: 2 epochs
// fp32 on both sides; the sums run in another order, so not bit-identical.
constexpr double kTolerance = 1e-5;

/// Two classes told apart by their token ranges; lengths 6-20, so that batches are padded.
TokenizedSet syntheticSet(int size, unsigned seed)
{
    std::mt19937 rng(seed);
    TokenizedSet set;
    set.name = QStringLiteral("train");
    for (int i = 0; i < size; ++i) {
        const int label = i % 2;
        const int length = 6 + int(rng() % 15);
        std::vector<long long> ids{1};
        for (int t = 1; t < length; ++t)
            ids.push_back(10 + label * 40 + static_cast<long long>(rng() % 40));
        set.ids.push_back(ids);
        set.labels.append(label);
        set.domains.append(0);
    }
    return set;
}

/// A 2-layer BERT classifier without dropout, the same weights every time.
std::shared_ptr<PretrainedModel> tinyClassifier()
{
    test::TinyBertShape shape;
    shape.vocab = 100;
    shape.hidden = 32;
    shape.intermediate = 64;
    shape.positions = 32;
    shape.dropout = false;
    return test::tinyBertClassifier(shape);
}

/// Classification that notes the size of every batch it is given.
class CountingObjective : public ClassificationObjective
{
public:
    using ClassificationObjective::ClassificationObjective;
    torch::Tensor loss(const Batch &batch, double progress, int64_t step) override
    {
        sizes.append(batch.size());
        return ClassificationObjective::loss(batch, progress, step);
    }
    QList<int64_t> sizes;
};

struct Outcome
{
    QList<double> losses;          // the training loss of every step
    QList<double> recordedFactors; // "train" "grad_accumulation" rows
    QList<int64_t> microSizes;     // the examples of every forward pass, in order
    std::shared_ptr<PretrainedModel> model;
};

Outcome train(int accumulation, const TokenizedSet &trainSet)
{
    Outcome outcome;
    outcome.model = tinyClassifier();
    test::TrainerHarness harness(QStringLiteral("accumulation.tstudio"));
    TrainingConfig config;
    config.batchSize = kBatch;
    config.gradientAccumulation = accumulation;
    config.learningRate = 1e-3;
    config.evalEvery = kSteps;
    config.checkpointEvery = kSteps;
    config.precision = QStringLiteral("fp32");
    CountingObjective objective(outcome.model, 2, 0, torch::kCPU);
    TrainingPhase phase = test::TrainerHarness::fineTuning(objective, outcome.model, trainSet,
                                                           double(kSteps) * kBatch / kTrainExamples, config.learningRate);
    const auto result = harness.run(config, phase);
    if (!result || result->steps != kSteps)
        return outcome;
    outcome.microSizes = objective.sizes;
    outcome.losses = harness.values(Splits::kTrain, Metrics::kLoss);
    outcome.recordedFactors = harness.values(Splits::kTrain, Metrics::kGradAccumulation);
    return outcome;
}

/// Qwen2.5-0.5B's shape (the fields that size it), stored in bf16.
ModelConfig qwenHalfBillion()
{
    const QJsonObject json{{"model_type", "qwen2"}, {"vocab_size", 151936}, {"hidden_size", 896},
                           {"intermediate_size", 4864}, {"num_hidden_layers", 24}, {"num_attention_heads", 14},
                           {"num_key_value_heads", 2}, {"max_position_embeddings", 32768}, {"tie_word_embeddings", true},
                           {"torch_dtype", "bfloat16"}};
    return ModelConfig::fromJson(QJsonDocument(json).toJson(), QStringLiteral("qwen2.5-0.5b")).value();
}

} // namespace

class TestGradientAccumulation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }
    void microBatchesTrainAsOneBatch_data();
    void microBatchesTrainAsOneBatch();
    void autoPicksTheFewestThatFit();
    void configKeepsAutoOrTheFactor();
};

void TestGradientAccumulation::microBatchesTrainAsOneBatch_data()
{
    QTest::addColumn<int>("accumulation");
    QTest::addColumn<QList<int64_t>>("sizes"); // of one batch's micro-batches
    QTest::newRow("2 x 8") << 2 << QList<int64_t>{8, 8};
    QTest::newRow("3 x 6, 5, 5") << 3 << QList<int64_t>{5, 5, 6}; // unequal parts, weighted by their size
}

void TestGradientAccumulation::microBatchesTrainAsOneBatch()
{
    QFETCH(int, accumulation);
    QFETCH(QList<int64_t>, sizes);
    const TokenizedSet trainSet = syntheticSet(kTrainExamples, 3);
    const Outcome whole = train(1, trainSet);
    const Outcome split = train(accumulation, trainSet);
    QCOMPARE(whole.microSizes, QList<int64_t>(kSteps, kBatch));
    QCOMPARE(split.microSizes.size(), kSteps * accumulation);
    QList<int64_t> first = split.microSizes.mid(0, accumulation);
    std::sort(first.begin(), first.end());
    QCOMPARE(first, sizes);
    QCOMPARE(whole.losses.size(), kSteps);
    QCOMPARE(split.losses.size(), kSteps);
    for (int s = 0; s < kSteps; ++s)
        QVERIFY2(std::abs(whole.losses[s] - split.losses[s]) <= kTolerance,
                 qPrintable(QStringLiteral("step %1: loss %2 (1 x 16) vs %3 (%4 micro-batches)")
                                .arg(s + 1).arg(whole.losses[s], 0, 'g', 10).arg(split.losses[s], 0, 'g', 10)
                                .arg(accumulation)));
    QVERIFY2(whole.losses.last() < whole.losses.first(), "the model did not learn: the comparison would be empty");
    const auto splitParameters = split.model->named_parameters();
    for (const auto &item : whole.model->named_parameters()) {
        const double difference = (item.value() - splitParameters[item.key()]).abs().max().item<double>();
        QVERIFY2(difference <= kTolerance, qPrintable(QStringLiteral("%1 differs by %2").arg(item.key().c_str()).arg(difference)));
    }
    // Each run records the factor it trained with.
    QCOMPARE(whole.recordedFactors, QList<double>{1.0});
    QCOMPARE(split.recordedFactors, QList<double>{double(accumulation)});
}

void TestGradientAccumulation::autoPicksTheFewestThatFit()
{
    const ModelConfig model = qwenHalfBillion();
    TrainingConfig config;
    config.strategy = QString::fromLatin1(LoraStrategy::kName);
    config.batchSize = 32;
    config.maxLength = 512;
    config.gradientCheckpointing = QStringLiteral("off");
    const RunMemoryEstimate whole = RunMemoryEstimate::forRun(model, config, false);
    QCOMPARE(whole.accumulation, 1);
    // Plenty of memory, or none known: the batch in one piece.
    QCOMPARE(RunMemoryEstimate::accumulationFor(model, config, false, 4 * whole.totalBytes()), 1);
    QCOMPARE(RunMemoryEstimate::accumulationFor(model, config, false, 0), 1);
    // Little memory: the fewest micro-batches whose estimate fits below the tight fraction.
    const qint64 small = whole.weightBytes + whole.gradientBytes + whole.optimizerBytes + whole.activationBytes / 5;
    const int factor = RunMemoryEstimate::accumulationFor(model, config, false, small);
    QVERIFY2(factor > 1, qPrintable(QString::number(factor)));
    TrainingConfig chosen = config;
    chosen.gradientAccumulation = factor;
    const RunMemoryEstimate micro = RunMemoryEstimate::forRun(model, chosen, false);
    QCOMPARE(micro.accumulation, factor);
    QCOMPARE(RunMemoryEstimate::microBatchOf(chosen), (config.batchSize + factor - 1) / factor);
    QCOMPARE(micro.verdict(small), RunMemoryEstimate::Verdict::Fits);
    chosen.gradientAccumulation = factor - 1;
    QVERIFY(RunMemoryEstimate::forRun(model, chosen, false).verdict(small) != RunMemoryEstimate::Verdict::Fits);
    QVERIFY2(micro.describe(small, QStringLiteral("the CPU")).contains(QStringLiteral("in %1 micro-batches").arg(factor)),
             qPrintable(micro.describe(small, QStringLiteral("the CPU"))));
    // Not even one example at a time fits: as many micro-batches as examples (the memory check refuses).
    QCOMPARE(RunMemoryEstimate::accumulationFor(model, config, false, whole.weightBytes), config.batchSize);
}

void TestGradientAccumulation::configKeepsAutoOrTheFactor()
{
    TrainingConfig config;
    QCOMPARE(config.gradientAccumulation, TrainingConfig::kAutoAccumulation);
    QCOMPARE(config.toJson().value(QStringLiteral("gradient_accumulation")).toString(), QStringLiteral("auto"));
    config.gradientAccumulation = 4;
    const auto back = TrainingConfig::fromJson(config.toJson());
    QVERIFY2(back, qPrintable(back.error()));
    QCOMPARE(back->gradientAccumulation, 4);
    QCOMPARE(TrainingConfig::fromJson(TrainingConfig().toJson())->gradientAccumulation, TrainingConfig::kAutoAccumulation);
    config.gradientAccumulation = config.batchSize + 1; // more micro-batches than examples
    QVERIFY(!config.validate());
    QJsonObject wrong = TrainingConfig().toJson();
    wrong.insert(QStringLiteral("gradient_accumulation"), QStringLiteral("often"));
    const auto refused = TrainingConfig::fromJson(wrong);
    QVERIFY(!refused);
    QVERIFY2(refused.error().contains(QLatin1String("gradient_accumulation")), qPrintable(refused.error()));
    int factor = -1;
    QVERIFY(TrainingConfig::parseAccumulation(QStringLiteral("auto"), &factor));
    QCOMPARE(factor, TrainingConfig::kAutoAccumulation);
    QVERIFY(TrainingConfig::parseAccumulation(QStringLiteral("8"), &factor));
    QCOMPARE(factor, 8);
    QVERIFY(!TrainingConfig::parseAccumulation(QStringLiteral("0"), &factor));
}

QTEST_MAIN(TestGradientAccumulation)
#include "tst_gradientaccumulation.moc"
