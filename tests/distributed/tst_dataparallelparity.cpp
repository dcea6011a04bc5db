// Data-parallel parity (DataParallelGroup, Trainer): 2 ranks, each training its 8 examples of
// every batch of 16, take the steps one process takes with batches of 16. The tiny BERT
// classifier without dropout, 24 steps from the same weights and data: every step's loss agrees
// within 1e-5 and the final weights within 1e-4, on both ranks, with the gradients summed in
// small buckets while backward runs (GradientBucketReducer). Sharded evaluation
// (EvaluationShards): the class probabilities 2 ranks gather equal one process's, bit for bit,
// also when the texts do not split evenly; so do the evaluation metrics (classification and masked
// language modelling), alone and during training, where each rank scores only its share of every
// validation pass and both ranks record one process's metrics and select its step. The ranks are
// two threads of this process, each with its own Gloo process group over a loopback TCP store.
#include "distributed/DataParallelGroup.h"
#include "distributed/GradientBucketReducer.h"
#include "model/ModelConfig.h"
#include "model/nn/PretrainedModel.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "train/ClassificationObjective.h"
#include "train/EvaluationShards.h"
#include "train/LanguageModelObjective.h"
#include "project/RunVocabulary.h"
#include "train/Trainer.h"

#include <QElapsedTimer>
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
// Gradient buckets of 16 KiB: the tiny model's ~0.4 MB of gradients fill dozens, so most start
// while backward runs (the default 25 MB would make one bucket that starts after it).
constexpr qint64 kBucketBytes = 16 * 1024;

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

/// The tiny BERT without dropout for `task`, from init seed `seed`.
std::shared_ptr<PretrainedModel> tinyModel(uint64_t seed, ModelTask task)
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
    return PretrainedModel::create(config.value(), task, 2).value();
}

/// The tiny classifier without dropout, from init seed `seed`.
std::shared_ptr<PretrainedModel> tinyClassifier(uint64_t seed)
{
    return tinyModel(seed, ModelTask::SequenceClassification);
}

/// `Objective` counting the texts its evaluations score (on this rank).
template <class Objective>
class Counting : public Objective
{
public:
    using Objective::Objective;
    torch::Tensor evaluationTotals(const TokenizedSet &set, const QList<QList<int>> &batches, qsizetype first) override
    {
        for (const QList<int> &batch : batches)
            scored += batch.size();
        return Objective::evaluationTotals(set, batches, first);
    }
    qint64 scored = 0;
};

/// Masked language modelling on the tiny model's vocabulary: [MASK] is id 4; 0 (padding) and 1
/// (the first token of every text) are never masked.
std::unique_ptr<Counting<LanguageModelObjective>> maskedObjective(std::shared_ptr<PretrainedModel> model)
{
    LanguageModelObjective::Tokens tokens;
    tokens.pad = 0;
    tokens.mask = 4;
    tokens.vocabSize = 200;
    tokens.special = {0, 1, 4};
    return std::make_unique<Counting<LanguageModelObjective>>(std::move(model), LanguageModelObjective::Mode::Masked,
                                                              tokens, 0.15, 11, torch::kCPU);
}

/// `set` under another split name.
TokenizedSet named(TokenizedSet set, QLatin1String name)
{
    set.name = QString(name);
    return set;
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

/// What a training run of the tests evaluates and how it learns.
struct Scenario
{
    QList<const TokenizedSet *> evaluations;
    int evalEvery = kSteps;
    QString selection = QStringLiteral("last");
    bool languageModel = false; // masked LM (a pre-training phase) instead of classification
    double learningRate = 1e-3;
};

struct Outcome
{
    QString error;
    QList<double> losses; // the recorded training loss of every step
    std::shared_ptr<PretrainedModel> model;
    QList<MetricPoint> evaluations; // recorded on the evaluation sets, by step
    int64_t selectedStep = -1;
    qint64 scored = 0; // texts this rank's evaluations scored
};

/// Trains `outcome.model` for kSteps steps of kGlobalBatch examples; as rank `context.rank` of
/// `context.worldSize` when that is more than one.
void train(const DistributedContext &context, const TokenizedSet &trainSet, Outcome &outcome,
           const Scenario &scenario = {})
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
    config.learningRate = scenario.learningRate;
    config.evalEvery = scenario.evalEvery;
    config.checkpointEvery = kSteps;
    config.selection = scenario.selection;
    config.precision = QStringLiteral("fp32");
    Counting<ClassificationObjective> classification(outcome.model, 2, 0, torch::kCPU);
    const auto languageModel = maskedObjective(outcome.model);
    TrainingPhase phase;
    phase.name = QStringLiteral("fine-tuning");
    phase.objective = scenario.languageModel ? static_cast<TrainingObjective *>(languageModel.get()) : &classification;
    phase.model = outcome.model;
    phase.groups = {{outcome.model->parameters(), 1.0, 0.01}};
    phase.train = &trainSet;
    phase.evaluations = scenario.evaluations;
    phase.epochs = double(kSteps) * kGlobalBatch / kTrainExamples;
    phase.learningRate = config.learningRate;
    Trainer trainer(config, torch::kCPU, 0, sink, checkpoints, callbacks, runId, group.get());
    const auto result = trainer.run(phase, std::nullopt);
    if (!result) {
        outcome.error = result.error();
        return;
    }
    if (const Status s = trainer.applySelection(); !s) {
        outcome.error = s.error();
        return;
    }
    outcome.selectedStep = trainer.selectedStep();
    outcome.scored = classification.scored + languageModel->scored;
    const auto points = RunStore(project.value()->database()).metrics(runId);
    for (const MetricPoint &p : points.value()) {
        if (p.split == QLatin1String("train") && p.metric == QLatin1String("loss"))
            outcome.losses.append(p.value);
        else if (p.split != QLatin1String("train"))
            outcome.evaluations.append(p);
    }
}

/// Trains `outcomes[0]` and `outcomes[1]` as the two ranks of one run, each in its own thread.
void trainTwoRanks(const TokenizedSet &trainSet, Outcome (&outcomes)[2], const Scenario &scenario = {})
{
    DistributedContext context;
    context.worldSize = 2;
    context.masterPort = freePort();
    context.timeoutSeconds = kTimeoutSeconds;
    context.bucketBytes = kBucketBytes;
    std::vector<std::thread> threads;
    for (int rank = 0; rank < 2; ++rank) {
        DistributedContext mine = context;
        mine.rank = rank;
        threads.emplace_back([mine, &trainSet, &outcomes, &scenario] { train(mine, trainSet, outcomes[mine.rank], scenario); });
    }
    for (std::thread &t : threads)
        t.join();
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
    void bucketsStartDuringBackward();
    void shardedPredictionsEqualOneProcess_data();
    void shardedPredictionsEqualOneProcess();
    void shardedMetricsEqualOneProcess_data();
    void shardedMetricsEqualOneProcess();
    void evaluationsDuringTrainingAreSharded_data();
    void evaluationsDuringTrainingAreSharded();
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
    trainTwoRanks(trainSet, ranks);
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

namespace {

/// The gradients of the tiny classifier's loss on `indices` of `set`, in parameter order.
std::vector<torch::Tensor> gradientsOn(const TokenizedSet &set, const QList<int> &indices)
{
    auto model = tinyClassifier(5);
    ClassificationObjective objective(model, 2, 0, torch::kCPU);
    objective.loss(Batch::gather(set, indices, 0, torch::kCPU), 0.0, 0).backward();
    std::vector<torch::Tensor> grads;
    for (const torch::Tensor &p : model->parameters())
        grads.push_back(p.grad().clone());
    return grads;
}

} // namespace

void TestDataParallelParity::bucketsStartDuringBackward()
{
    // Rank 0 trains on 8 texts, rank 1 on 8 others: the sums equal the two gradients added, bit
    // for bit. A parameter in no graph (a frozen or skipped head) gets no gradient on either rank
    // and keeps none; the buckets that hold it still start, after backward.
    const TokenizedSet set = syntheticSet(16, 3);
    const QList<int> halves[2] = {{0, 1, 2, 3, 4, 5, 6, 7}, {8, 9, 10, 11, 12, 13, 14, 15}};
    const std::vector<torch::Tensor> expected0 = gradientsOn(set, halves[0]);
    const std::vector<torch::Tensor> expected1 = gradientsOn(set, halves[1]);
    DistributedContext context;
    context.worldSize = 2;
    context.masterPort = freePort();
    context.timeoutSeconds = kTimeoutSeconds;
    QString errors[2];
    std::vector<torch::Tensor> summed[2];
    bool unusedHasGradient[2] = {true, true};
    int64_t early[2] = {0, 0};
    size_t buckets = 0;
    // Built here: torch's generator is global, two threads drawing weights at once would mix them.
    std::shared_ptr<PretrainedModel> models[2] = {tinyClassifier(5), tinyClassifier(5)};
    std::vector<std::thread> threads;
    for (int rank = 0; rank < 2; ++rank) {
        DistributedContext mine = context;
        mine.rank = rank;
        threads.emplace_back([&, mine] {
            auto group = DataParallelGroup::connect(mine);
            if (!group) {
                errors[mine.rank] = group.error();
                return;
            }
            const auto &model = models[mine.rank];
            torch::Tensor unused = torch::zeros({10}, torch::requires_grad());
            std::vector<torch::Tensor> parameters{unused}; // first: in the bucket that backward fills last
            for (const torch::Tensor &p : model->parameters())
                parameters.push_back(p);
            ClassificationObjective objective(model, 2, 0, torch::kCPU);
            GradientBucketReducer reducer(*group.value(), kBucketBytes);
            reducer.expectGradients(parameters);
            objective.loss(Batch::gather(set, halves[mine.rank], 0, torch::kCPU), 0.0, 0).backward();
            double loss = 0.0;
            if (const Status s = reducer.finish(loss); !s) {
                errors[mine.rank] = s.error();
                return;
            }
            early[mine.rank] = reducer.bucketsStartedInBackward();
            if (mine.rank == 0)
                buckets = reducer.bucketCount();
            unusedHasGradient[mine.rank] = unused.grad().defined();
            for (const torch::Tensor &p : model->parameters())
                summed[mine.rank].push_back(p.grad());
        });
    }
    for (std::thread &t : threads)
        t.join();
    QVERIFY2(errors[0].isEmpty(), qPrintable(errors[0]));
    QVERIFY2(errors[1].isEmpty(), qPrintable(errors[1]));
    qInfo("%zu buckets, %lld started during backward", buckets, (long long)early[0]);
    QVERIFY(buckets > 4);
    QVERIFY2(early[0] > 0 && early[0] < int64_t(buckets), qPrintable(QString::number(early[0])));
    QVERIFY(early[1] > 0);
    for (int rank = 0; rank < 2; ++rank) {
        QVERIFY(!unusedHasGradient[rank]);
        QCOMPARE(summed[rank].size(), expected0.size());
        for (size_t i = 0; i < expected0.size(); ++i)
            QVERIFY2(torch::equal(summed[rank][i], expected0[i] + expected1[i]), qPrintable(QString::number(i)));
    }
}

void TestDataParallelParity::shardedPredictionsEqualOneProcess_data()
{
    QTest::addColumn<int>("texts");
    QTest::addColumn<int>("batchSize");
    QTest::newRow("5 batches: 2 and 3, the last one short") << 37 << 8;
    QTest::newRow("even") << 32 << 8;
    QTest::newRow("one batch: rank 0 scores nothing") << 3 << 8;
}

void TestDataParallelParity::shardedPredictionsEqualOneProcess()
{
    QFETCH(int, texts);
    QFETCH(int, batchSize);
    const TokenizedSet set = syntheticSet(texts, 2);
    auto model = tinyClassifier(5);
    ClassificationObjective objective(model, 2, 0, torch::kCPU);
    const torch::Tensor single = objective.classProbabilities(set, batchSize); // (texts, 2)
    QCOMPARE(single.size(0), int64_t(texts));

    DistributedContext context;
    context.worldSize = 2;
    context.masterPort = freePort();
    context.timeoutSeconds = kTimeoutSeconds;
    QString errors[2];
    torch::Tensor gathered[2];
    std::shared_ptr<PretrainedModel> models[2] = {tinyClassifier(5), tinyClassifier(5)};
    std::vector<std::thread> threads;
    for (int rank = 0; rank < 2; ++rank) {
        DistributedContext mine = context;
        mine.rank = rank;
        threads.emplace_back([mine, &set, batchSize, &errors, &gathered, &models] {
            auto group = DataParallelGroup::connect(mine);
            if (!group) {
                errors[mine.rank] = group.error();
                return;
            }
            ClassificationObjective own(models[mine.rank], 2, 0, torch::kCPU);
            auto scored = EvaluationShards::classProbabilities(own, set, batchSize, group.value().get());
            if (!scored)
                errors[mine.rank] = scored.error();
            else
                gathered[mine.rank] = scored.value();
        });
    }
    for (std::thread &t : threads)
        t.join();
    QVERIFY2(errors[0].isEmpty(), qPrintable(errors[0]));
    QVERIFY2(errors[1].isEmpty(), qPrintable(errors[1]));
    // Each rank scored only its share; together they are every text, in the set's order.
    const QList<int> share0 = EvaluationShards::shareOf(set, batchSize, 0, 2);
    const QList<int> share1 = EvaluationShards::shareOf(set, batchSize, 1, 2);
    QCOMPARE(share0.size() + share1.size(), texts);
    QVERIFY(share1.size() > 0);
    for (const torch::Tensor &g : gathered) {
        QCOMPARE(g.size(0), single.size(0));
        QCOMPARE(g.size(1), single.size(1));
        QVERIFY2(torch::equal(g, single), qPrintable(QString::number((g - single).abs().max().item<double>())));
    }
}

namespace {

/// The objective the metric tests measure `model` with: masked LM or classification.
std::unique_ptr<TrainingObjective> objectiveFor(bool languageModel, std::shared_ptr<PretrainedModel> model)
{
    if (languageModel)
        return maskedObjective(std::move(model));
    return std::make_unique<Counting<ClassificationObjective>>(std::move(model), 2, 0, torch::kCPU);
}

/// Texts `objective` (a Counting one) scored.
qint64 scoredBy(TrainingObjective &objective)
{
    if (auto *counting = dynamic_cast<Counting<LanguageModelObjective> *>(&objective))
        return counting->scored;
    return dynamic_cast<Counting<ClassificationObjective> &>(objective).scored;
}

/// step|split|metric -> value of the evaluations an outcome recorded.
QMap<QString, double> byKey(const QList<MetricPoint> &points)
{
    QMap<QString, double> values;
    for (const MetricPoint &p : points)
        values.insert(QStringLiteral("%1|%2|%3").arg(p.step).arg(p.split, p.metric), p.value);
    return values;
}

} // namespace

void TestDataParallelParity::shardedMetricsEqualOneProcess_data()
{
    QTest::addColumn<int>("texts");
    QTest::addColumn<int>("batchSize");
    QTest::addColumn<bool>("languageModel");
    QTest::newRow("classification, 5 batches: 2 and 3, the last one short") << 37 << 8 << false;
    QTest::newRow("classification, one batch: rank 0 scores nothing") << 3 << 8 << false;
    QTest::newRow("classification, 512 texts in 16 batches") << 512 << 32 << false;
    QTest::newRow("masked LM, 5 batches: 2 and 3, the last one short") << 37 << 8 << true;
    QTest::newRow("masked LM, 512 texts in 16 batches") << 512 << 32 << true;
}

void TestDataParallelParity::shardedMetricsEqualOneProcess()
{
    // Each rank scores its run of batches; the per-batch totals gathered and added in batch order
    // give one process's metrics to the bit (and the language model's fixed masking of each batch
    // follows the batch, not the rank that scores it).
    QFETCH(int, texts);
    QFETCH(int, batchSize);
    QFETCH(bool, languageModel);
    const ModelTask task = languageModel ? ModelTask::MaskedLm : ModelTask::SequenceClassification;
    const TokenizedSet set = syntheticSet(texts, 2);
    const auto single = objectiveFor(languageModel, tinyModel(5, task));
    QElapsedTimer timer;
    timer.start();
    const QMap<QString, double> expected = single->evaluate(set, batchSize);
    const qint64 singleMs = timer.elapsed();
    QVERIFY(expected.contains(QString(languageModel ? Metrics::kLanguageModelLoss : Metrics::kLoss)));

    DistributedContext context;
    context.worldSize = 2;
    context.masterPort = freePort();
    context.timeoutSeconds = kTimeoutSeconds;
    QString errors[2];
    QMap<QString, double> measured[2];
    qint64 elapsedMs[2] = {0, 0};
    std::unique_ptr<TrainingObjective> objectives[2] = {objectiveFor(languageModel, tinyModel(5, task)),
                                                        objectiveFor(languageModel, tinyModel(5, task))};
    std::vector<std::thread> threads;
    for (int rank = 0; rank < 2; ++rank) {
        DistributedContext mine = context;
        mine.rank = rank;
        threads.emplace_back([mine, &set, batchSize, &errors, &measured, &elapsedMs, &objectives] {
            auto group = DataParallelGroup::connect(mine);
            if (!group) {
                errors[mine.rank] = group.error();
                return;
            }
            if (const Status s = group.value()->barrier(); !s) {
                errors[mine.rank] = s.error();
                return;
            }
            QElapsedTimer clock;
            clock.start();
            auto values = EvaluationShards::evaluate(*objectives[mine.rank], set, batchSize, group.value().get());
            elapsedMs[mine.rank] = clock.elapsed();
            if (!values)
                errors[mine.rank] = values.error();
            else
                measured[mine.rank] = values.value();
        });
    }
    for (std::thread &t : threads)
        t.join();
    QVERIFY2(errors[0].isEmpty(), qPrintable(errors[0]));
    QVERIFY2(errors[1].isEmpty(), qPrintable(errors[1]));
    qInfo("one validation pass over %d texts: %lld ms alone, %lld ms on 2 ranks (1 thread each)", texts, singleMs,
          std::max(elapsedMs[0], elapsedMs[1]));
    QCOMPARE(measured[0], expected);
    QCOMPARE(measured[1], expected);
    // Each rank scored its share only.
    const qint64 scored0 = scoredBy(*objectives[0]);
    const qint64 scored1 = scoredBy(*objectives[1]);
    QCOMPARE(scored0 + scored1, qint64(texts));
    QVERIFY(scored1 > 0);
}

void TestDataParallelParity::evaluationsDuringTrainingAreSharded_data()
{
    QTest::addColumn<bool>("languageModel");
    QTest::addColumn<QString>("selection");
    QTest::addColumn<double>("learningRate");
    QTest::newRow("classification, best-source") << false << QStringLiteral("best-source") << 1e-3;
    QTest::newRow("classification, best-target") << false << QStringLiteral("best-target") << 1e-3;
    // A rank masks the tokens of its share of a training batch, not the ones one process masks in
    // the whole batch: the weights of a masked-LM phase are not comparable once they move, so
    // this phase learns nothing and its evaluations are what is compared.
    QTest::newRow("masked LM pre-training phase") << true << QStringLiteral("last") << 0.0;
}

void TestDataParallelParity::evaluationsDuringTrainingAreSharded()
{
    QFETCH(bool, languageModel);
    QFETCH(QString, selection);
    QFETCH(double, learningRate);
    const ModelTask task = languageModel ? ModelTask::MaskedLm : ModelTask::SequenceClassification;
    const TokenizedSet trainSet = syntheticSet(kTrainExamples, 1);
    // Evaluation batches of 32 (twice the batch): 37 texts are batches of 32 and 5, one per rank;
    // 101 texts four batches, two per rank.
    const TokenizedSet source = named(syntheticSet(37, 4), Splits::kSourceValidation);
    const TokenizedSet target = named(syntheticSet(101, 5), Splits::kTargetValidation);
    Scenario scenario;
    scenario.evaluations = {&source, &target};
    scenario.evalEvery = 4;
    scenario.selection = selection;
    scenario.languageModel = languageModel;
    scenario.learningRate = learningRate;
    Outcome single;
    single.model = tinyModel(5, task);
    train(DistributedContext{}, trainSet, single, scenario);
    QVERIFY2(single.error.isEmpty(), qPrintable(single.error));
    Outcome ranks[2];
    ranks[0].model = tinyModel(5, task);
    ranks[1].model = tinyModel(6, task);
    trainTwoRanks(trainSet, ranks, scenario);
    QVERIFY2(ranks[0].error.isEmpty(), qPrintable(ranks[0].error));
    QVERIFY2(ranks[1].error.isEmpty(), qPrintable(ranks[1].error));

    const QMap<QString, double> expected = byKey(single.evaluations);
    const QString primary = QString(languageModel ? Metrics::kLanguageModelLoss : Metrics::kAccuracy);
    int passes = 0;
    for (const QString &key : expected.keys())
        passes += key.endsWith(QLatin1Char('|') + primary) ? 1 : 0;
    // Every 4 of 24 steps, on both sets.
    QVERIFY2(passes >= 2 * (kSteps / 4), qPrintable(QStringList(expected.keys()).join(QLatin1Char(' '))));
    // Both ranks record the same values, to the bit: their decisions cannot part.
    const QMap<QString, double> first = byKey(ranks[0].evaluations);
    QCOMPARE(byKey(ranks[1].evaluations), first);
    QCOMPARE(QStringList(first.keys()), QStringList(expected.keys()));
    double largest = 0.0;
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        const double difference = std::abs(first.value(it.key()) - it.value());
        largest = std::max(largest, difference);
        QVERIFY2(difference < kLossTolerance, qPrintable(QStringLiteral("%1: %2 on 2 ranks, %3 on one")
                                                             .arg(it.key())
                                                             .arg(first.value(it.key()), 0, 'g', 10)
                                                             .arg(it.value(), 0, 'g', 10)));
    }
    qInfo("%d evaluations; largest difference to one process %.3g (weights %.3g); selected step %lld", passes,
          largest, largestDifference(*ranks[0].model, *single.model), (long long)single.selectedStep);
    QCOMPARE(ranks[0].selectedStep, single.selectedStep);
    QCOMPARE(ranks[1].selectedStep, single.selectedStep);
    if (selection != QLatin1String("last"))
        QVERIFY(single.selectedStep >= 0);
    // Each rank scored a part of every pass, together all of it.
    QCOMPARE(ranks[0].scored + ranks[1].scored, single.scored);
    QVERIFY2(ranks[0].scored < single.scored && ranks[1].scored < single.scored,
             qPrintable(QStringLiteral("%1 and %2 of %3").arg(ranks[0].scored).arg(ranks[1].scored).arg(single.scored)));
    QVERIFY(ranks[1].scored > 0);
}

QTEST_GUILESS_MAIN(TestDataParallelParity)
#include "tst_dataparallelparity.moc"
