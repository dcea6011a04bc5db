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

#include <optional>

namespace ts {

namespace {

bool isDecoder(ModelFamily family)
{
    return family == ModelFamily::Gpt2 || family == ModelFamily::Llama;
}

/// The head a run's model carries: a classification head, or the language-model head of a run
/// that trains one or scores through its prompt.
ModelTask taskOf(const StrategyDescriptor &strategy, ModelFamily family, bool scoresThroughPrompt)
{
    if (strategy.output == StrategyDescriptor::Output::Classifier && !scoresThroughPrompt)
        return ModelTask::SequenceClassification;
    return isDecoder(family) ? ModelTask::CausalLm : ModelTask::MaskedLm;
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

Result<TrainedModel> TrainedModel::load(const QSqlDatabase &db, const RunRecord &run, const QString &scratchDir, Use use)
{
    using R = Result<TrainedModel>;
    const auto strategy = StrategyRegistry::lookup(run.strategy);
    if (!strategy)
        return R::failure(QStringLiteral("run %1: %2").arg(run.id).arg(strategy.error()));
    const auto config = TrainingConfig::fromJson(QJsonDocument::fromJson(run.configJson.toUtf8()).object());
    if (!config)
        return R::failure(config.error());
    const auto model = ModelRegistry::load(db, run.modelId);
    if (!model)
        return R::failure(model.error());
    TrainedModel trained;
    trained.config = config.value();
    trained.scoresThroughPrompt = strategy.value()->scoresThroughPrompt(trained.config, isDecoder(model->config.family));
    // A run that trained nothing classified with the base model, which is then the whole result.
    const bool baseModel = use == Use::Predict && trained.scoresThroughPrompt && !strategy.value()->trainsWeights();
    std::optional<StoredWeights> weights;
    if (!baseModel) {
        auto stored = readWeights(db, run, trained.config, *strategy.value());
        if (!stored)
            return R::failure(stored.error());
        weights = std::move(stored.value());
    }
    const auto dir = ModelRegistry::materialize(db, model.value(), scratchDir);
    if (!dir)
        return R::failure(dir.error());
    trained.task = taskOf(*strategy.value(), model->config.family, trained.scoresThroughPrompt);
    if (trained.task == ModelTask::SequenceClassification || trained.scoresThroughPrompt) {
        const auto classes = classesOf(db, run);
        if (!classes)
            return R::failure(classes.error());
        trained.classes = classes.value();
    }
    LoadOptions options;
    options.task = trained.task;
    options.numLabels = trained.task == ModelTask::SequenceClassification ? int(trained.classes.size()) : 0;
    // As the run loaded it: a head the base model lacks is initialised with the run's seed, and the
    // untrained backbone keeps its stored dtype (a fresh head's values depend on both).
    if (baseModel) {
        torch::manual_seed(uint64_t(trained.config.initSeed));
        options.keepStoredDtype = true;
    }
    auto loaded = ModelLoader::load(dir.value(), options);
    if (!loaded)
        return R::failure(loaded.error());
    trained.strategy = strategy.value()->create();
    if (!baseModel) {
        if (const Status s = trained.strategy->prepareForCheckpoint(*loaded->model, trained.config); !s)
            return R::failure(s.error());
        if (const Status s = restore(weights.value(), *loaded->model, loaded->report.initialised, model->name); !s)
            return R::failure(s.error());
    }
    loaded->model->eval();
    trained.loaded = std::move(loaded.value());
    return trained;
}

Status TrainedModel::restore(const StoredWeights &weights, PretrainedModel &model, const QStringList &initialised,
                             const QString &modelName)
{
    const auto tensors = CheckpointTensors::decode(weights.bytes, weights.name);
    if (!tensors)
        return Status::failure(tensors.error());
    Status restored;
    if (weights.kept) {
        // Kept weights sit on top of the base model: a freshly initialised head must be among them.
        for (const QString &fresh : initialised) {
            if (!tensors->count(fresh.toStdString()))
                return Status::failure(QStringLiteral("%1 lack the head tensor \"%2\" that the base model \"%3\" does not have")
                                           .arg(weights.name, fresh, modelName));
        }
        restored = CheckpointTensors::restorePart(model, tensors.value(), weights.name);
    } else {
        // A checkpoint with model selection holds the selected weights beside the last ones: they are the result.
        restored = CheckpointTensors::restoreModule(model, tensors.value(),
                                                    weights.selected ? CheckpointTensors::kSelectedPrefix : "model.",
                                                    weights.name);
    }
    if (!restored)
        return Status::failure(QStringLiteral("%1 do not fit model \"%2\": %3").arg(weights.name, modelName, restored.error()));
    return {};
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
