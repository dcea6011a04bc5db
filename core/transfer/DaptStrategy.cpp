#include "transfer/DaptStrategy.h"

#include "model/nn/ModelExporter.h"
#include "model/nn/ModelLoader.h"
#include "train/ClassificationObjective.h"
#include "transfer/LanguageModelPhase.h"

#include <QObject>

namespace ts {

Result<PhaseResult> DaptStrategy::run(TransferContext &ctx)
{
    using R = Result<PhaseResult>;
    NamedTensors adapted;
    const bool resumingFineTuning = ctx.resume && ctx.resume->state.value(QLatin1String("phase")).toInt() >= 1;
    if (!resumingFineTuning) {
        const StrategyDescriptor &d = descriptor();
        const double rate = d.number(ctx.config, QString::fromLatin1(kPretrainLearningRate));
        auto phase = LanguageModelPhase::run(ctx, ctx.targetUnlabeled,
                                             d.number(ctx.config, QString::fromLatin1(kPretrainEpochs)),
                                             rate > 0 ? rate : ctx.config.learningRate,
                                             d.number(ctx.config, QString::fromLatin1(kMaskProbability)), 0);
        if (!phase)
            return R::failure(phase.error());
        if (phase->result.cancelled)
            return phase->result;
        adapted = ModelExporter::exportTensors(*phase->model);
    }

    auto model = ctx.loadModel(ModelTask::SequenceClassification);
    if (!model)
        return R::failure(model.error());
    if (!resumingFineTuning) {
        LoadOptions options;
        options.task = ModelTask::SequenceClassification;
        auto report = ModelLoader::loadWeights(*model.value(), adapted, options, QStringLiteral("the domain-adapted model"));
        if (!report)
            return R::failure(report.error());
        model.value()->to(ctx.device);
        ctx.log(QStringLiteral("fine-tuning from the domain-adapted weights"));
    }
    ClassificationObjective objective(model.value(), int(ctx.classes.size()), ctx.tokenizer.padId(), ctx.device);
    return ctx.fineTune(model.value(), objective, ctx.parameterGroups(*model.value()), 1);
}

const StrategyDescriptor &DaptStrategy::descriptor()
{
    static const StrategyDescriptor d = [] {
        using Kind = StrategyOption::Kind;
        StrategyDescriptor d;
        d.name = QString::fromLatin1(kName);
        d.title = QObject::tr("Domain-adaptive pre-training");
        d.description = QObject::tr("First continues pre-training the model on the target's unlabelled text (masked "
                                    "words for encoders, next words for decoders), so it learns the target's vocabulary "
                                    "and style; then fine-tunes on the source labels (Gururangan et al. 2020). Helps "
                                    "when the target has plenty of unlabelled text.");
        d.options = {{QString::fromLatin1(kPretrainEpochs), QObject::tr("Pre-training epochs"), Kind::Real, 1.0, 0.05,
                      100, {}, QObject::tr("Passes over the target's unlabelled text before fine-tuning.")},
                     {QString::fromLatin1(kMaskProbability), QObject::tr("Masking probability"), Kind::Real, 0.15, 0.01,
                      0.9, {}, QObject::tr("Share of tokens hidden for the masked-word objective (encoders).")},
                     {QString::fromLatin1(kPretrainLearningRate), QObject::tr("Pre-training learning rate"), Kind::Real,
                      0.0, 0.0, 10, {},
                      QObject::tr("Learning rate of the pre-training phase; 0 uses the fine-tuning learning rate.")}};
        d.needsUnlabelledTarget = true;
        d.phases = {QStringLiteral("pretrain"), QStringLiteral("fine-tuning")};
        d.create = [] { return std::unique_ptr<TransferStrategy>(new DaptStrategy); };
        return d;
    }();
    return d;
}

} // namespace ts
