#include "transfer/RunExporter.h"

#include "model/ModelFolder.h"
#include "model/ModelRegistry.h"
#include "model/nn/ModelExporter.h"
#include "model/nn/ModelLoader.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "train/CheckpointStore.h"
#include "train/CheckpointTensors.h"
#include "train/DomainDataLoader.h"
#include "train/TrainingConfig.h"
#include "transfer/StrategyRegistry.h"
#include "transfer/TransferStrategy.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTemporaryDir>

namespace ts {

namespace {

ModelTask taskOf(const StrategyDescriptor &strategy, ModelFamily family)
{
    if (strategy.output == StrategyDescriptor::Output::Classifier)
        return ModelTask::SequenceClassification;
    return family == ModelFamily::Gpt2 || family == ModelFamily::Llama ? ModelTask::CausalLm : ModelTask::MaskedLm;
}

} // namespace

Status RunExporter::exportRun(const QString &projectPath, qint64 runId, const QString &outDir)
{
    auto project = Project::open(projectPath, Project::Access::ReadOnly);
    if (!project)
        return Status::failure(project.error());
    const QSqlDatabase db = project.value()->database();
    const auto run = RunStore(db).load(runId);
    if (!run)
        return Status::failure(run.error());
    const auto strategy = StrategyRegistry::lookup(run->strategy);
    if (!strategy)
        return Status::failure(QStringLiteral("run %1: %2").arg(runId).arg(strategy.error()));
    const auto checkpoint = CheckpointStore(db, runId).latest();
    if (!checkpoint)
        return Status::failure(checkpoint.error());
    if (!checkpoint.value())
        return Status::failure(QStringLiteral("run %1 has no trained weights to export (%2)")
                                   .arg(runId)
                                   .arg(!strategy.value()->trainsWeights()
                                            ? QStringLiteral("%1 trains nothing").arg(run->strategy)
                                            : QStringLiteral("it has not reached its first checkpoint")));
    const auto model = ModelRegistry::load(db, run->modelId);
    if (!model)
        return Status::failure(model.error());
    QTemporaryDir scratch;
    const auto dir = ModelRegistry::materialize(db, model.value(), scratch.path());
    if (!dir)
        return Status::failure(dir.error());
    const auto classes = DomainDataLoader::classes(db, run->sourceCorpusId);
    if (!classes)
        return Status::failure(classes.error());
    LoadOptions options;
    options.task = taskOf(*strategy.value(), model->config.family);
    options.numLabels = options.task == ModelTask::SequenceClassification ? int(classes->size()) : 0;
    auto loaded = ModelLoader::load(dir.value(), options);
    if (!loaded)
        return Status::failure(loaded.error());
    const auto config = TrainingConfig::fromJson(QJsonDocument::fromJson(run->configJson.toUtf8()).object());
    if (!config)
        return Status::failure(config.error());
    const auto implementation = strategy.value()->create();
    if (const Status s = implementation->prepareForCheckpoint(*loaded->model, config.value()); !s)
        return s;
    const QString name = QStringLiteral("run %1's checkpoint").arg(runId);
    const auto tensors = CheckpointTensors::decode(checkpoint.value()->tensors, name);
    if (!tensors)
        return Status::failure(tensors.error());
    if (const Status s = CheckpointTensors::restoreModule(*loaded->model, tensors.value(), "model.", name); !s)
        return Status::failure(QStringLiteral("%1 does not fit model \"%2\": %3").arg(name, model->name, s.error()));
    if (const Status s = ModelExporter::exportFolder(*loaded->model, outDir); !s)
        return s;
    if (const Status s = implementation->exportExtras(*loaded->model, config.value(), outDir); !s)
        return s;
    for (const QString &file : loaded->folder.tokenizerFiles()) {
        const QString destination = QDir(outDir).filePath(QFileInfo(file).fileName());
        QFile::remove(destination);
        if (!QFile::copy(file, destination))
            return Status::failure(QStringLiteral("cannot copy %1 to %2").arg(file, outDir));
    }
    return {};
}

} // namespace ts
