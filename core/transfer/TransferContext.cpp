#include "transfer/TransferContext.h"

#include "model/nn/ModelLoader.h"

namespace ts {

Result<std::shared_ptr<PretrainedModel>> TransferContext::loadModel(ModelTask task) const
{
    using R = Result<std::shared_ptr<PretrainedModel>>;
    torch::manual_seed(uint64_t(config.initSeed));
    LoadOptions options;
    options.task = task;
    options.numLabels = task == ModelTask::SequenceClassification ? int(classes.size()) : 0;
    auto loaded = ModelLoader::load(modelDir, options);
    if (!loaded)
        return R::failure(loaded.error());
    auto model = loaded->model;
    model->to(device);
    model->train();
    if (!loaded->report.initialised.isEmpty())
        log(QStringLiteral("new %1 head: %2 initialised with seed %3")
                .arg(task == ModelTask::SequenceClassification ? QStringLiteral("classification") : QStringLiteral("task"))
                .arg(loaded->report.initialised.size())
                .arg(config.initSeed));
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
    log(QStringLiteral("fine-tuning on %1 examples (%2 classes) for %3 epochs")
            .arg(train.size())
            .arg(classes.size())
            .arg(config.epochs));
    auto result = trainer->run(phase, resume);
    if (result && !result->cancelled) {
        if (const Status s = finalEvaluation(objective); !s)
            return Result<PhaseResult>::failure(s.error());
    }
    return result;
}

Status TransferContext::finalEvaluation(TrainingObjective &objective)
{
    TrainingPhase phase;
    phase.objective = &objective;
    phase.evaluations = {&sourceTest, &targetTest};
    return trainer->evaluateAll(phase);
}

void TransferContext::log(const QString &line) const
{
    if (callbacks && callbacks->log)
        callbacks->log(line);
}

} // namespace ts
