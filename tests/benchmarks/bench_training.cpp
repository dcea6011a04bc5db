// Training throughput of the C++ trainer (ts::Trainer with a BERT-shaped classifier, AdamW,
// clipping, metric writes) in samples/s, on random token ids; the first --warmup steps are not
// timed. --precision: fp32 (default on the CPU), bf16 (autocast; the default on CUDA) or auto, as
// TrainingConfig::precision. On CUDA the line adds tokens/s and MFU (model
// FLOPs utilisation: 6 x non-embedding parameters + 12 x layers x hidden x seq FLOPs per token,
// against --peak-tflops, 989 for an H100/H200's dense bf16). Its Python counterparts,
// bench_training_torch.py (plain PyTorch loop, CPU) and bench_training_hf.py (Hugging Face
// BertForSequenceClassification, GPU), train the same shape; run_training_bench.sh and
// run_gpu_bench.sh run them side by side and print the ratios.
//
//   bench_training [--layers 4] [--hidden 256] [--heads 4] [--intermediate 4*hidden] [--vocab 8000]
//                  [--batch 16] [--seq 128] [--steps 30] [--warmup 3] [--device cpu|cuda]
//                  [--peak-tflops 989] [--precision fp32|bf16|auto]
#include "model/ModelConfig.h"
#include "model/nn/PretrainedModel.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "train/ClassificationObjective.h"
#include "train/Trainer.h"
#include "util/BlasKernels.h"
#include "util/HeapTuning.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace ts;

namespace {

int argument(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1).toInt() : fallback;
}

QString textArgument(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
}

} // namespace

int main(int argc, char *argv[])
{
    // As the programs do: the kernels OpenBLAS should use on this CPU (run_training_bench.sh
    // passes the same choice to the Python side).
    BlasKernels::reexecWithBetterKernels(argv);
    HeapTuning::keepTensorMemory();
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int layers = argument(args, QStringLiteral("--layers"), 4);
    const int hidden = argument(args, QStringLiteral("--hidden"), 256);
    const int heads = argument(args, QStringLiteral("--heads"), 4);
    const int batch = argument(args, QStringLiteral("--batch"), 16);
    const int seq = argument(args, QStringLiteral("--seq"), 128);
    const int steps = argument(args, QStringLiteral("--steps"), 30);
    const int warmup = std::clamp(argument(args, QStringLiteral("--warmup"), 3), 0, steps - 1);
    const int intermediate = argument(args, QStringLiteral("--intermediate"), 4 * hidden);
    const int vocab = argument(args, QStringLiteral("--vocab"), 8000);
    const double peakTflops = argument(args, QStringLiteral("--peak-tflops"), 989);
    const bool cuda = args.contains(QStringLiteral("cuda"));
    const QString precision = textArgument(args, QStringLiteral("--precision"), cuda ? QStringLiteral("bf16") : QStringLiteral("fp32"));

    const QJsonObject json{{QStringLiteral("model_type"), QStringLiteral("bert")},
                           {QStringLiteral("vocab_size"), vocab},
                           {QStringLiteral("hidden_size"), hidden},
                           {QStringLiteral("num_hidden_layers"), layers},
                           {QStringLiteral("num_attention_heads"), heads},
                           {QStringLiteral("intermediate_size"), intermediate},
                           {QStringLiteral("max_position_embeddings"), std::max(512, seq)},
                           {QStringLiteral("type_vocab_size"), 2},
                           {QStringLiteral("hidden_act"), QStringLiteral("gelu")},
                           {QStringLiteral("pad_token_id"), 0}};
    const auto config = ModelConfig::fromJson(QJsonDocument(json).toJson(), QStringLiteral("benchmark"));
    if (!config) {
        std::fprintf(stderr, "error: %s\n", qPrintable(config.error()));
        return 1;
    }
    torch::manual_seed(0);
    auto model = PretrainedModel::create(config.value(), ModelTask::SequenceClassification, 2);
    const torch::Device device = cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
    model.value()->to(device);

    QTemporaryDir dir;
    auto project = Project::create(dir.filePath(QStringLiteral("bench.tstudio")));
    RunRecord record;
    record.strategy = QStringLiteral("benchmark");
    const qint64 runId = RunStore(project.value()->database()).create(record).value();
    // Timed from the end of step `warmup` to the end of the last step (before the final checkpoint).
    QElapsedTimer timer;
    double seconds = 0.0;
    TrainingCallbacks callbacks;
    callbacks.progress = [&](const TrainingProgress &p) {
        if (p.step == warmup)
            timer.start();
        if (p.step == steps)
            seconds = double(timer.nsecsElapsed()) / 1e9;
    };
    MetricSink sink(project.value()->database(), runId, callbacks);
    CheckpointStore checkpoints(project.value()->database(), runId);

    // Every example exactly `seq` tokens long, so that both loops compute the same shapes.
    TokenizedSet train;
    train.name = QStringLiteral("train");
    const auto ids = torch::randint(5, vocab, {int64_t(batch) * steps, seq}, torch::kInt64);
    for (int64_t i = 0; i < ids.size(0); ++i) {
        train.ids.emplace_back(ids[i].data_ptr<int64_t>(), ids[i].data_ptr<int64_t>() + seq);
        train.labels.append(int(i % 2));
        train.domains.append(0);
    }
    TrainingConfig trainingConfig;
    trainingConfig.batchSize = batch;
    trainingConfig.evalEvery = 1000000;       // no evaluation inside the timed loop
    trainingConfig.checkpointEvery = 1000000; // one checkpoint, at the end
    trainingConfig.precision = precision;
    ClassificationObjective objective(model.value(), 2, 0, device);
    Trainer trainer(trainingConfig, device, 0, sink, checkpoints, callbacks, runId);
    TrainingPhase phase;
    phase.name = QStringLiteral("benchmark");
    phase.objective = &objective;
    phase.model = model.value();
    phase.groups = {{model.value()->parameters(), 1.0, 0.01}};
    phase.train = &train;
    phase.epochs = 1.0;
    phase.learningRate = 5e-5;

    if (warmup == 0)
        timer.start();
    const auto result = trainer.run(phase, std::nullopt);
    if (!result) {
        std::fprintf(stderr, "error: %s\n", qPrintable(result.error()));
        return 1;
    }
    const double samplesPerSecond = double(steps - warmup) * batch / seconds;
    std::printf("cpp layers=%d hidden=%d batch=%d seq=%d steps=%d device=%s precision=%s threads=%d blas=%s "
                "samples/s=%.2f",
                layers, hidden, batch, seq, steps, cuda ? "cuda" : "cpu", qPrintable(precision),
                torch::get_num_threads(), BlasKernels::coreName().constData(), samplesPerSecond);
    if (cuda) {
        // Non-embedding parameters: the encoder layers, pooler and classifier.
        int64_t parameters = 0;
        for (const auto &item : model.value()->named_parameters(true)) {
            if (item.key().find("embeddings") == std::string::npos)
                parameters += item.value().numel();
        }
        const double flopsPerToken = 6.0 * double(parameters) + 12.0 * layers * hidden * seq;
        const double tokensPerSecond = samplesPerSecond * seq;
        std::printf(" tokens/s=%.0f mfu=%.1f%%", tokensPerSecond,
                    100.0 * tokensPerSecond * flopsPerToken / (peakTflops * 1e12));
    }
    std::printf("\n");
    return 0;
}
