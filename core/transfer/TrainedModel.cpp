#include "transfer/TrainedModel.h"

#include "model/ModelRegistry.h"
#include "project/PredictionStore.h"
#include "project/RunVocabulary.h"
#include "train/CheckpointStore.h"
#include "train/CheckpointTensors.h"
#include "train/DomainDataLoader.h"
#include "transfer/StrategyRegistry.h"

#include <QJsonDocument>

namespace ts {

namespace {

ModelTask taskOf(const StrategyDescriptor &strategy, ModelFamily family)
{
    if (strategy.output == StrategyDescriptor::Output::Classifier)
        return ModelTask::SequenceClassification;
    return family == ModelFamily::Gpt2 || family == ModelFamily::Llama ? ModelTask::CausalLm : ModelTask::MaskedLm;
}

/// The run's classes: as its predictions stored them, else the source corpus's labels now.
Result<QStringList> classesOf(const QSqlDatabase &db, const RunRecord &run)
{
    for (const QLatin1String split : {Splits::kTargetTest, Splits::kSourceTest, Splits::kTargetValidation,
                                      Splits::kSourceValidation}) {
        const auto stored = PredictionStore(db).load(run.id, QString(split));
        if (!stored)
            return Result<QStringList>::failure(stored.error());
        if (!stored->classes.isEmpty())
            return stored->classes;
    }
    return DomainDataLoader::classes(db, run.sourceCorpusId);
}

} // namespace

Result<TrainedModel> TrainedModel::load(const QSqlDatabase &db, const RunRecord &run, const QString &scratchDir)
{
    using R = Result<TrainedModel>;
    const auto strategy = StrategyRegistry::lookup(run.strategy);
    if (!strategy)
        return R::failure(QStringLiteral("run %1: %2").arg(run.id).arg(strategy.error()));
    const auto checkpoint = CheckpointStore(db, run.id).latest();
    if (!checkpoint)
        return R::failure(checkpoint.error());
    if (!checkpoint.value())
        return R::failure(QStringLiteral("run %1 has no trained weights (%2)")
                              .arg(run.id)
                              .arg(!strategy.value()->trainsWeights()
                                       ? QStringLiteral("%1 trains nothing").arg(run.strategy)
                                       : QStringLiteral("it has not reached its first checkpoint")));
    const auto model = ModelRegistry::load(db, run.modelId);
    if (!model)
        return R::failure(model.error());
    const auto dir = ModelRegistry::materialize(db, model.value(), scratchDir);
    if (!dir)
        return R::failure(dir.error());
    const auto config = TrainingConfig::fromJson(QJsonDocument::fromJson(run.configJson.toUtf8()).object());
    if (!config)
        return R::failure(config.error());
    TrainedModel trained;
    trained.config = config.value();
    trained.task = taskOf(*strategy.value(), model->config.family);
    if (trained.task == ModelTask::SequenceClassification) {
        const auto classes = classesOf(db, run);
        if (!classes)
            return R::failure(classes.error());
        trained.classes = classes.value();
    }
    LoadOptions options;
    options.task = trained.task;
    options.numLabels = int(trained.classes.size());
    auto loaded = ModelLoader::load(dir.value(), options);
    if (!loaded)
        return R::failure(loaded.error());
    trained.strategy = strategy.value()->create();
    if (const Status s = trained.strategy->prepareForCheckpoint(*loaded->model, trained.config); !s)
        return R::failure(s.error());
    const QString name = QStringLiteral("run %1's checkpoint").arg(run.id);
    const auto tensors = CheckpointTensors::decode(checkpoint.value()->tensors, name);
    if (!tensors)
        return R::failure(tensors.error());
    // A run with model selection keeps the selected weights beside the last ones: they are its result.
    const bool selected = checkpoint.value()->state.value(QLatin1String("selected_step")).toDouble(-1) >= 0;
    if (const Status s = CheckpointTensors::restoreModule(*loaded->model, tensors.value(),
                                                          selected ? CheckpointTensors::kSelectedPrefix : "model.", name);
        !s)
        return R::failure(QStringLiteral("%1 does not fit model \"%2\": %3").arg(name, model->name, s.error()));
    loaded->model->eval();
    trained.loaded = std::move(loaded.value());
    return trained;
}

} // namespace ts
