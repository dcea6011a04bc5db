#include "transfer/TransferContext.h"

#include "model/nn/ModelLoader.h"
#include "project/ClassificationReport.h"
#include "project/PredictionStore.h"
#include "project/RunVocabulary.h"
#include "train/EvaluationShards.h"
#include "train/PredictionRows.h"

#include <cmath>

namespace ts {

Result<std::shared_ptr<PretrainedModel>> TransferContext::loadModel(ModelTask task, bool keepStoredDtype,
                                                                    QStringList *initialised) const
{
    using R = Result<std::shared_ptr<PretrainedModel>>;
    torch::manual_seed(uint64_t(config.initSeed));
    LoadOptions options;
    options.task = task;
    options.numLabels = task == ModelTask::SequenceClassification ? int(classes.size()) : 0;
    options.keepStoredDtype = keepStoredDtype;
    auto loaded = ModelLoader::load(modelDir, options);
    if (!loaded)
        return R::failure(loaded.error());
    auto model = loaded->model;
    model->to(device);
    model->train();
    const qint64 parameters = model->config().parameterCount();
    if (config.checkpointsLayers(parameters)) {
        model->backbone()->setLayerCheckpointing(true);
        log(QStringLiteral("layer checkpointing on (%1 backbone parameters; gradient_checkpointing %2): each layer is "
                           "recomputed in backward")
                .arg(parameters)
                .arg(config.gradientCheckpointing));
    }
    const torch::ScalarType stored = model->backbone()->wordEmbeddings().scalar_type();
    if (stored != torch::kFloat)
        log(QStringLiteral("backbone kept in its stored %1 while frozen; what trains (head, adapters, unfrozen "
                           "layers) and its optimiser state are fp32")
                .arg(QString::fromLatin1(c10::toString(stored))));
    if (!loaded->report.initialised.isEmpty())
        log(QStringLiteral("new %1 head: %2 initialised with seed %3")
                .arg(task == ModelTask::SequenceClassification ? QStringLiteral("classification") : QStringLiteral("task"))
                .arg(loaded->report.initialised.size())
                .arg(config.initSeed));
    if (initialised)
        *initialised = loaded->report.initialised;
    return model;
}

ModelTask TransferContext::languageModelTask() const
{
    const ModelFamily family = model.config.family;
    return family == ModelFamily::Gpt2 || family == ModelFamily::Llama ? ModelTask::CausalLm : ModelTask::MaskedLm;
}

bool TransferContext::isNoDecay(const std::string &name)
{
    const auto contains = [&name](const char *part) { return name.find(part) != std::string::npos; };
    return contains("bias") || contains("LayerNorm") || contains("layer_norm") || contains("layernorm") ||
           contains(".ln_") || contains("norm.weight") || contains("ln_f");
}

std::vector<ParameterGroup> TransferContext::parameterGroups(torch::nn::Module &model,
                                                             const std::vector<torch::Tensor> &extra,
                                                             double learningRateScale) const
{
    ParameterGroup decay{{}, learningRateScale, config.weightDecay};
    ParameterGroup noDecay{{}, learningRateScale, 0.0};
    for (const auto &item : model.named_parameters()) {
        if (!item.value().requires_grad())
            continue;
        (isNoDecay(item.key()) ? noDecay : decay).parameters.push_back(item.value());
    }
    for (const torch::Tensor &p : extra)
        (p.dim() < 2 ? noDecay : decay).parameters.push_back(p);
    return {decay, noDecay};
}

Result<PhaseResult> TransferContext::fineTune(const std::shared_ptr<PretrainedModel> &model,
                                              TrainingObjective &objective, std::vector<ParameterGroup> groups,
                                              int phaseIndex, std::function<void(int)> onEpochStart)
{
    TrainingPhase phase;
    phase.index = phaseIndex;
    phase.name = QStringLiteral("fine-tuning");
    phase.objective = &objective;
    phase.model = model;
    phase.groups = std::move(groups);
    phase.train = &train;
    phase.evaluations = {&sourceValidation, &targetValidation};
    phase.epochs = config.epochs;
    phase.learningRate = config.learningRate;
    phase.onEpochStart = std::move(onEpochStart);
    log(QStringLiteral("fine-tuning on %1 examples (%2 classes) for %3 %4")
            .arg(train.size())
            .arg(classes.size())
            .arg(config.epochs)
            .arg(config.epochs == 1 ? QStringLiteral("epoch") : QStringLiteral("epochs")));
    auto result = trainer->run(phase, resume);
    if (result && !result->cancelled) {
        if (const Status s = finalEvaluation(objective); !s)
            return Result<PhaseResult>::failure(s.error());
    }
    return result;
}

QList<const TokenizedSet *> TransferContext::finalSets() const
{
    QList<const TokenizedSet *> sets;
    for (const TokenizedSet *set : {&sourceTest, &sourceWholeValidation, &targetTest, &targetWholeValidation}) {
        if (!set->isEmpty())
            sets.append(set);
    }
    return sets;
}

Status TransferContext::finalEvaluation(TrainingObjective &objective)
{
    if (const Status s = trainer->applySelection(); !s)
        return s;
    TrainingPhase phase;
    phase.objective = &objective;
    for (const TokenizedSet *set : finalSets()) {
        // Data-parallel: each rank scores its share of the texts; every rank gets all of them.
        const auto scored = EvaluationShards::classProbabilities(objective, *set, config.batchSize * 2, group.get());
        if (!scored)
            return Status::failure(scored.error());
        const torch::Tensor &probabilities = scored.value();
        if (!probabilities.defined()) {
            phase.evaluations.append(set);
            continue;
        }
        if (const Status s = recordPredictions(*set, probabilities); !s)
            return s;
    }
    return trainer->evaluateAll(phase);
}

Status TransferContext::recordPredictions(const TokenizedSet &set, const torch::Tensor &probabilities)
{
    PredictionSet out;
    out.split = set.name;
    out.step = trainer->globalStep();
    out.classes = classes;
    out.available = std::max(set.available, set.size());
    out.predictions = PredictionRows::from(set, 0, probabilities);
    ClassificationReport report(int(classes.size()));
    double lossSum = 0.0; // cross-entropy in nats over the labelled texts
    for (const Prediction &p : std::as_const(out.predictions)) {
        report.add(p.label, p.predicted, p.confidence());
        if (p.label >= 0 && p.label < p.probabilities.size())
            lossSum -= std::log(std::max(double(p.probabilities[p.label]), 1e-12));
    }
    if (writesProject) {
        if (const Status s = PredictionStore(db).save(run.id, out); !s)
            return s;
    }
    if (report.count() == 0)
        return {};
    const QList<std::pair<QLatin1String, double>> values = {
        {Metrics::kAccuracy, report.accuracy()},
        {Metrics::kMacroF1, report.macroF1()},
        {Metrics::kEce, report.expectedCalibrationError()},
        {Metrics::kLoss, lossSum / report.count()},
        {Metrics::kExamples, double(report.count())},
        {Metrics::kAvailable, double(out.available)},
    };
    for (const auto &[metric, value] : values) {
        if (const Status s = sink->add(out.step, trainer->epoch(), set.name, QString(metric), value); !s)
            return s;
    }
    return sink->flush();
}

void TransferContext::log(const QString &line) const
{
    if (callbacks && callbacks->log)
        callbacks->log(line);
}

} // namespace ts
