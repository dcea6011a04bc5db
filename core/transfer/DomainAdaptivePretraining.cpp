#include "transfer/DomainAdaptivePretraining.h"

#include "model/nn/ModelExporter.h"
#include "model/nn/ModelLoader.h"
#include "transfer/LanguageModelPhase.h"
#include "transfer/StrategyDescriptor.h"

#include <QObject>

namespace ts {

QList<StrategyOption> DomainAdaptivePretraining::options(double defaultEpochs, double minEpochs)
{
    using Kind = StrategyOption::Kind;
    const QString epochsHelp = minEpochs > 0
                                   ? QObject::tr("Passes over the target's unlabelled text before fine-tuning.")
                                   : QObject::tr("Passes over the target's unlabelled text (masked or next words) "
                                                 "before the strategy's own training; 0: no pre-training.");
    return {{QString::fromLatin1(kPretrainEpochs), QObject::tr("Pre-training epochs"), Kind::Real, defaultEpochs,
             minEpochs, 100, {}, epochsHelp},
            {QString::fromLatin1(kMaskProbability), QObject::tr("Masking probability"), Kind::Real, 0.15, 0.01, 0.9, {},
             QObject::tr("Share of tokens hidden for the masked-word objective (encoders).")},
            {QString::fromLatin1(kPretrainLearningRate), QObject::tr("Pre-training learning rate"), Kind::Real, 0.0, 0.0,
             10, {}, QObject::tr("Learning rate of the pre-training phase; 0 uses the fine-tuning learning rate.")}};
}

Result<DomainAdaptivePretraining::Start> DomainAdaptivePretraining::run(TransferContext &ctx,
                                                                        const StrategyDescriptor &d)
{
    using R = Result<Start>;
    Start start;
    const double epochs = d.number(ctx.config, QString::fromLatin1(kPretrainEpochs));
    if (epochs <= 0) {
        auto model = ctx.loadModel(ModelTask::SequenceClassification);
        if (!model)
            return R::failure(model.error());
        start.model = model.value();
        return start;
    }
    start.firstPhase = 1;
    NamedTensors adapted;
    const bool resumingLater = ctx.resume && ctx.resume->state.value(QLatin1String("phase")).toInt() >= 1;
    if (!resumingLater) {
        const double rate = d.number(ctx.config, QString::fromLatin1(kPretrainLearningRate));
        auto phase = LanguageModelPhase::run(ctx, ctx.targetUnlabeled, epochs, rate > 0 ? rate : ctx.config.learningRate,
                                             d.number(ctx.config, QString::fromLatin1(kMaskProbability)), 0);
        if (!phase)
            return R::failure(phase.error());
        if (phase->result.cancelled) {
            start.cancelled = phase->result;
            return start;
        }
        adapted = ModelExporter::exportTensors(*phase->model);
        start.languageModel = phase->model;
    }
    auto model = ctx.loadModel(ModelTask::SequenceClassification);
    if (!model)
        return R::failure(model.error());
    if (!resumingLater) {
        LoadOptions options;
        options.task = ModelTask::SequenceClassification;
        auto report = ModelLoader::loadWeights(*model.value(), adapted, options, QStringLiteral("the domain-adapted model"));
        if (!report)
            return R::failure(report.error());
        model.value()->to(ctx.device);
        ctx.log(QStringLiteral("continuing from the domain-adapted weights"));
    }
    start.model = model.value();
    return start;
}

} // namespace ts
