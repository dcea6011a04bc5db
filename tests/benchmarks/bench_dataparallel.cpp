// Data-parallel throughput on this machine's CPU (DataParallelGroup, Trainer): the same training
// (a BERT-shaped classifier on random token ids, global batch --batch, fp32) as 1 process using
// every CPU thread and as --ranks processes splitting them, on loopback Gloo; and, for reference,
// 1 process with one rank's share of the threads (on a machine other work loads, an OpenMP team
// suffers more than single-threaded processes). Prints samples/s of each, their ratios, and the
// all-reduce of the gradients per step (its time alone, its share of a step, and the part of it
// a step waits for after backward: GradientBucketReducer overlaps the rest with backward). Each
// configuration runs in child processes of this executable (--rank mode).
//
//   bench_dataparallel [--ranks 2] [--layers 2] [--hidden 256] [--batch 32] [--seq 64] [--steps 24]
//                      [--reduces 30] [--bucket-kb 25600]
#include "distributed/DataParallelGroup.h"
#include "distributed/GradientBucketReducer.h"
#include "model/ModelConfig.h"
#include "model/nn/PretrainedModel.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "train/ClassificationObjective.h"
#include "train/Trainer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <arpa/inet.h>
#include <cstdio>
#include <netinet/in.h>
#include <random>
#include <sys/socket.h>
#include <unistd.h>

using namespace ts;

namespace {

constexpr int kVocab = 8000;
constexpr int kExamples = 4096; // enough that no run finishes an epoch

int argument(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
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

struct Figures
{
    double samplesPerSecond = 0.0;
    double stepMs = 0.0;   // wall time per optimiser step
    double reduceMs = 0.0;  // one all-reduce of every gradient, alone
    double exposedMs = 0.0; // per training step: the wait for the sums after backward
    double megabytes = 0.0;
};

/// One rank: trains `steps` steps, then times `reduces` all-reduces of the gradients alone.
int rankMain(const QStringList &args)
{
    DistributedContext context;
    context.rank = argument(args, QStringLiteral("--rank"), 0);
    context.worldSize = argument(args, QStringLiteral("--world"), 1);
    context.masterPort = argument(args, QStringLiteral("--port"), 0);
    context.bucketBytes = qint64(argument(args, QStringLiteral("--bucket-kb"), int(context.bucketBytes / 1024))) * 1024;
    const int hidden = argument(args, QStringLiteral("--hidden"), 256);
    const int layers = argument(args, QStringLiteral("--layers"), 2);
    const int batch = argument(args, QStringLiteral("--batch"), 32);
    const int seq = argument(args, QStringLiteral("--seq"), 64);
    const int steps = argument(args, QStringLiteral("--steps"), 24);
    const int reduces = argument(args, QStringLiteral("--reduces"), 30);
    torch::set_num_threads(argument(args, QStringLiteral("--threads"), 1));
    std::unique_ptr<DataParallelGroup> group;
    if (context.isDistributed()) {
        auto joined = DataParallelGroup::connect(context);
        if (!joined) {
            std::fprintf(stderr, "%s\n", qPrintable(joined.error()));
            return 1;
        }
        group = std::move(joined.value());
    }
    const QJsonObject json{{QStringLiteral("model_type"), QStringLiteral("bert")},
                           {QStringLiteral("vocab_size"), kVocab},
                           {QStringLiteral("hidden_size"), hidden},
                           {QStringLiteral("num_hidden_layers"), layers},
                           {QStringLiteral("num_attention_heads"), 4},
                           {QStringLiteral("intermediate_size"), 4 * hidden},
                           {QStringLiteral("max_position_embeddings"), seq},
                           {QStringLiteral("type_vocab_size"), 2},
                           {QStringLiteral("pad_token_id"), 0}};
    torch::manual_seed(1);
    auto model = PretrainedModel::create(ModelConfig::fromJson(QJsonDocument(json).toJson(), QStringLiteral("bench")).value(),
                                         ModelTask::SequenceClassification, 2)
                     .value();
    TokenizedSet set;
    set.name = QStringLiteral("train");
    std::mt19937 rng(3);
    for (int i = 0; i < kExamples; ++i) {
        std::vector<long long> ids(static_cast<size_t>(seq));
        for (long long &id : ids)
            id = 1 + static_cast<long long>(rng() % (kVocab - 1));
        set.ids.push_back(ids);
        set.labels.append(i % 2);
        set.domains.append(0);
    }
    QTemporaryDir dir;
    auto project = Project::create(dir.filePath(QStringLiteral("bench.tstudio")));
    RunRecord record;
    record.strategy = QStringLiteral("source-only");
    const qint64 runId = RunStore(project.value()->database()).create(record).value();
    TrainingCallbacks callbacks;
    MetricSink sink(project.value()->database(), runId, callbacks,
                    context.isLeader() ? MetricSink::Mode::Record : MetricSink::Mode::Discard);
    CheckpointStore checkpoints(project.value()->database(), runId);
    TrainingConfig config;
    config.batchSize = batch;
    config.learningRate = 1e-4;
    config.precision = QStringLiteral("fp32");
    config.evalEvery = 1000000; // no evaluation or checkpoint inside the timed steps
    config.checkpointEvery = 1000000;
    ClassificationObjective objective(model, 2, 0, torch::kCPU);
    TrainingPhase phase;
    phase.name = QStringLiteral("fine-tuning");
    phase.objective = &objective;
    phase.model = model;
    phase.groups = {{model->parameters(), 1.0, 0.01}};
    phase.train = &set;
    phase.epochs = double(steps) * batch / kExamples;
    phase.learningRate = config.learningRate;
    Trainer trainer(config, torch::kCPU, 0, sink, checkpoints, callbacks, runId, group.get());
    QElapsedTimer timer;
    timer.start();
    const auto result = trainer.run(phase, std::nullopt);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    if (!result) {
        std::fprintf(stderr, "%s\n", qPrintable(result.error()));
        return 1;
    }
    Figures f;
    f.samplesPerSecond = double(result->steps) * batch / seconds;
    f.stepMs = seconds * 1000.0 / double(result->steps);
    f.exposedMs = result->exposedReduceSeconds * 1000.0 / double(result->steps);
    std::vector<torch::Tensor> parameters = model->parameters();
    for (torch::Tensor &p : parameters) {
        p.mutable_grad() = torch::randn_like(p);
        f.megabytes += double(p.numel()) * 4.0 / 1e6;
    }
    if (group) {
        // Without a backward to hide behind, every bucket starts in finish(): the all-reduce alone.
        GradientBucketReducer reducer(*group, context.bucketBytes);
        double loss = 1.0;
        for (int i = 0; i <= reduces; ++i) { // the first one warms up
            QElapsedTimer reduce;
            reduce.start();
            reducer.expectGradients(parameters);
            if (const Status s = reducer.finish(loss); !s) {
                std::fprintf(stderr, "%s\n", qPrintable(s.error()));
                return 1;
            }
            if (i > 0)
                f.reduceMs += double(reduce.nsecsElapsed()) / 1e6 / reduces;
        }
    }
    if (context.isLeader())
        std::printf("RESULT %.3f %.3f %.3f %.3f %.3f\n", f.samplesPerSecond, f.stepMs, f.reduceMs, f.megabytes,
                    f.exposedMs);
    return 0;
}

/// Runs `world` ranks of this executable with `threads` threads each; rank 0's figures.
Figures runRanks(const QStringList &passThrough, int world, int threads)
{
    const int port = freePort();
    std::vector<std::unique_ptr<QProcess>> ranks;
    for (int r = 0; r < world; ++r) {
        auto p = std::make_unique<QProcess>();
        p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QStringList args = passThrough;
        args << QStringLiteral("--rank") << QString::number(r) << QStringLiteral("--world") << QString::number(world)
             << QStringLiteral("--port") << QString::number(port) << QStringLiteral("--threads") << QString::number(threads);
        p->start(QCoreApplication::applicationFilePath(), args);
        ranks.push_back(std::move(p));
    }
    Figures f;
    for (auto &p : ranks)
        p->waitForFinished(-1);
    for (const QString &line : QString::fromUtf8(ranks.front()->readAllStandardOutput()).split(QLatin1Char('\n'))) {
        const QStringList parts = line.split(QLatin1Char(' '));
        if (parts.size() == 6 && parts[0] == QLatin1String("RESULT")) {
            f.samplesPerSecond = parts[1].toDouble();
            f.stepMs = parts[2].toDouble();
            f.reduceMs = parts[3].toDouble();
            f.megabytes = parts[4].toDouble();
            f.exposedMs = parts[5].toDouble();
        }
    }
    return f;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.contains(QStringLiteral("--rank")))
        return rankMain(args);
    QStringList passThrough;
    for (const char *name : {"--layers", "--hidden", "--batch", "--seq", "--steps", "--reduces", "--bucket-kb"}) {
        const qsizetype i = args.indexOf(QLatin1String(name));
        if (i >= 0 && i + 1 < args.size())
            passThrough << args.at(i) << args.at(i + 1);
    }
    const int world = std::max(2, argument(args, QStringLiteral("--ranks"), 2));
    const int cores = std::max(1, QThread::idealThreadCount());
    const int threadsPerRank = std::max(1, cores / world);
    const Figures one = runRanks(passThrough, 1, cores);
    const Figures thin = runRanks(passThrough, 1, threadsPerRank);
    const Figures many = runRanks(passThrough, world, threadsPerRank);
    if (one.samplesPerSecond <= 0 || thin.samplesPerSecond <= 0 || many.samplesPerSecond <= 0) {
        std::fprintf(stderr, "a configuration failed\n");
        return 1;
    }
    std::printf("CPU threads %d, gradients %.1f MB (fp32)\n", cores, one.megabytes);
    std::printf("1 process x %d threads:  %8.1f samples/s, %7.1f ms/step\n", cores, one.samplesPerSecond, one.stepMs);
    std::printf("1 process x %d threads:  %8.1f samples/s, %7.1f ms/step\n", threadsPerRank, thin.samplesPerSecond,
                thin.stepMs);
    std::printf("%d processes x %d threads: %8.1f samples/s, %7.1f ms/step\n", world, threadsPerRank,
                many.samplesPerSecond, many.stepMs);
    std::printf("ratio %d processes / 1 process x %d threads: %.3f\n", world, cores,
                many.samplesPerSecond / one.samplesPerSecond);
    std::printf("ratio %d processes / 1 process x %d threads: %.3f\n", world, threadsPerRank,
                many.samplesPerSecond / thin.samplesPerSecond);
    std::printf("all-reduce of the gradients: %.2f ms per step alone, %.1f%% of a %d-process step\n", many.reduceMs,
                100.0 * many.reduceMs / many.stepMs, world);
    std::printf("not hidden behind backward: %.2f ms per step (%.1f%% of the all-reduce alone)\n", many.exposedMs,
                100.0 * many.exposedMs / std::max(1e-9, many.reduceMs));
    return 0;
}
