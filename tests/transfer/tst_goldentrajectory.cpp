// The trainer's update rule against PyTorch (llm.c-style): tests/golden/make_trajectory_golden.py
// fine-tunes the same tiny BERT classifier on the same batch with torch.optim.AdamW, clipping and
// the same schedule, and dumps the loss before every update, the learning rates and the final logits.
// ts::Trainer must reproduce all of them from the same starting weights.
#include "TrainerHarness.h"
#include "model/nn/ModelLoader.h"
#include "train/ClassificationObjective.h"
#include "train/Trainer.h"
#include "transfer/TransferContext.h"

#include <QTest>

using namespace ts;

namespace {

const QString kGolden = QStringLiteral(TS_TEST_DATA_DIR "/golden");
// fp32 on both sides; summation order differs (libtorch versions, BLAS), so not bit-identical.
constexpr double kLossTolerance = 1e-5;
constexpr double kLogitTolerance = 1e-4;

/// The golden batch as the trainer's examples: padding (id 0) stripped again.
TokenizedSet examples(const torch::Tensor &ids, const torch::Tensor &labels)
{
    TokenizedSet set;
    set.name = QStringLiteral("train");
    for (int64_t row = 0; row < ids.size(0); ++row) {
        const int64_t length = ids[row].ne(0).sum().item<int64_t>();
        const int64_t *data = ids[row].data_ptr<int64_t>();
        set.ids.emplace_back(data, data + length);
        set.labels.append(int(labels[row].item<int64_t>()));
        set.domains.append(0);
    }
    return set;
}

} // namespace

class TestGoldenTrajectory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void trainerMatchesPyTorch();
};

void TestGoldenTrajectory::trainerMatchesPyTorch()
{
    torch::set_num_threads(1);
    auto golden = ModelLoader::readFile(kGolden + QStringLiteral("/trajectory.safetensors"));
    QVERIFY2(golden, qPrintable(golden.error()));
    const NamedTensors &g = golden.value();
    const torch::Tensor ids = g.at("input_ids").contiguous();
    const torch::Tensor hyper = g.at("hyper");
    const int steps = int(hyper[4].item<double>());

    LoadOptions options;
    options.task = ModelTask::SequenceClassification;
    options.allowFreshHead = false; // the classifier starts from the golden weights too
    auto loaded = ModelLoader::load(kGolden + QStringLiteral("/trajectory"), options);
    QVERIFY2(loaded, qPrintable(loaded.error()));
    std::shared_ptr<PretrainedModel> model = loaded->model;
    const int classes = int(g.at("logits").size(1));

    test::TrainerHarness harness(QStringLiteral("golden.tstudio"));

    TrainingConfig config;
    config.batchSize = int(ids.size(0)); // one batch per epoch, as in the script
    config.learningRate = hyper[0].item<double>();
    config.warmupRatio = hyper[1].item<double>() / double(steps);
    config.weightDecay = hyper[2].item<double>();
    config.gradientClip = hyper[3].item<double>();
    config.evalEvery = steps;
    config.checkpointEvery = steps;
    config.precision = QStringLiteral("fp32"); // the reference is fp32 ("auto" may pick bf16 on this CPU)
    const TokenizedSet train = examples(ids, g.at("labels"));

    ClassificationObjective objective(model, classes, 0, torch::kCPU);
    TrainingPhase phase = test::TrainerHarness::fineTuning(objective, model, train, steps, config.learningRate);
    // The script's AdamW groups: no decay on biases and norms.
    ParameterGroup decay{{}, 1.0, config.weightDecay};
    ParameterGroup noDecay{{}, 1.0, 0.0};
    for (const auto &item : model->named_parameters())
        (TransferContext::isNoDecay(item.key()) ? noDecay : decay).parameters.push_back(item.value());
    phase.groups = {decay, noDecay};

    const auto result = harness.run(config, phase);
    QVERIFY2(result, qPrintable(result.error()));
    QCOMPARE(result->steps, int64_t(steps));

    const auto points = harness.metrics();
    QVERIFY2(points, qPrintable(points.error()));
    const QList<double> losses = harness.values(QStringLiteral("train"), QStringLiteral("loss"));
    const QList<double> rates = harness.values(QStringLiteral("train"), QStringLiteral("lr"));
    QCOMPARE(losses.size(), steps);
    QCOMPARE(rates.size(), steps);
    for (int s = 0; s < steps; ++s) {
        const double expected = g.at("loss")[s].item<double>();
        QVERIFY2(std::abs(losses[s] - expected) < kLossTolerance,
                 qPrintable(QStringLiteral("step %1: loss %2, PyTorch %3").arg(s).arg(losses[s], 0, 'g', 9)
                                .arg(expected, 0, 'g', 9)));
        QVERIFY(std::abs(rates[s] - g.at("lr")[s].item<double>()) < 1e-12);
    }
    QVERIFY2(losses.last() < losses.first() - 0.05, "the golden run must learn, or it checks little");

    model->eval();
    torch::NoGradGuard noGrad;
    const Batch batch = Batch::gather(train, [&] {
        QList<int> all;
        for (int i = 0; i < train.size(); ++i)
            all.append(i);
        return all;
    }(), 0, torch::kCPU);
    const torch::Tensor logits = objective.logits(batch);
    const double difference = (logits - g.at("logits")).abs().max().item<double>();
    QVERIFY2(difference < kLogitTolerance, qPrintable(QStringLiteral("final logits differ by %1").arg(difference)));
}

QTEST_GUILESS_MAIN(TestGoldenTrajectory)
#include "tst_goldentrajectory.moc"
