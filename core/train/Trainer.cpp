#include "train/Trainer.h"

#include "train/CheckpointTensors.h"
#include "train/EvaluationShards.h"
#include "distributed/GradientBucketReducer.h"
#include "model/nn/Autocast.h"
#include "train/FusedAdamW.h"
#include "train/GradientClipping.h"
#include "train/LearningRateSchedule.h"
#include "train/LengthBucketSampler.h"
#include "train/RunControl.h"
#include "train/TrainingPrecision.h"
#include "project/RunVocabulary.h"
#include "util/DeviceMemory.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>

#include <torch/version.h>

#include <cmath>

namespace ts {

namespace {

// Streams of the data seed: each phase shuffles differently.
constexpr uint64_t kPhaseSalt = 0xD1B54A32D192ED03ULL;
// Streams of the init seed for the dropout and masking draws of data-parallel ranks above 0.
constexpr uint64_t kRankSalt = 0x9E3779B97F4A7C15ULL;
constexpr uint64_t kStepSalt = 0xC2B2AE3D27D4EB4FULL;

/// Resident memory of this process in bytes (CPU training), -1 when unknown.
qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * 4096 : -1;
}

double nowSeconds()
{
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

std::unique_ptr<torch::optim::AdamW> makeOptimizer(const std::vector<ParameterGroup> &groups, double learningRate)
{
    std::vector<torch::optim::OptimizerParamGroup> paramGroups;
    for (const ParameterGroup &g : groups) {
        if (g.parameters.empty())
            continue;
        auto options = std::make_unique<torch::optim::AdamWOptions>(learningRate * g.learningRateScale);
        options->weight_decay(g.weightDecay);
        paramGroups.emplace_back(g.parameters, std::move(options));
    }
    return std::make_unique<torch::optim::AdamW>(paramGroups, torch::optim::AdamWOptions(learningRate));
}

std::vector<torch::Tensor> trainableParameters(const std::vector<ParameterGroup> &groups)
{
    std::vector<torch::Tensor> all;
    for (const ParameterGroup &g : groups) {
        for (const torch::Tensor &p : g.parameters) {
            if (p.requires_grad())
                all.push_back(p);
        }
    }
    return all;
}

/// Drops the gradients (PyTorch 2's zero_grad(set_to_none=True)) rather than zeroing them: the
/// next backward writes its gradients in place of a zeroed buffer it would add to. A parameter
/// that gets no gradient in a step then keeps its value and moments, as in PyTorch 2.
void dropGradients(torch::optim::Optimizer &optimizer)
{
    for (auto &group : optimizer.param_groups()) {
        for (torch::Tensor &p : group.params())
            p.mutable_grad() = torch::Tensor();
    }
}

} // namespace

Trainer::Trainer(const TrainingConfig &config, torch::Device device, int64_t padId, MetricSink &sink,
                 CheckpointStore &checkpoints, const TrainingCallbacks &callbacks, qint64 runId,
                 DataParallelGroup *group)
    : m_config(config), m_device(device), m_padId(padId), m_sink(sink), m_checkpoints(checkpoints),
      m_callbacks(callbacks), m_runId(runId), m_group(group && group->worldSize() > 1 ? group : nullptr)
{
}

Status Trainer::synchronizeWeights(TrainingPhase &phase)
{
    std::vector<torch::Tensor> tensors;
    std::vector<torch::nn::Module *> modules{phase.model.get()};
    for (const auto &extra : phase.objective->extraModules())
        modules.push_back(extra.get());
    for (torch::nn::Module *module : modules) {
        for (const torch::Tensor &p : module->parameters())
            tensors.push_back(p);
        // Floating buffers may be state (running statistics); the others (position ids, causal
        // masks) are built alike on every rank, and Gloo does not carry booleans.
        for (const torch::Tensor &b : module->buffers()) {
            if (b.is_floating_point())
                tensors.push_back(b);
        }
    }
    return m_group->broadcast(tensors);
}

void Trainer::seedRankStream()
{
    if (!m_group || m_group->rank() == 0)
        return;
    torch::manual_seed(uint64_t(m_config.initSeed) ^ (kRankSalt * uint64_t(m_group->rank())) ^
                       (kStepSalt * uint64_t(m_globalStep + 1)));
}

QList<int> Trainer::shareOf(const QList<int> &batch) const
{
    if (!m_group)
        return batch;
    const qsizetype n = batch.size();
    const qsizetype begin = n * m_group->rank() / m_group->worldSize();
    const qsizetype end = n * (m_group->rank() + 1) / m_group->worldSize();
    return batch.mid(begin, end - begin);
}

QList<QList<int>> Trainer::microBatches(const QList<int> &share) const
{
    const qsizetype n = share.size();
    const qsizetype parts = std::min<qsizetype>(n, std::max(1, m_config.gradientAccumulation));
    QList<QList<int>> result;
    for (qsizetype i = 0; i < parts; ++i)
        result.append(share.mid(n * i / parts, n * (i + 1) / parts - n * i / parts));
    return result;
}

Result<double> Trainer::accumulateGradients(TrainingPhase &phase, const QList<int> &batch, double progress, bool autocast,
                                            GradientBucketReducer *reducer)
{
    double lossValue = 0.0;
    // Data-parallel: this rank's part of the batch; a rank with no part adds nothing, but its
    // reducer still takes part in every bucket's sum.
    const QList<QList<int>> micros = microBatches(shareOf(batch));
    if (reducer && micros.isEmpty())
        reducer->expectGradients(trainableParameters(phase.groups));
    for (int k = 0; k < micros.size(); ++k) {
        const QList<int> &micro = micros[k];
        // The last backward of the step starts each bucket's sum as soon as its gradients are complete.
        if (reducer && k == micros.size() - 1)
            reducer->expectGradients(trainableParameters(phase.groups));
        // Weighted by its share of the whole batch: the weighted mean losses of the micro-batches
        // (over every rank) sum to the whole batch's mean loss, and so do their gradients.
        const double weight = double(micro.size()) / double(batch.size());
        const Batch gathered = Batch::gather(*phase.train, micro, m_padId, m_device);
        torch::Tensor loss;
        {
            Autocast guard(m_device.type(), autocast);
            loss = phase.objective->loss(gathered, progress, m_globalStep) * weight;
        }
        loss.backward();
        lossValue += loss.item<double>();
    }
    return lossValue;
}

Status Trainer::recordAccumulation(const TrainingPhase &phase)
{
    const int factor = std::max(1, m_config.gradientAccumulation);
    if (m_callbacks.log && factor > 1)
        m_callbacks.log(QStringLiteral("gradient accumulation: each batch of %1 in %2 micro-batches of up to %3 (%4)")
                            .arg(m_config.batchSize)
                            .arg(factor)
                            .arg((m_config.batchSize + factor - 1) / factor)
                            .arg(phase.name));
    return m_sink.add(m_globalStep, m_epoch, phase.trainSplit, QString(Metrics::kGradAccumulation), double(factor));
}

Result<bool> Trainer::stopRequested()
{
    const bool local = m_callbacks.control && !m_callbacks.control->proceed();
    return m_group ? m_group->anyRank(local) : Result<bool>(local);
}

Result<PhaseResult> Trainer::run(TrainingPhase &phase, const std::optional<Checkpoint> &resume)
{
    using R = Result<PhaseResult>;
    const auto precision = TrainingPrecision::resolve(m_config.precision, m_device.is_cuda(), CpuFeatures::host());
    if (!precision)
        return R::failure(precision.error());
    const LengthBucketSampler sampler(phase.train->lengths(), m_config.batchSize,
                                      uint64_t(m_config.dataSeed) ^ (kPhaseSalt * uint64_t(phase.index + 1)));
    const int64_t stepsPerEpoch = std::max<int64_t>(1, sampler.batchesPerEpoch());
    const int64_t totalSteps = std::max<int64_t>(1, int64_t(std::ceil(phase.epochs * double(stepsPerEpoch))));
    LearningRateSchedule::Decay decay = LearningRateSchedule::Decay::Linear;
    LearningRateSchedule::parseDecay(m_config.decay, &decay);
    const LearningRateSchedule schedule(phase.learningRate, totalSteps,
                                        int64_t(std::llround(m_config.warmupRatio * double(totalSteps))), decay);
    auto optimizer = makeOptimizer(phase.groups, phase.learningRate);
    // Data-parallel: sums the gradients while the last backward of each step runs.
    std::unique_ptr<GradientBucketReducer> reducer;
    if (m_group)
        reducer = std::make_unique<GradientBucketReducer>(*m_group, m_group->context().bucketBytes);

    m_monitoredSplit = m_config.earlyStopSplit;
    m_monitoredMetric = phase.objective->primaryMetric() == Metrics::kPerplexity ? QString(Metrics::kPerplexity)
                                                                                : m_config.earlyStopMetric;
    const bool higher = !Metrics::lowerIsBetter(m_monitoredMetric);
    m_early = EarlyStopping(m_config.patience, higher ? EarlyStopping::Goal::Maximize : EarlyStopping::Goal::Minimize);

    Position position;
    m_phaseStep = 0;
    if (m_group) {
        if (const Status s = synchronizeWeights(phase); !s)
            return R::failure(s.error());
    }
    if (resume && resume->state.value(QLatin1String("phase")).toInt() == phase.index) {
        if (const Status s = restore(phase, *optimizer, *resume, position); !s)
            return R::failure(s.error());
        seedRankStream();
    } else {
        seedRankStream();
        if (const Status s = evaluate(phase, true); !s)
            return R::failure(s.error());
        // Recorded once, at the phase's start: a resumed phase has its row already.
        if (const Status s = recordAccumulation(phase); !s)
            return R::failure(s.error());
    }

    PhaseResult result;
    phase.model->train();
    // Forward and loss under bf16 autocast; backward follows the forward's types, so the
    // gradients of the fp32 weights, the clipping and AdamW stay fp32.
    m_precision = precision.value();
    const bool autocast = m_precision == Precision::Bf16;
    m_lastReportMs = QDateTime::currentMSecsSinceEpoch();
    const int64_t evalEvery = m_config.evalEvery > 0 ? m_config.evalEvery : stepsPerEpoch;
    const int64_t checkpointEvery = m_config.checkpointEvery > 0 ? m_config.checkpointEvery : evalEvery;
    for (int epoch = position.epoch; m_phaseStep < totalSteps && !m_early.shouldStop(); ++epoch) {
        const QList<QList<int>> batches = sampler.epoch(epoch);
        if (phase.onEpochStart)
            phase.onEpochStart(epoch);
        for (int b = (epoch == position.epoch ? position.batch : 0); b < batches.size() && m_phaseStep < totalSteps;) {
            const auto stop = stopRequested();
            if (!stop)
                return R::failure(stop.error());
            if (stop.value()) {
                if (const Status s = saveCheckpoint(phase, *optimizer, epoch, b); !s)
                    return R::failure(s.error());
                result.cancelled = true;
                result.steps = m_phaseStep;
                return result;
            }
            const double progress = double(m_phaseStep) / double(totalSteps);
            const QList<int> &whole = batches[b++];
            const auto loss = accumulateGradients(phase, whole, progress, autocast, reducer.get());
            if (!loss)
                return R::failure(loss.error());
            double lossValue = loss.value();
            const int64_t samples = whole.size();
            if (reducer) {
                if (const Status s = reducer->finish(lossValue); !s)
                    return R::failure(s.error());
                result.exposedReduceSeconds = reducer->exposedSeconds();
            }
            if (!std::isfinite(lossValue))
                return R::failure(divergence(phase, m_phaseStep + 1, QStringLiteral("training loss"), lossValue));
            torch::Tensor gradientNorm; // read after the step: on CUDA nothing waits for it before
            if (m_config.gradientClip > 0)
                gradientNorm = GradientClipping::clip(trainableParameters(phase.groups), m_config.gradientClip);
            const double rate = schedule.at(m_phaseStep);
            for (size_t g = 0; g < optimizer->param_groups().size(); ++g) {
                auto &options = static_cast<torch::optim::AdamWOptions &>(optimizer->param_groups()[g].options());
                options.lr(rate * phase.groups[g].learningRateScale);
            }
            if (!FusedAdamW::step(*optimizer))
                optimizer->step();
            dropGradients(*optimizer);
            ++m_phaseStep;
            ++m_globalStep;
            m_epoch = double(epoch) + double(b) / double(std::max(1, int(batches.size())));
            if (const Status s = m_sink.add(m_globalStep, m_epoch, phase.trainSplit, QString(Metrics::kLoss), lossValue); !s)
                return R::failure(s.error());
            if (const Status s = m_sink.add(m_globalStep, m_epoch, phase.trainSplit, QString(Metrics::kLearningRate), rate); !s)
                return R::failure(s.error());
            if (gradientNorm.defined()) {
                const double norm = gradientNorm.item<double>();
                if (!std::isfinite(norm))
                    return R::failure(divergence(phase, m_phaseStep, QStringLiteral("gradient norm"), norm));
                if (const Status s = m_sink.add(m_globalStep, m_epoch, phase.trainSplit, QString(Metrics::kGradientNorm), norm); !s)
                    return R::failure(s.error());
            }
            const auto extra = phase.objective->takeTrainingMetrics();
            for (auto it = extra.cbegin(); it != extra.cend(); ++it) {
                if (const Status s = m_sink.add(m_globalStep, m_epoch, phase.trainSplit, it.key(), it.value()); !s)
                    return R::failure(s.error());
            }
            reportProgress(phase, m_phaseStep, totalSteps, m_epoch, samples);
            const bool last = m_phaseStep >= totalSteps;
            if (m_phaseStep % evalEvery == 0 || last) {
                if (const Status s = evaluate(phase, true); !s)
                    return R::failure(s.error());
            }
            if (m_phaseStep % checkpointEvery == 0 || last || m_early.shouldStop()) {
                if (const Status s = saveCheckpoint(phase, *optimizer, b >= batches.size() ? epoch + 1 : epoch,
                                                    b >= batches.size() ? 0 : b);
                    !s)
                    return R::failure(s.error());
            }
            if (m_early.shouldStop())
                break;
        }
    }
    result.stoppedEarly = m_early.shouldStop();
    result.steps = m_phaseStep;
    if (const Status s = m_sink.flush(); !s)
        return R::failure(s.error());
    return result;
}

Status Trainer::evaluateAll(TrainingPhase &phase)
{
    return evaluate(phase, false);
}

Status Trainer::evaluate(TrainingPhase &phase, bool select)
{
    const QString selectionSplit = m_config.selectionSplit();
    for (const TokenizedSet *set : std::as_const(phase.evaluations)) {
        if (set->isEmpty())
            continue;
        // Data-parallel: each rank scores its share; every rank gets the same values to the bit,
        // so that the decisions below are alike.
        auto measured = EvaluationShards::evaluate(*phase.objective, *set, m_config.batchSize * 2, m_group);
        if (!measured)
            return Status::failure(measured.error());
        QMap<QString, double> values = measured.value();
        // How many texts the values stand for: a capped measurement says "on N of M texts".
        if (!values.isEmpty()) {
            values.insert(QString(Metrics::kExamples), set->size());
            values.insert(QString(Metrics::kAvailable), std::max(set->available, set->size()));
        }
        for (auto it = values.cbegin(); it != values.cend(); ++it) {
            if (const Status s = m_sink.add(m_globalStep, m_epoch, set->name, it.key(), it.value()); !s)
                return s;
        }
        if (select && !selectionSplit.isEmpty() && set->name == selectionSplit && values.contains(QString(Metrics::kAccuracy)))
            considerForSelection(phase, values.value(QString(Metrics::kAccuracy)));
        const bool monitored = set->name == m_monitoredSplit && values.contains(m_monitoredMetric);
        if (monitored &&
            m_early.update(values.value(m_monitoredMetric), m_globalStep) && m_callbacks.log)
            m_callbacks.log(QStringLiteral("new best %1 %2 = %3 (%4 texts) at step %5")
                                .arg(m_monitoredSplit, m_monitoredMetric)
                                .arg(m_early.best(), 0, 'f', 4)
                                .arg(set->size())
                                .arg(m_globalStep));
    }
    return m_sink.flush();
}

void Trainer::considerForSelection(TrainingPhase &phase, double value)
{
    // Strictly better: of equal evaluations the earliest stays selected.
    if (m_selectedStep >= 0 && !(value > m_selectedValue))
        return;
    m_selected = CheckpointTensors::snapshot(*phase.model, CheckpointTensors::kSelectedPrefix);
    m_selectedModel = phase.model;
    m_selectedStep = m_globalStep;
    m_selectedValue = value;
}

Status Trainer::applySelection()
{
    if (!m_selectedModel || m_selectedStep < 0)
        return {};
    const QString name = QStringLiteral("the weights selected at step %1").arg(m_selectedStep);
    if (const Status s = CheckpointTensors::restoreModule(*m_selectedModel, m_selected, CheckpointTensors::kSelectedPrefix, name);
        !s)
        return s;
    if (m_callbacks.log)
        m_callbacks.log(QStringLiteral("model selection (%1): the weights of step %2 (%3 accuracy %4)")
                            .arg(m_config.selection)
                            .arg(m_selectedStep)
                            .arg(m_config.selectionSplit())
                            .arg(m_selectedValue, 0, 'f', 4));
    if (const Status s = m_sink.add(m_globalStep, m_epoch, QString(Splits::kTrain), QString(Metrics::kSelectedStep),
                                    double(m_selectedStep));
        !s)
        return s;
    return m_sink.flush();
}

void Trainer::reportProgress(const TrainingPhase &phase, int64_t step, int64_t total, double epoch, int64_t samples)
{
    m_samplesSinceReport += samples;
    const int64_t nowMs = QDateTime::currentMSecsSinceEpoch();
    const double elapsed = double(nowMs - m_lastReportMs) / 1000.0;
    TrainingProgress p;
    p.runId = m_runId;
    p.phase = phase.name;
    p.step = step;
    p.totalSteps = total;
    p.epoch = epoch;
    p.device = QStringLiteral("%1, %2").arg(QString::fromStdString(m_device.str()), TrainingPrecision::name(m_precision));
    if (m_config.gradientAccumulation > 1)
        p.device += QStringLiteral(", %1 micro-batches per step").arg(m_config.gradientAccumulation);
    if (elapsed > 0.25 || step >= total) {
        const double perSample = elapsed / double(std::max<int64_t>(1, m_samplesSinceReport));
        p.samplesPerSecond = elapsed > 0 ? double(m_samplesSinceReport) / elapsed : 0.0;
        m_secondsPerStep = perSample * double(m_config.batchSize);
        m_samplesSinceReport = 0;
        m_lastReportMs = nowMs;
    }
    p.etaSeconds = m_secondsPerStep > 0 ? m_secondsPerStep * double(total - step) : -1.0;
    p.deviceMemoryBytes = m_device.is_cpu() ? residentBytes() : DeviceMemory::cudaUsedBytes();
    if (m_callbacks.progress)
        m_callbacks.progress(p);
}

QString Trainer::divergence(const TrainingPhase &phase, int64_t step, const QString &what, double value) const
{
    return QStringLiteral("training diverged in phase \"%1\" at step %2: the %3 is %4. Lower the learning rate "
                          "(now %5)%6, or resume from an earlier checkpoint with other settings.")
        .arg(phase.name)
        .arg(step)
        .arg(what, std::isnan(value) ? QStringLiteral("not a number") : QStringLiteral("infinite"))
        .arg(phase.learningRate)
        .arg(m_config.gradientClip > 0 ? QString() : QStringLiteral(" or turn gradient clipping on"));
}

Status Trainer::saveCheckpoint(TrainingPhase &phase, torch::optim::Optimizer &optimizer, int epoch, int batch)
{
    // Rank 0 writes the checkpoint; the others restart their streams where a resume will.
    if (m_group && m_group->rank() != 0) {
        seedRankStream();
        return {};
    }
    // Rows up to this step must be in the project before the checkpoint that a resume starts from.
    if (const Status s = m_sink.flush(); !s)
        return s;
    Checkpoint checkpoint;
    checkpoint.step = m_globalStep;
    checkpoint.state = QJsonObject{
        {QStringLiteral("phase"), phase.index},
        {QStringLiteral("epoch"), epoch},
        {QStringLiteral("batch"), batch},
        {QStringLiteral("phase_step"), double(m_phaseStep)},
        {QStringLiteral("global_step"), double(m_globalStep)},
        {QStringLiteral("epoch_progress"), m_epoch},
        {QStringLiteral("early_best"), m_early.best()},
        {QStringLiteral("early_best_step"), double(m_early.bestStep())},
        {QStringLiteral("early_stale"), m_early.evaluationsWithoutImprovement()},
        {QStringLiteral("early_has_best"), m_early.hasBest()},
        {QStringLiteral("saved_at"), nowSeconds()},
        {QStringLiteral("selected_value"), m_selectedValue},
    };
    // Selected weights of another model (a finished earlier phase's) cannot be restored into this
    // phase's: they are kept only while they belong to the model being trained.
    const bool keepsSelection = m_selectedStep >= 0 && m_selectedModel == phase.model;
    checkpoint.state.insert(QStringLiteral("selected_step"), keepsSelection ? double(m_selectedStep) : -1.0);
    // The parameters the phase trains: what a finished run keeps (RunWeights) besides the base model.
    QJsonArray trained;
    for (const auto &item : phase.model->named_parameters()) {
        if (item.value().requires_grad())
            trained.append(QString::fromStdString(item.key()));
    }
    checkpoint.state.insert(QString::fromLatin1(CheckpointStore::kTrainedKey), trained);
    auto bytes = CheckpointTensors::encode(*phase.model, phase.objective->extraModules(), optimizer, checkpoint.state,
                                           keepsSelection ? m_selected : NamedTensors{});
    if (!bytes)
        return Status::failure(bytes.error());
    checkpoint.tensors = std::move(bytes.value());
    return m_checkpoints.save(checkpoint);
}

Status Trainer::restore(TrainingPhase &phase, torch::optim::Optimizer &optimizer, const Checkpoint &checkpoint,
                        Position &position)
{
    const QString name = QStringLiteral("the checkpoint at step %1").arg(checkpoint.step);
    try {
        const auto tensors = CheckpointTensors::decode(checkpoint.tensors, name);
        if (!tensors)
            return Status::failure(tensors.error());
        if (const Status s = CheckpointTensors::restoreModule(*phase.model, tensors.value(), "model.", name); !s)
            return s;
        const auto extras = phase.objective->extraModules();
        for (size_t i = 0; i < extras.size(); ++i) {
            if (const Status s = CheckpointTensors::restoreModule(*extras[i], tensors.value(),
                                                                  "extra" + std::to_string(i) + ".", name);
                !s)
                return s;
        }
        if (const Status s = CheckpointTensors::restoreOptimizer(optimizer, tensors.value(), name); !s)
            return s;
        if (const Status s = CheckpointTensors::restoreRng(tensors.value(), name); !s)
            return s;
        m_selectedStep = -1;
        m_selectedModel.reset();
        m_selected.clear();
        if (checkpoint.state.value(QLatin1String("selected_step")).toDouble(-1) >= 0) {
            // The weights the run had selected before it stopped (copied: `tensors` views the checkpoint).
            const std::string prefix = CheckpointTensors::kSelectedPrefix;
            for (const auto &[key, tensor] : tensors.value()) {
                if (key.rfind(prefix, 0) == 0)
                    m_selected[key] = tensor.clone().to(m_device);
            }
            if (!m_selected.empty()) {
                m_selectedModel = phase.model;
                m_selectedStep = int64_t(checkpoint.state.value(QLatin1String("selected_step")).toDouble());
                m_selectedValue = checkpoint.state.value(QLatin1String("selected_value")).toDouble();
            }
        }
    } catch (const c10::Error &e) {
        return Status::failure(QStringLiteral("%1 cannot be read: %2")
                                   .arg(name, QString::fromStdString(e.what_without_backtrace())));
    }
    const QJsonObject &s = checkpoint.state;
    position.epoch = s.value(QLatin1String("epoch")).toInt();
    position.batch = s.value(QLatin1String("batch")).toInt();
    m_phaseStep = int64_t(s.value(QLatin1String("phase_step")).toDouble());
    m_globalStep = int64_t(s.value(QLatin1String("global_step")).toDouble());
    m_epoch = s.value(QLatin1String("epoch_progress")).toDouble();
    m_early.restore(s.value(QLatin1String("early_best")).toDouble(),
                    (long long)(s.value(QLatin1String("early_best_step")).toDouble()),
                    s.value(QLatin1String("early_stale")).toInt(), s.value(QLatin1String("early_has_best")).toBool());
    position.step = m_phaseStep;
    return {};
}

} // namespace ts
