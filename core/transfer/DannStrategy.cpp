#include "transfer/DannStrategy.h"

#include "transfer/DomainAdaptivePretraining.h"
#include "transfer/DomainAdversarialObjective.h"

#include <QObject>

namespace ts {

Result<PhaseResult> DannStrategy::run(TransferContext &ctx)
{
    using R = Result<PhaseResult>;
    const StrategyDescriptor &d = descriptor();
    auto start = DomainAdaptivePretraining::run(ctx, d);
    if (!start)
        return R::failure(start.error());
    if (start->cancelled)
        return *start->cancelled;
    const std::shared_ptr<PretrainedModel> &model = start->model;
    DomainAdversarialObjective::Settings settings;
    settings.weight = d.number(ctx.config, QString::fromLatin1(kDomainWeight));
    settings.gamma = d.number(ctx.config, QString::fromLatin1(kGamma));
    settings.hidden = int(d.number(ctx.config, QString::fromLatin1(kDomainHidden)));
    settings.batchSize = ctx.config.batchSize;
    settings.seed = uint64_t(ctx.config.dataSeed) + 1;
    torch::manual_seed(uint64_t(ctx.config.initSeed) + 1);
    DomainAdversarialObjective objective(model, int(ctx.classes.size()), ctx.tokenizer.padId(), ctx.device,
                                         ctx.targetUnlabeled, settings);
    ctx.log(QStringLiteral("domain-adversarial training against %1 unlabelled target texts").arg(ctx.targetUnlabeled.size()));
    // The domain classifier is new and must keep up with an encoder that the reversed gradient
    // pushes to fool it: trained at the encoder's rate, it falls behind, the encoder flips its
    // features past it (domain accuracy 0, not 0.5) and the class signal goes with them.
    std::vector<ParameterGroup> groups = ctx.parameterGroups(*model);
    const double headScale = d.number(ctx.config, QString::fromLatin1(kDomainLearningRateScale));
    for (ParameterGroup &g : ctx.parameterGroups(*objective.extraModules().front(), {}, headScale))
        groups.push_back(std::move(g));
    return ctx.fineTune(model, objective, std::move(groups), start->firstPhase);
}

const StrategyDescriptor &DannStrategy::descriptor()
{
    static const StrategyDescriptor d = [] {
        using Kind = StrategyOption::Kind;
        StrategyDescriptor d;
        d.name = QString::fromLatin1(kName);
        d.title = QObject::tr("Domain-adversarial (DANN)");
        d.description = QObject::tr("Trains the model so that a second classifier cannot tell source from target text, "
                                    "while still classifying the source correctly (Ganin et al. 2016). Helps when the "
                                    "target has no labels: the features the classifier relies on must work in both "
                                    "domains.");
        d.options = {{QString::fromLatin1(kDomainWeight), QObject::tr("Adversarial weight"), Kind::Real, 0.1, 0.0, 100,
                      {}, QObject::tr("How much the domain classifier's loss counts beside the classification loss "
                                      "(weight 1). 0.1 keeps the classes in front on a pretrained encoder; raise it when "
                                      "the domain accuracy stays near 1 (source and target features stay apart).")},
                     {QString::fromLatin1(kGamma), QObject::tr("Lambda schedule gamma"), Kind::Real, 10.0, 0.1, 100, {},
                      QObject::tr("How fast the reversed gradient ramps up from 0 to full strength.")},
                     {QString::fromLatin1(kDomainHidden), QObject::tr("Domain classifier width"), Kind::Integer, 256, 8,
                      8192, {}, QObject::tr("Hidden units of the domain classifier.")},
                     {QString::fromLatin1(kDomainLearningRateScale), QObject::tr("Domain classifier learning rate"),
                      Kind::Real, 10.0, 0.1, 1000, {},
                      QObject::tr("The domain classifier learns this many times faster than the model, as new layers "
                                  "on a pretrained network do in Ganin et al. 2016. Slower, it falls behind: the "
                                  "model learns to fool it outright (domain accuracy near 0) and loses the classes.")}};
        d.options.append(DomainAdaptivePretraining::options(0.0, 0.0));
        d.needsUnlabelledTarget = true;
        d.phases = {QStringLiteral("pretrain (when pretrain_epochs > 0)"), QStringLiteral("fine-tuning")};
        d.create = [] { return std::unique_ptr<TransferStrategy>(new DannStrategy); };
        return d;
    }();
    return d;
}

} // namespace ts
