// A run whose loss or gradients become NaN or infinite stops at that step with a message that
// names the phase, the step and what to change, instead of an internal database error when the
// NaN reaches the metrics table; the steps before it keep their gradient norms.
#include "TinyBert.h"
#include "TrainerHarness.h"
#include "model/nn/PretrainedModel.h"
#include "project/RunVocabulary.h"
#include "train/ClassificationObjective.h"
#include "train/Trainer.h"

#include <QTest>

#include <limits>

using namespace ts;

namespace {

constexpr int64_t kBadStep = 3; // the global step whose loss or gradient breaks (1-based)

/// The classification loss, broken at step kBadStep: the loss itself is `lossValue` there, or
/// (when `brokenGradient`) the loss stays finite and its gradient is NaN.
class BreakingObjective : public ClassificationObjective
{
public:
    BreakingObjective(std::shared_ptr<PretrainedModel> model, double lossValue, bool brokenGradient)
        : ClassificationObjective(model, 2, 0, torch::kCPU), m_weights(model->parameters().front()),
          m_lossValue(lossValue), m_brokenGradient(brokenGradient)
    {
    }

    torch::Tensor loss(const Batch &batch, double progress, int64_t step) override
    {
        const torch::Tensor loss = ClassificationObjective::loss(batch, progress, step);
        if (step + 1 != kBadStep)
            return loss;
        if (!m_brokenGradient)
            return loss * 0 + m_lossValue;
        // where() takes 0 in the forward pass, but the untaken branch's gradient, 0 x sqrt'(<0), is NaN.
        const torch::Tensor negative = -(m_weights.abs().sum() + 1);
        return loss + torch::where(torch::tensor(false), torch::sqrt(negative), torch::zeros({}));
    }

private:
    torch::Tensor m_weights;
    double m_lossValue;
    bool m_brokenGradient;
};

TokenizedSet syntheticSet(int size)
{
    TokenizedSet set;
    set.name = QStringLiteral("train");
    for (int i = 0; i < size; ++i) {
        set.ids.push_back({1, 10 + i % 50, 60 + i % 40, 2});
        set.labels.append(i % 2);
        set.domains.append(0);
    }
    return set;
}

std::shared_ptr<PretrainedModel> tinyClassifier()
{
    test::TinyBertShape shape;
    shape.vocab = 120;
    shape.hidden = 32;
    shape.layers = 1;
    shape.heads = 2;
    shape.intermediate = 64;
    shape.positions = 16;
    return test::tinyBertClassifier(shape);
}

struct Outcome
{
    Result<PhaseResult> result = Result<PhaseResult>::failure(QStringLiteral("not run"));
    QList<qint64> normSteps; // steps with a recorded gradient norm
};

Outcome train(double lossValue, bool brokenGradient, double gradientClip)
{
    Outcome outcome;
    auto model = tinyClassifier();
    test::TrainerHarness harness(QStringLiteral("divergence.tstudio"));
    TrainingConfig config;
    config.batchSize = 8;
    config.learningRate = 1e-3;
    config.gradientClip = gradientClip;
    config.precision = QStringLiteral("fp32");
    const TokenizedSet trainSet = syntheticSet(64);
    BreakingObjective objective(model, lossValue, brokenGradient);
    TrainingPhase phase = test::TrainerHarness::fineTuning(objective, model, trainSet, 1, config.learningRate);
    outcome.result = harness.run(config, phase);
    harness.flush();
    const auto points = harness.metrics();
    if (!points)
        return outcome;
    for (const MetricPoint &p : points.value()) {
        if (p.metric == Metrics::kGradientNorm)
            outcome.normSteps.append(p.step);
    }
    return outcome;
}

} // namespace

class TestDivergence : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }
    void healthyRunRecordsEveryGradientNorm();
    void nanLossStopsTheRun();
    void infiniteLossStopsTheRun();
    void nanGradientStopsTheRun();
};

void TestDivergence::healthyRunRecordsEveryGradientNorm()
{
    const Outcome outcome = train(1.0, false, 1.0);
    // Step 3's loss is the constant 1: finite, so the run goes on (its gradient is zero).
    QVERIFY2(outcome.result.ok(), qPrintable(outcome.result.error()));
    QCOMPARE(outcome.normSteps, (QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8}));
}

void TestDivergence::nanLossStopsTheRun()
{
    const Outcome outcome = train(std::numeric_limits<double>::quiet_NaN(), false, 1.0);
    QVERIFY(!outcome.result.ok());
    const QString error = outcome.result.error();
    QVERIFY2(error.contains(QLatin1String("diverged in phase \"fine-tuning\" at step 3")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("training loss is not a number")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("Lower the learning rate (now 0.001)")), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1String("clipping")), qPrintable(error));
    QCOMPARE(outcome.normSteps, (QList<qint64>{1, 2}));
}

void TestDivergence::infiniteLossStopsTheRun()
{
    const Outcome outcome = train(std::numeric_limits<double>::infinity(), false, 0.0);
    QVERIFY(!outcome.result.ok());
    const QString error = outcome.result.error();
    QVERIFY2(error.contains(QLatin1String("training loss is infinite")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("turn gradient clipping on")), qPrintable(error));
    QVERIFY(outcome.normSteps.isEmpty()); // without clipping no norm is computed
}

void TestDivergence::nanGradientStopsTheRun()
{
    const Outcome outcome = train(1.0, true, 1.0);
    QVERIFY(!outcome.result.ok());
    const QString error = outcome.result.error();
    QVERIFY2(error.contains(QLatin1String("at step 3: the gradient norm is not a number")), qPrintable(error));
    QCOMPARE(outcome.normSteps, (QList<qint64>{1, 2}));
}

QTEST_GUILESS_MAIN(TestDivergence)
#include "tst_divergence.moc"
