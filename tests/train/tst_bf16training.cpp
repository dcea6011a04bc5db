// bf16 autocast on the CPU (TrainingPrecision, Autocast): the tiny BERT classifier trained 200
// steps in bf16 follows the fp32 trajectory from the same weights, data and dropout masks, and
// ends with the same held-out accuracy; the master weights stay fp32. Skipped on
// a CPU without AVX512-BF16 or AMX (bf16 would be emulated; the trainer refuses it there).
#include "TinyBert.h"
#include "TrainerHarness.h"
#include "model/nn/PretrainedModel.h"
#include "model/nn/Autocast.h"
#include "train/ClassificationObjective.h"
#include "train/Trainer.h"
#include "util/CpuFeatures.h"

#include <QTest>

#include <random>

using namespace ts;

namespace {

constexpr int kSteps = 200;
constexpr int kBatch = 16;
constexpr int kTrainExamples = 256; // 16 batches per epoch: 12.5 epochs make 200 steps
// Stated tolerances of the bf16 trajectory against fp32 (the loss of each step's batch, nats).
// bf16 keeps 8 bits of mantissa (relative error 2^-9 per rounding) and the two runs' weights
// drift apart; once the model is confident, a batch's loss is dominated by its one or two hard
// examples, whose loss can differ by a few nats, so single steps are compared only on average
// and over windows. Measured here (AMX): mean 0.0015, largest window 0.011.
constexpr double kMeanLossTolerance = 0.01;   // mean over the 200 steps of |bf16 - fp32|
constexpr int kWindow = 20;                    // steps per window
constexpr double kWindowLossTolerance = 0.03; // |mean bf16 - mean fp32| of each window
constexpr double kAccuracyTolerance = 0.01;   // one point of held-out accuracy

struct Outcome
{
    QList<double> losses;  // the training loss of every step
    double accuracy = 0.0; // on the held-out set after the last step
    std::shared_ptr<PretrainedModel> model;
};

/// Class 0 draws most tokens from ids 10-99, class 1 from 100-189, the rest from anywhere:
/// learnable in a few hundred steps. Lengths 8-32, so that batches are padded.
TokenizedSet syntheticSet(const QString &name, int size, unsigned seed)
{
    std::mt19937 rng(seed);
    TokenizedSet set;
    set.name = name;
    for (int i = 0; i < size; ++i) {
        const int label = i % 2;
        const int length = 8 + int(rng() % 25);
        std::vector<long long> ids{1}; // [CLS]
        for (int t = 1; t < length; ++t) {
            const bool topical = rng() % 10 < 6;
            ids.push_back(topical ? 10 + label * 90 + static_cast<long long>(rng() % 90) : 10 + static_cast<long long>(rng() % 180));
        }
        set.ids.push_back(ids);
        set.labels.append(label);
        set.domains.append(0);
    }
    return set;
}

std::shared_ptr<PretrainedModel> tinyClassifier()
{
    return test::tinyBertClassifier(test::TinyBertShape()); // the same starting weights for both precisions
}

Outcome train(const QString &precision, const TokenizedSet &trainSet, const TokenizedSet &heldOut)
{
    Outcome outcome;
    outcome.model = tinyClassifier();
    test::TrainerHarness harness(QStringLiteral("bf16.tstudio"));
    TrainingConfig config;
    config.batchSize = kBatch;
    config.learningRate = 1e-3;
    config.evalEvery = kSteps;
    config.checkpointEvery = kSteps;
    config.precision = precision;
    ClassificationObjective objective(outcome.model, 2, 0, torch::kCPU);
    TrainingPhase phase = test::TrainerHarness::fineTuning(objective, outcome.model, trainSet,
                                                           double(kSteps) * kBatch / kTrainExamples, config.learningRate);
    torch::manual_seed(11); // the same dropout masks
    const auto result = harness.run(config, phase);
    if (!result || result->steps != kSteps)
        return outcome;
    outcome.losses = harness.values(QStringLiteral("train"), QStringLiteral("loss"));
    outcome.accuracy = objective.evaluate(heldOut, 64).value(QStringLiteral("accuracy"));
    return outcome;
}

} // namespace

class TestBf16Training : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void autocastMakesMatrixProductsBf16();
    void bf16FollowsTheFp32Trajectory();
};

void TestBf16Training::initTestCase()
{
    if (!CpuFeatures::host().hasBf16())
        QSKIP("this CPU has neither AVX512-BF16 nor AMX");
    torch::set_num_threads(1);
}

void TestBf16Training::autocastMakesMatrixProductsBf16()
{
    const torch::Tensor a = torch::randn({8, 8});
    {
        Autocast outer(torch::kCPU, true);
        QCOMPARE(torch::matmul(a, a).scalar_type(), torch::kBFloat16);
        {
            Autocast inner(torch::kCPU, true);
            QCOMPARE(torch::matmul(a, a).scalar_type(), torch::kBFloat16);
        }
        // The inner guard ends without switching off the outer one's autocast.
        QCOMPARE(torch::matmul(a, a).scalar_type(), torch::kBFloat16);
        Autocast off(torch::kCPU, false);
        QCOMPARE(torch::matmul(a, a).scalar_type(), torch::kBFloat16);
    }
    QCOMPARE(torch::matmul(a, a).scalar_type(), torch::kFloat);
}

void TestBf16Training::bf16FollowsTheFp32Trajectory()
{
    const TokenizedSet trainSet = syntheticSet(QStringLiteral("train"), kTrainExamples, 1);
    const TokenizedSet heldOut = syntheticSet(QStringLiteral("source/validation"), 400, 2);
    const Outcome fp32 = train(QStringLiteral("fp32"), trainSet, heldOut);
    const Outcome bf16 = train(QStringLiteral("bf16"), trainSet, heldOut);
    QCOMPARE(fp32.losses.size(), kSteps);
    QCOMPARE(bf16.losses.size(), kSteps);

    double sum = 0.0;
    double largest = 0.0;      // of single steps
    double largestWindow = 0.0; // of kWindow-step means
    double windowDifference = 0.0;
    for (int s = 0; s < kSteps; ++s) {
        const double difference = bf16.losses[s] - fp32.losses[s];
        sum += std::abs(difference);
        largest = std::max(largest, std::abs(difference));
        windowDifference += difference / kWindow;
        if ((s + 1) % kWindow == 0) {
            largestWindow = std::max(largestWindow, std::abs(windowDifference));
            windowDifference = 0.0;
        }
    }
    const double mean = sum / kSteps;
    qInfo("|bf16 - fp32| loss over %d steps: mean %.5f, largest %.5f, largest %d-step window %.5f; held-out "
          "accuracy fp32 %.4f, bf16 %.4f",
          kSteps, mean, largest, kWindow, largestWindow, fp32.accuracy, bf16.accuracy);
    // bf16 really ran: the losses are not fp32's bit for bit.
    QVERIFY2(largest > 0.0, "the bf16 run computed exactly the fp32 losses: autocast was not on");
    QVERIFY2(mean < kMeanLossTolerance, qPrintable(QString::number(mean)));
    QVERIFY2(largestWindow < kWindowLossTolerance, qPrintable(QString::number(largestWindow)));
    // Both learned the task, to the same point.
    QVERIFY2(fp32.losses.last() < 0.5 * fp32.losses.first(), qPrintable(QString::number(fp32.losses.last())));
    QVERIFY2(fp32.accuracy > 0.9, qPrintable(QString::number(fp32.accuracy)));
    QVERIFY2(std::abs(bf16.accuracy - fp32.accuracy) <= kAccuracyTolerance,
             qPrintable(QStringLiteral("%1 vs %2").arg(bf16.accuracy).arg(fp32.accuracy)));
    // Master weights stay fp32.
    for (const torch::Tensor &p : bf16.model->parameters())
        QCOMPARE(p.scalar_type(), torch::kFloat);
}

QTEST_GUILESS_MAIN(TestBf16Training)
#include "tst_bf16training.moc"
