#include "transfer/TrainedModel.h"

#include "model/ModelRegistry.h"
#include "project/PredictionStore.h"
#include "project/RunVocabulary.h"
#include "project/WeightRetention.h"
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
    const auto config = TrainingConfig::fromJson(QJsonDocument::fromJson(run.configJson.toUtf8()).object());
    if (!config)
        return R::failure(config.error());
    const auto weights = readWeights(db, run, config.value(), *strategy.value());
    if (!weights)
        return R::failure(weights.error());
    const auto model = ModelRegistry::load(db, run.modelId);
    if (!model)
        return R::failure(model.error());
    const auto dir = ModelRegistry::materialize(db, model.value(), scratchDir);
    if (!dir)
        return R::failure(dir.error());
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
    const auto tensors = CheckpointTensors::decode(weights->bytes, weights->name);
    if (!tensors)
        return R::failure(tensors.error());
    Status restored;
    if (weights->kept) {
        // Kept weights sit on top of the base model: a freshly initialised head must be among them.
        for (const QString &fresh : std::as_const(loaded->report.initialised)) {
            if (!tensors->count(fresh.toStdString()))
                return R::failure(QStringLiteral("%1 lack the head tensor \"%2\" that the base model \"%3\" does not have")
                                      .arg(weights->name, fresh, model->name));
        }
        restored = CheckpointTensors::restorePart(*loaded->model, tensors.value(), weights->name);
    } else {
        // A checkpoint with model selection holds the selected weights beside the last ones: they are the result.
        const bool selected = weights->selected;
        restored = CheckpointTensors::restoreModule(*loaded->model, tensors.value(),
                                                    selected ? CheckpointTensors::kSelectedPrefix : "model.", weights->name);
    }
    if (!restored)
        return R::failure(QStringLiteral("%1 do not fit model \"%2\": %3").arg(weights->name, model->name, restored.error()));
    loaded->model->eval();
    trained.loaded = std::move(loaded.value());
    return trained;
}

Result<TrainedModel::StoredWeights> TrainedModel::readWeights(const QSqlDatabase &db, const RunRecord &run,
                                                              const TrainingConfig &config,
                                                              const StrategyDescriptor &strategy)
{
    using R = Result<StoredWeights>;
    CheckpointStore store(db, run.id);
    const auto kept = store.kept(QString::fromLatin1(CheckpointStore::kResultWeights));
    if (!kept)
        return R::failure(kept.error());
    if (kept.value())
        return StoredWeights{kept.value()->tensors, QStringLiteral("run %1's kept weights").arg(run.id), true, false};
    // An unfinished run, or one finished by an older version (which kept its whole checkpoints).
    const auto checkpoint = store.latest();
    if (!checkpoint)
        return R::failure(checkpoint.error());
    if (checkpoint.value())
        return StoredWeights{checkpoint.value()->tensors, QStringLiteral("run %1's checkpoint").arg(run.id), false,
                             checkpoint.value()->state.value(QLatin1String("selected_step")).toDouble(-1) >= 0};
    if (!strategy.trainsWeights())
        return R::failure(QStringLiteral("run %1 has no trained weights (%2 trains nothing)").arg(run.id).arg(run.strategy));
    if (run.status == RunRecord::Status::Finished && config.keep == QLatin1String(WeightRetention::kNone))
        return R::failure(QStringLiteral("run %1 kept no weights: it ran with the weight retention setting \"none\" "
                                         "(--keep none, or the project's default), which keeps only metrics and "
                                         "predictions. Train it again with --keep final to export or apply its model")
                              .arg(run.id));
    return R::failure(
        QStringLiteral("run %1 has no trained weights (it has not reached its first checkpoint)").arg(run.id));
}

} // namespace ts
