// Data-parallel parity (DataParallelGroup, Trainer): 2 ranks, each training its 8 examples of
// every batch of 16, take the steps one process takes with batches of 16. The tiny BERT
// classifier without dropout, 24 steps from the same weights and data: every step's loss agrees
// within 1e-5 and the final weights within 1e-4, on both ranks. The ranks are two threads of this
// process, each with its own Gloo process group over a loopback TCP store.
#include "distributed/DataParallelGroup.h"
#include "model/ModelConfig.h"
#include "model/nn/PretrainedModel.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "train/ClassificationObjective.h"
#include "train/Trainer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <random>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace ts;

namespace {

constexpr int kSteps = 24;
constexpr int kGlobalBatch = 16;    // one process; 2 ranks take 8 each
constexpr int kTrainExamples = 128; // 8 batches per epoch: 3 epochs
constexpr double kLossTolerance = 1e-5;
constexpr double kWeightTolerance = 1e-4;
constexpr int kTimeoutSeconds = 60; // of the collectives: a broken test fails instead of hanging

/// Class 0 draws most tokens from ids 10-99, class 1 from 100-189; lengths 8-32, so that the
/// ranks' halves of a batch are padded to different lengths than the whole batch.
TokenizedSet syntheticSet(int size, unsigned seed)
{
    std::mt19937 rng(seed);
    TokenizedSet set;
    set.name = QStringLiteral("train");
    for (int i = 0; i < size; ++i) {
        const int label = i % 2;
        const int length = 8 + int(rng() % 25);
        std::vector<long long> ids{1};
        for (int t = 1; t < length; ++t) {
            const bool topical = rng() % 10 < 6;
            ids.push_back(topical ? 10 + label * 90 + static_cast<long long>(rng() % 90)
                                  : 10 + static_cast<long long>(rng() % 180));
        }
        set.ids.push_back(ids);
        set.labels.append(label);
        set.domains.append(0);
    }
    return set;
}

/// The tiny classifier without dropout, from init seed `seed`.
std::shared_ptr<PretrainedModel> tinyClassifier(uint64_t seed)
{
    const QJsonObject json{{QStringLiteral("model_type"), QStringLiteral("bert")},
                           {QStringLiteral("vocab_size"), 200},
                           {QStringLiteral("hidden_size"), 64},
                           {QStringLiteral("num_hidden_layers"), 2},
                           {QStringLiteral("num_attention_heads"), 4},
                           {QStringLiteral("intermediate_size"), 128},
                           {QStringLiteral("max_position_embeddings"), 64},
                           {QStringLiteral("type_vocab_size"), 2},
                           {QStringLiteral("hidden_act"), QStringLiteral("gelu")},
                           {QStringLiteral("hidden_dropout_prob"), 0.0},
                           {QStringLiteral("attention_probs_dropout_prob"), 0.0},
                           {QStringLiteral("classifier_dropout"), 0.0},
                           {QStringLiteral("pad_token_id"), 0}};
    const auto config = ModelConfig::fromJson(QJsonDocument(json).toJson(), QStringLiteral("tiny"));
    torch::manual_seed(seed);
    return PretrainedModel::create(config.value(), ModelTask::SequenceClassification, 2).value();
}

int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address));
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

struct Outcome
{
    QString error;
    QList<double> losses; // the recorded training loss of every step
    std::shared_ptr<PretrainedModel> model;
};

/// Trains `outcome.model` for kSteps steps of kGlobalBatch examples; as rank `context.rank` of
/// `context.worldSize` when that is more than one.
void train(const DistributedContext &context, const TokenizedSet &trainSet, Outcome &outcome)
{
    std::unique_ptr<DataParallelGroup> group;
    if (context.isDistributed()) {
        auto joined = DataParallelGroup::connect(context);
        if (!joined) {
            outcome.error = joined.error();
            return;
        }
        group = std::move(joined.value());
    }
    QTemporaryDir dir;
    auto project = Project::create(dir.filePath(QStringLiteral("parity.tstudio")));
    if (!project) {
        outcome.error = project.error();
        return;
    }
    RunRecord record;
    record.strategy = QStringLiteral("source-only");
    const qint64 runId = RunStore(project.value()->database()).create(record).value();
    TrainingCallbacks callbacks;
    MetricSink sink(project.value()->database(), runId, callbacks);
    CheckpointStore checkpoints(project.value()->database(), runId);
    TrainingConfig config;
    config.batchSize = kGlobalBatch;
    config.learningRate = 1e-3;
    config.evalEvery = kSteps;
    config.checkpointEvery = kSteps;
    config.precision = QStringLiteral("fp32");
    ClassificationObjective objective(outcome.model, 2, 0, torch::kCPU);
    TrainingPhase phase;
    phase.name = QStringLiteral("fine-tuning");
    phase.objective = &objective;
    phase.model = outcome.model;
    phase.groups = {{outcome.model->parameters(), 1.0, 0.01}};
    phase.train = &trainSet;
    phase.epochs = double(kSteps) * kGlobalBatch / kTrainExamples;
    phase.learningRate = config.learningRate;
    Trainer trainer(config, torch::kCPU, 0, sink, checkpoints, callbacks, runId, group.get());
    const auto result = trainer.run(phase, std::nullopt);
    if (!result) {
        outcome.error = result.error();
        return;
    }
    const auto points = RunStore(project.value()->database()).metrics(runId);
    for (const MetricPoint &p : points.value()) {
        if (p.split == QLatin1String("train") && p.metric == QLatin1String("loss"))
            outcome.losses.append(p.value);
    }
}

double largestDifference(PretrainedModel &a, PretrainedModel &b)
{
    const auto pa = a.named_parameters();
    const auto pb = b.named_parameters();
    double largest = 0.0;
    for (const auto &item : pa)
        largest = std::max(largest, (item.value() - pb[item.key()]).abs().max().item<double>());
    return largest;
}

} // namespace

class TestDataParallelParity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void twoRanksTakeTheStepsOfOneProcess();
};

void TestDataParallelParity::initTestCase()
{
    torch::set_num_threads(1);
}

void TestDataParallelParity::twoRanksTakeTheStepsOfOneProcess()
{
    const TokenizedSet trainSet = syntheticSet(kTrainExamples, 1);
    Outcome single;
    single.model = tinyClassifier(5);
    train(DistributedContext{}, trainSet, single);
    QVERIFY2(single.error.isEmpty(), qPrintable(single.error));
    QCOMPARE(single.losses.size(), kSteps);

    // Rank 1 starts from other weights: the broadcast from rank 0 must replace them.
    Outcome ranks[2];
    ranks[0].model = tinyClassifier(5);
    ranks[1].model = tinyClassifier(6);
    QVERIFY(largestDifference(*ranks[0].model, *ranks[1].model) > 1e-3);
    DistributedContext context;
    context.worldSize = 2;
    context.masterPort = freePort();
    context.timeoutSeconds = kTimeoutSeconds;
    std::vector<std::thread> threads;
    for (int rank = 0; rank < 2; ++rank) {
        DistributedContext mine = context;
        mine.rank = rank;
        threads.emplace_back([mine, &trainSet, &ranks] { train(mine, trainSet, ranks[mine.rank]); });
    }
    for (std::thread &t : threads)
        t.join();
    QVERIFY2(ranks[0].error.isEmpty(), qPrintable(ranks[0].error));
    QVERIFY2(ranks[1].error.isEmpty(), qPrintable(ranks[1].error));
    // Each rank's loss is the whole batch's (summed over the ranks): the same on both.
    QCOMPARE(ranks[0].losses.size(), kSteps);
    QCOMPARE(ranks[1].losses, ranks[0].losses);
    double largestLoss = 0.0;
    for (int s = 0; s < kSteps; ++s) {
        largestLoss = std::max(largestLoss, std::abs(ranks[0].losses[s] - single.losses[s]));
        QVERIFY2(std::abs(ranks[0].losses[s] - single.losses[s]) < kLossTolerance,
                 qPrintable(QStringLiteral("step %1: %2 on 2 ranks, %3 on one").arg(s + 1).arg(ranks[0].losses[s], 0, 'g', 10)
                                .arg(single.losses[s], 0, 'g', 10)));
    }
    const double weights0 = largestDifference(*ranks[0].model, *single.model);
    const double weights1 = largestDifference(*ranks[1].model, *single.model);
    qInfo("largest differences over %d steps: loss %.3g, weights rank 0 %.3g, rank 1 %.3g", kSteps, largestLoss,
          weights0, weights1);
    QVERIFY2(weights0 < kWeightTolerance, qPrintable(QString::number(weights0)));
    QVERIFY2(weights1 < kWeightTolerance, qPrintable(QString::number(weights1)));
    // The model learned something: the test is not comparing two untrained runs.
    QVERIFY2(single.losses.last() < single.losses.first(), qPrintable(QString::number(single.losses.last())));
}

QTEST_GUILESS_MAIN(TestDataParallelParity)
#include "tst_dataparallelparity.moc"
