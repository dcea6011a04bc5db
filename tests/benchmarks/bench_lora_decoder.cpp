// LoRA training of a decoder at size on the CPU: loads a model folder (e.g. the random
// Qwen2.5-0.5B-shaped one make_qwen_shape.py writes), keeps its frozen weights in their stored
// dtype (--fp32 widens them), attaches LoRA adapters (--targets, default all-linear) and a
// classification head, and times --steps AdamW steps of --batch x --seq random tokens after
// --warmup untimed ones. Prints tokens/s, the peak resident memory while loading and while training
// (/proc/self/status VmHWM, reset after loading) and the RunMemoryEstimate of the same settings.
// --estimate-8b prints only the estimates of a Llama-3.1-8B-shaped model (bf16 weights) against
// 24/48/80 GB GPUs.
//
//   bench_lora_decoder MODEL_DIR [--batch 4] [--seq 64] [--steps 3] [--warmup 1] [--rank 8]
//                      [--targets all-linear] [--checkpointing on|off] [--fp32] [--threads N]
//   bench_lora_decoder --estimate-8b [--batch 4] [--seq 2048]
#include "model/nn/ModelLoader.h"
#include "train/TrainingConfig.h"
#include "transfer/LoraStrategy.h"
#include "transfer/RunMemoryEstimate.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

#include <QFile>

#include <cstdio>
#include <cstring>

using namespace ts;

namespace {

constexpr qint64 kGB = 1000LL * 1000 * 1000; // GPU memory is sold in decimal gigabytes

QString argument(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
}

/// A field of /proc/self/status ("VmHWM": peak resident memory, "VmRSS": current), in GiB.
double statusGiB(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(QByteArray(field) + ':'))
            return line.mid(int(strlen(field)) + 1).trimmed().split(' ').first().toDouble() / (1024.0 * 1024.0); // kB
    }
    return -1;
}

/// Starts a new VmHWM (peak resident memory) from the current resident memory (Linux >= 4.0).
void resetPeak()
{
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    if (clear.open(QIODevice::WriteOnly))
        clear.write("5");
}

void printEstimate(const char *what, const ModelConfig &model, const TrainingConfig &config)
{
    const RunMemoryEstimate e = RunMemoryEstimate::forRun(model, config, true);
    std::printf("%-34s weights %9s  grads+adam %9s  activations %9s  total %9s |", what,
                qPrintable(RunMemoryEstimate::formatBytes(e.weightBytes)),
                qPrintable(RunMemoryEstimate::formatBytes(e.gradientBytes + e.optimizerBytes)),
                qPrintable(RunMemoryEstimate::formatBytes(e.activationBytes)),
                qPrintable(RunMemoryEstimate::formatBytes(e.totalBytes())));
    for (const qint64 gb : {24, 48, 80}) {
        const RunMemoryEstimate::Verdict v = e.verdict(gb * kGB);
        std::printf(" %lldGB:%s", gb,
                    v == RunMemoryEstimate::Verdict::Fits ? "fits" : v == RunMemoryEstimate::Verdict::Tight ? "tight" : "no");
    }
    std::printf("\n");
}

int estimate8b(const QStringList &args)
{
    // Llama-3.1-8B's config.json (the fields that size it), stored in bf16.
    const QJsonObject json{{"model_type", "llama"}, {"vocab_size", 128256}, {"hidden_size", 4096},
                           {"intermediate_size", 14336}, {"num_hidden_layers", 32}, {"num_attention_heads", 32},
                           {"num_key_value_heads", 8}, {"max_position_embeddings", 131072},
                           {"tie_word_embeddings", false}, {"torch_dtype", "bfloat16"}};
    const auto model = ModelConfig::fromJson(QJsonDocument(json).toJson(), QStringLiteral("llama-8b"));
    if (!model) {
        std::fprintf(stderr, "error: %s\n", qPrintable(model.error()));
        return 1;
    }
    TrainingConfig config;
    config.batchSize = argument(args, QStringLiteral("--batch"), QStringLiteral("4")).toInt();
    config.maxLength = argument(args, QStringLiteral("--seq"), QStringLiteral("2048")).toInt();
    std::printf("8B-shaped Llama (%lld parameters, bf16 checkpoint), batch %d x %d tokens, CUDA (bf16 autocast)\n",
                model->parameterCount(), config.batchSize, config.maxLength);
    config.strategy = QStringLiteral("source-only");
    config.gradientCheckpointing = QStringLiteral("off");
    printEstimate("full fine-tuning, fp32 weights", model.value(), config);
    config.gradientCheckpointing = QStringLiteral("on");
    printEstimate("full fine-tuning, checkpointing", model.value(), config);
    config.strategy = QString::fromLatin1(LoraStrategy::kName);
    config.options.insert(QString::fromLatin1(LoraStrategy::kTargets), QString::fromLatin1(LoraStrategy::kAllLinear));
    config.gradientCheckpointing = QStringLiteral("off");
    printEstimate("LoRA all-linear, bf16 frozen", model.value(), config);
    config.gradientCheckpointing = QStringLiteral("on");
    printEstimate("LoRA all-linear, bf16 + checkpointing", model.value(), config);
    return 0;
}

int train(const QStringList &args)
{
    const QString dir = args.value(1);
    const int batch = argument(args, QStringLiteral("--batch"), QStringLiteral("4")).toInt();
    const int seq = argument(args, QStringLiteral("--seq"), QStringLiteral("64")).toInt();
    const int steps = argument(args, QStringLiteral("--steps"), QStringLiteral("3")).toInt();
    const int warmup = argument(args, QStringLiteral("--warmup"), QStringLiteral("1")).toInt();
    const int threads = argument(args, QStringLiteral("--threads"), QStringLiteral("0")).toInt();
    if (threads > 0)
        torch::set_num_threads(threads);
    TrainingConfig config;
    config.strategy = QString::fromLatin1(LoraStrategy::kName);
    config.batchSize = batch;
    config.maxLength = seq;
    config.gradientCheckpointing = argument(args, QStringLiteral("--checkpointing"), QStringLiteral("on"));
    config.options.insert(QString::fromLatin1(LoraStrategy::kRank), argument(args, QStringLiteral("--rank"), QStringLiteral("8")).toInt());
    config.options.insert(QString::fromLatin1(LoraStrategy::kTargets),
                          argument(args, QStringLiteral("--targets"), QString::fromLatin1(LoraStrategy::kAllLinear)));

    QElapsedTimer timer;
    timer.start();
    LoadOptions options{ModelTask::SequenceClassification, 2};
    options.keepStoredDtype = !args.contains(QStringLiteral("--fp32"));
    auto loaded = ModelLoader::load(dir, options);
    if (!loaded) {
        std::fprintf(stderr, "error: %s\n", qPrintable(loaded.error()));
        return 1;
    }
    PretrainedModel &model = *loaded->model;
    const double loadSeconds = double(timer.elapsed()) / 1000.0;
    const double loadPeakGiB = statusGiB("VmHWM");
    const double loadedGiB = statusGiB("VmRSS");
    resetPeak();
    for (auto &p : model.parameters())
        p.set_requires_grad(false);
    const auto attached = LoraStrategy::attach(model, LoraStrategy::options(config), LoraStrategy::targets(config));
    if (!attached) {
        std::fprintf(stderr, "error: %s\n", qPrintable(attached.error()));
        return 1;
    }
    for (auto &p : model.head()->parameters())
        p.set_requires_grad(true);
    std::vector<torch::Tensor> trainable;
    qint64 trainableCount = 0;
    for (const auto &p : model.parameters()) {
        if (p.requires_grad()) {
            trainable.push_back(p);
            trainableCount += p.numel();
        }
    }
    const bool checkpointing = config.checkpointsLayers(model.config().parameterCount());
    model.backbone()->setLayerCheckpointing(checkpointing);
    model.train();
    torch::optim::AdamW optimizer(trainable, torch::optim::AdamWOptions(1e-4));
    const int64_t vocab = model.config().vocabSize;
    double seconds = 0, loss = 0;
    for (int step = 0; step < warmup + steps; ++step) {
        const torch::Tensor ids = torch::randint(3, vocab, {batch, seq});
        const torch::Tensor labels = torch::randint(0, 2, {batch});
        timer.restart();
        optimizer.zero_grad();
        const torch::Tensor value = torch::cross_entropy_loss(model.forward(ids, torch::ones_like(ids)), labels);
        value.backward();
        optimizer.step();
        loss = value.item<double>();
        if (step >= warmup)
            seconds += double(timer.elapsed()) / 1000.0;
    }
    const RunMemoryEstimate estimate = RunMemoryEstimate::forRun(model.config(), config, false);
    TrainingConfig full = config;
    full.strategy = QStringLiteral("source-only");
    full.gradientCheckpointing = QStringLiteral("off");
    const RunMemoryEstimate fullFp32 = RunMemoryEstimate::forRun(model.config(), full, false);
    std::printf("model %s: %lld backbone parameters, weights %s, %d adapters, %lld trainable parameters, %d threads\n",
                qPrintable(dir), model.config().parameterCount(),
                c10::toString(model.backbone()->wordEmbeddings().scalar_type()), attached.value(), trainableCount,
                torch::get_num_threads());
    std::printf("batch %d x %d tokens, layer checkpointing %s: load %.1f s, %.1f tokens/s over %d steps (%.2f s/step), "
                "last loss %.3f\n",
                batch, seq, checkpointing ? "on" : "off", loadSeconds, double(batch) * seq * steps / seconds, steps,
                seconds / steps, loss);
    std::printf("resident memory: peak %.2f GiB while loading, %.2f GiB loaded, peak %.2f GiB while training\n",
                loadPeakGiB, loadedGiB, statusGiB("VmHWM"));
    std::printf("estimate: %s (full fp32 fine-tuning: %s)\n", qPrintable(RunMemoryEstimate::formatBytes(estimate.totalBytes())),
                qPrintable(RunMemoryEstimate::formatBytes(fullFp32.totalBytes())));
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.contains(QStringLiteral("--estimate-8b")))
        return estimate8b(args);
    if (args.size() < 2 || args.at(1).startsWith(QLatin1String("--"))) {
        std::fprintf(stderr, "usage: bench_lora_decoder MODEL_DIR [--batch B] [--seq T] [--steps N] [--checkpointing on|off] "
                             "[--fp32] | --estimate-8b\n");
        return 2;
    }
    return train(args);
}
