#include "transfer/ContinuedPretrainingStrategy.h"

#include "model/ModelRegistry.h"
#include "model/nn/ModelExporter.h"
#include "model/nn/SafeTensorsWriter.h"
#include "transfer/LanguageModelPhase.h"

#include <QFile>
#include <QJsonDocument>
#include <QObject>
#include <QTemporaryDir>

namespace ts {

Result<PhaseResult> ContinuedPretrainingStrategy::run(TransferContext &ctx)
{
    using R = Result<PhaseResult>;
    TokenizedSet texts = ctx.targetUnlabeled;
    if (descriptor().flag(ctx.config, QString::fromLatin1(kIncludeSource)))
        texts.append(ctx.sourceUnlabeled);
    if (texts.isEmpty())
        return R::failure(QStringLiteral("continued-pretraining needs unlabelled text: corpus \"%1\" has none "
                                         "(import some with --unlabeled)")
                              .arg(ctx.targetName));
    auto phase = LanguageModelPhase::run(ctx, texts, ctx.config.epochs, ctx.config.learningRate,
                                         descriptor().number(ctx.config, QString::fromLatin1(kMaskProbability)), 0);
    if (!phase)
        return R::failure(phase.error());
    if (phase->result.cancelled)
        return phase->result;
    const QString saveAs = descriptor().text(ctx.config, QString::fromLatin1(kSaveAs));
    if (!saveAs.isEmpty() && ctx.writesProject) {
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

const StrategyDescriptor &ContinuedPretrainingStrategy::descriptor()
{
    static const StrategyDescriptor d = [] {
        using Kind = StrategyOption::Kind;
        StrategyDescriptor d;
        d.name = QString::fromLatin1(kName);
        d.title = QObject::tr("Language-model transfer");
        d.description = QObject::tr("Continues pre-training the language model on the target's text and tracks "
                                    "perplexity on both domains: the target's falls as the model adapts, the source's "
                                    "rising shows forgetting.");
        d.options = {{QString::fromLatin1(kIncludeSource), QObject::tr("Also source text"), Kind::Flag, false, 0, 0, {},
                      QObject::tr("Train on the source's unlabelled text too (pre-training a model from scratch on "
                                  "both domains).")},
                     {QString::fromLatin1(kSaveAs), QObject::tr("Save as model"), Kind::Text, QString(), 0, 0, {},
                      QObject::tr("When set, the trained model is added to the project's models under this name.")},
                     {QString::fromLatin1(kMaskProbability), QObject::tr("Masking probability"), Kind::Real, 0.15, 0.01,
                      0.9, {}, QObject::tr("Share of tokens hidden for the masked-word objective (encoders).")}};
        d.output = StrategyDescriptor::Output::LanguageModel;
        d.needsSourceLabels = false;
        d.needsUnlabelledTarget = true;
        d.phases = {QStringLiteral("pretrain")};
        d.create = [] { return std::unique_ptr<TransferStrategy>(new ContinuedPretrainingStrategy); };
        return d;
    }();
    return d;
}

} // namespace ts
