#include "transfer/ContinuedPretrainingStrategy.h"

#include "model/ModelRegistry.h"
#include "model/nn/ModelExporter.h"
#include "model/nn/SafeTensorsWriter.h"
#include "transfer/LanguageModelPhase.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

namespace ts {

Result<PhaseResult> ContinuedPretrainingStrategy::run(TransferContext &ctx)
{
    using R = Result<PhaseResult>;
    TokenizedSet texts = ctx.targetUnlabeled;
    if (ctx.config.options.value(QStringLiteral("include_source")).toBool(false))
        texts.append(ctx.sourceUnlabeled);
    if (texts.isEmpty())
        return R::failure(QStringLiteral("continued-pretraining needs unlabelled text: corpus \"%1\" has none "
                                         "(import some with --unlabeled)")
                              .arg(ctx.targetName));
    auto phase = LanguageModelPhase::run(ctx, texts, ctx.config.epochs, ctx.config.learningRate, 0);
    if (!phase)
        return R::failure(phase.error());
    if (phase->result.cancelled)
        return phase->result;
    const QString saveAs = ctx.config.optionString(QStringLiteral("save_as"), QString());
    if (!saveAs.isEmpty()) {
        if (const Status s = saveModel(ctx, *phase->model, saveAs); !s)
            return R::failure(s.error());
    }
    return phase->result;
}

Status ContinuedPretrainingStrategy::saveModel(TransferContext &ctx, PretrainedModel &model, const QString &name)
{
    QTemporaryDir scratch;
    const QString weightsPath = scratch.filePath(QStringLiteral("model.safetensors"));
    model.to(torch::kCPU);
    if (const Status s = SafeTensorsWriter::write(weightsPath, ModelExporter::exportTensors(model)); !s)
        return s;
    QFile weights(weightsPath);
    if (!weights.open(QIODevice::ReadOnly))
        return Status::failure(QStringLiteral("cannot read back %1").arg(weightsPath));
    const QMap<QString, QByteArray> files{
        {QStringLiteral("config.json"), QJsonDocument(ModelExporter::exportConfig(model)).toJson()},
        {QStringLiteral("model.safetensors"), weights.readAll()},
        {QStringLiteral("tokenizer.json"), ctx.tokenizer.toJson()},
    };
    const auto id = ModelRegistry::addStored(ctx.db, name, files);
    if (!id)
        return Status::failure(id.error());
    ctx.log(QStringLiteral("saved the pre-trained model as \"%1\"").arg(name));
    return {};
}

} // namespace ts
