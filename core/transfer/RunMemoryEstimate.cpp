#include "transfer/RunMemoryEstimate.h"

#include "model/ModelConfig.h"
#include "train/TrainingConfig.h"
#include "transfer/PromptSettings.h"
#include "transfer/StrategyRegistry.h"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ts {

namespace {

constexpr double kWeightBytes = 4;              // fp32 weights
constexpr double kGradientBytes = 4;            // fp32 gradients
constexpr double kAdamBytes = 8;                // AdamW: first and second moments, fp32
constexpr int kEvaluationBatchFactor = 2;       // evaluation batches are twice the training batch
constexpr int kFewestClasses = 2;               // label words of a prompt run whose classes are unknown
// Each part is capped so that their sum cannot overflow; absurd settings still read as "huge".
constexpr double kMaxPartBytes = double(std::numeric_limits<qint64>::max() / 8);

qint64 bytes(double value)
{
    return qint64(std::min(std::max(0.0, value), kMaxPartBytes));
}

/// Activation bytes kept for backward by `layers` of the model's layers at `batch` x `length` tokens,
/// with `valueBytes` per activation value.
double activations(const ModelConfig &model, double layers, qint64 batch, qint64 length, int valueBytes)
{
    const double all = model.activationBytes(batch, length, valueBytes == 2 ? DType::BF16 : DType::F32);
    return model.numLayers > 0 ? all * layers / double(model.numLayers) : 0.0;
}

/// With layer checkpointing: every layer's input (B,T,H) plus one layer's activations, recomputed.
double checkpointedActivations(const ModelConfig &model, qint64 batch, qint64 length, int valueBytes)
{
    const double inputs = double(model.numLayers) * double(batch) * double(length) * double(model.hiddenSize) * valueBytes;
    return inputs + activations(model, 1, batch, length, valueBytes);
}

bool isDecoder(const ModelConfig &model)
{
    return model.family == ModelFamily::Gpt2 || model.family == ModelFamily::Llama;
}

/// C: the label words a prompt run scores per text: `numClasses` when known, else the entries of
/// the label_words option ("0=bad,1=good"), else two (the fewest a classifier has).
int labelWordRows(const TrainingConfig &config, int numClasses)
{
    if (numClasses > 0)
        return numClasses;
    const QString words = config.optionString(QString::fromLatin1(PromptSettings::kLabelWords), QString());
    return std::max(kFewestClasses, int(words.split(QLatin1Char(','), Qt::SkipEmptyParts).size()));
}

/// Scoring `rows` label words per text: the activations are those of `rows` times the sequences,
/// and the language-model head's logits (rows*B, T, V) are kept, with their gradient when the run
/// `trains`, at the evaluation batch when it only evaluates.
void addLabelWordRows(RunMemoryEstimate &e, const ModelConfig &model, const TrainingConfig &config, bool trains,
                      int rows)
{
    const int valueBytes = e.cuda || e.weightBytesPerParameter == 2 ? 2 : 4;
    const double batch = double(trains ? RunMemoryEstimate::microBatchOf(config) : kEvaluationBatchFactor * config.batchSize);
    const double copies = trains ? 2.0 : 1.0; // the logits and, in backward, their gradient
    const double logits = copies * double(rows) * batch * double(config.maxLength) * double(model.vocabSize) * valueBytes;
    e.promptRows = rows;
    e.labelWordLogitBytes = bytes(logits);
    e.activationBytes = bytes(double(e.activationBytes) * rows + logits);
}

/// ", or use LoRA adapters": the strategies that train only adapters, by title; empty when none.
QString adapterHint()
{
    QStringList titles;
    for (const StrategyDescriptor &d : StrategyRegistry::all()) {
        if (d.trains == StrategyDescriptor::Trains::Adapters)
            titles.append(d.title);
    }
    return titles.isEmpty() ? QString() : QStringLiteral(", or use %1").arg(titles.join(QStringLiteral(" or ")));
}

} // namespace

RunMemoryEstimate RunMemoryEstimate::forFineTuning(const ModelConfig &model, int batchSize, int maxLength, bool cuda)
{
    RunMemoryEstimate e;
    e.parameters = model.parameterCount();
    e.trainableParameters = e.parameters;
    e.batchSize = batchSize;
    e.maxLength = maxLength;
    e.cuda = cuda;
    e.weightBytes = bytes(kWeightBytes * double(e.parameters));
    e.gradientBytes = bytes(kGradientBytes * double(e.trainableParameters));
    e.optimizerBytes = bytes(kAdamBytes * double(e.trainableParameters));
    e.activationBytes = bytes(activations(model, double(model.numLayers), batchSize, maxLength, cuda ? 2 : 4));
    return e;
}

RunMemoryEstimate RunMemoryEstimate::forRun(const ModelConfig &model, const TrainingConfig &config, bool cuda,
                                            int numClasses)
{
    RunMemoryEstimate e = forStrategy(model, config, cuda);
    const StrategyDescriptor *strategy = StrategyRegistry::find(config.strategy);
    if (strategy && strategy->scoresThroughPrompt(config, isDecoder(model)))
        addLabelWordRows(e, model, config, strategy->trainsWeights(), labelWordRows(config, numClasses));
    return e;
}

RunMemoryEstimate RunMemoryEstimate::forStrategy(const ModelConfig &model, const TrainingConfig &config, bool cuda)
{
    RunMemoryEstimate e = forFineTuning(model, config.batchSize, config.maxLength, cuda);
    const StrategyDescriptor *strategy = StrategyRegistry::find(config.strategy);
    if (strategy && !strategy->trainsWeights()) {
        // Nothing trains: the weights stay in their stored dtype (bf16/fp16 or fp32).
        e.weightBytesPerParameter = dtypeSize(model.weightDtype);
        e.weightBytes = bytes(double(e.weightBytesPerParameter) * double(e.parameters));
        e.trainableParameters = 0;
        e.gradientBytes = 0;
        e.optimizerBytes = 0;
        e.activationBytes =
            bytes(activations(model, 1, qint64(kEvaluationBatchFactor) * config.batchSize, config.maxLength, cuda ? 2 : 4));
        return e;
    }
    if (strategy && strategy->trainableParameters)
        e.trainableParameters = strategy->trainableParameters(model, config);
    if (strategy && strategy->trains == StrategyDescriptor::Trains::Adapters) {
        e.weightBytesPerParameter = dtypeSize(model.weightDtype);
        e.weightBytes = bytes(double(e.weightBytesPerParameter) * double(e.parameters));
    }
    const int valueBytes = cuda || e.weightBytesPerParameter == 2 ? 2 : 4;
    e.layerCheckpointing = config.checkpointsLayers(e.parameters);
    e.accumulation = std::max(1, config.gradientAccumulation);
    const int micro = microBatchOf(config);
    e.activationBytes = bytes(e.layerCheckpointing
                                  ? checkpointedActivations(model, micro, config.maxLength, valueBytes)
                                  : activations(model, double(model.numLayers), micro, config.maxLength, valueBytes));
    e.gradientBytes = bytes(kGradientBytes * double(e.trainableParameters));
    e.optimizerBytes = bytes(kAdamBytes * double(e.trainableParameters));
    return e;
}

int RunMemoryEstimate::microBatchOf(const TrainingConfig &config)
{
    const int factor = std::max(1, config.gradientAccumulation);
    return (config.batchSize + factor - 1) / factor;
}

int RunMemoryEstimate::accumulationFor(const ModelConfig &model, const TrainingConfig &config, bool cuda,
                                       qint64 availableBytes)
{
    if (availableBytes <= 0)
        return 1;
    TrainingConfig trial = config;
    int fitting = 0; // the fewest that fit at all
    int previousMicro = 0;
    for (int factor = 1; factor <= config.batchSize; ++factor) {
        trial.gradientAccumulation = factor;
        const int micro = microBatchOf(trial);
        if (micro == previousMicro)
            continue; // the same micro-batch as fewer parts: no memory saved
        previousMicro = micro;
        const Verdict v = forRun(model, trial, cuda).verdict(availableBytes);
        if (v == Verdict::Fits)
            return factor;
        if (v == Verdict::Tight && fitting == 0)
            fitting = factor;
    }
    return fitting > 0 ? fitting : config.batchSize;
}

qint64 RunMemoryEstimate::totalBytes() const
{
    return weightBytes + gradientBytes + optimizerBytes + activationBytes;
}

RunMemoryEstimate::Verdict RunMemoryEstimate::verdict(qint64 capacityBytes) const
{
    if (capacityBytes <= 0)
        return Verdict::Unknown;
    const qint64 need = totalBytes();
    if (need > capacityBytes)
        return Verdict::TooLarge;
    return double(need) > kTightFraction * double(capacityBytes) ? Verdict::Tight : Verdict::Fits;
}

QString RunMemoryEstimate::describe(qint64 capacityBytes, const QString &device) const
{
    QString text = QStringLiteral("this run needs about %1 (weights %2 at %3 bytes each, gradients and AdamW state %4, "
                                  "activations %5%6 at %7 x %8 tokens)")
                       .arg(formatBytes(totalBytes()), formatBytes(weightBytes))
                       .arg(weightBytesPerParameter)
                       .arg(formatBytes(gradientBytes + optimizerBytes), formatBytes(activationBytes),
                            layerCheckpointing ? QStringLiteral(" with layer checkpointing") : QString())
                       .arg(batchWords())
                       .arg(maxLength);
    switch (verdict(capacityBytes)) {
    case Verdict::Unknown:
        return text + QStringLiteral("; how much memory %1 has is unknown").arg(device);
    case Verdict::Fits:
        return text + QStringLiteral("; %1 has %2 available").arg(device, formatBytes(capacityBytes));
    case Verdict::Tight:
        return text + QStringLiteral("; %1 has %2 available, so little is left over: lower the batch size or the maximum "
                                     "length if it runs out")
                          .arg(device, formatBytes(capacityBytes));
    case Verdict::TooLarge:
        break;
    }
    return text + QStringLiteral("; %1 has only %2 available: lower the batch size (now %3) or the maximum length "
                                 "(now %4)%5")
                      .arg(device, formatBytes(capacityBytes))
                      .arg(batchSize)
                      .arg(maxLength)
                      .arg(adapterHint());
}

QString RunMemoryEstimate::batchWords() const
{
    if (accumulation <= 1)
        return QStringLiteral("batch size %1").arg(batchSize);
    return QStringLiteral("batch size %1 in %2 micro-batches of up to %3")
        .arg(batchSize)
        .arg(accumulation)
        .arg((batchSize + accumulation - 1) / accumulation);
}

QString RunMemoryEstimate::formatBytes(qint64 value)
{
    constexpr double kMiB = 1024.0 * 1024.0;
    constexpr double kGiB = kMiB * 1024.0;
    constexpr double kTiB = kGiB * 1024.0;
    if (value >= kTiB)
        return QStringLiteral("%1 TiB").arg(double(value) / kTiB, 0, 'f', 1);
    if (value >= kGiB)
        return QStringLiteral("%1 GiB").arg(double(value) / kGiB, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(std::max<qint64>(1, std::llround(double(value) / kMiB)));
}

} // namespace ts
