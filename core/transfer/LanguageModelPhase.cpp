#include "transfer/LanguageModelPhase.h"

#include "train/LanguageModelObjective.h"

namespace ts {

Result<LanguageModelPhase::Outcome> LanguageModelPhase::run(TransferContext &ctx, const TokenizedSet &texts,
                                                            double epochs, double learningRate, double maskProbability,
                                                            int index)
{
    using R = Result<Outcome>;
    auto model = ctx.loadModel(ctx.languageModelTask());
    if (!model)
        return R::failure(model.error());
    auto made = objective(ctx, model.value(), maskProbability);
    if (!made)
        return R::failure(made.error());
    LanguageModelObjective &lm = *made.value();
    const auto mode = lm.mode();

    TrainingPhase phase;
    phase.index = index;
    phase.name = QStringLiteral("pre-training");
    phase.objective = &lm;
    phase.model = model.value();
    phase.groups = ctx.parameterGroups(*model.value());
    phase.train = &texts;
    phase.trainSplit = QStringLiteral("pretrain");
    phase.evaluations = {&ctx.sourceValidation, &ctx.targetValidation};
    phase.epochs = epochs;
    phase.learningRate = learningRate;
    ctx.log(QStringLiteral("%1 pre-training on %2 texts for %3 %4")
                .arg(mode == LanguageModelObjective::Mode::Masked ? QStringLiteral("masked-LM") : QStringLiteral("causal-LM"))
                .arg(texts.size())
                .arg(epochs)
                .arg(epochs == 1 ? QStringLiteral("epoch") : QStringLiteral("epochs")));
    auto result = ctx.trainer->run(phase, ctx.resume);
    if (!result)
        return R::failure(result.error());
    return Outcome{model.value(), result.value()};
}

Result<PhaseResult> LanguageModelPhase::warmUpHead(TransferContext &ctx, const std::shared_ptr<PretrainedModel> &model,
                                                   const TokenizedSet &texts, double epochs, double learningRate,
                                                   double maskProbability, int index)
{
    using R = Result<PhaseResult>;
    auto made = objective(ctx, model, maskProbability);
    if (!made)
        return R::failure(made.error());
    int64_t head = 0;
    for (auto &item : model->named_parameters()) {
        // The backbone (the tied decoder included: it is the word embeddings) takes no gradient.
        const bool trains = model->isHeadParameter(item.key());
        item.value().set_requires_grad(trains);
        head += trains ? 1 : 0;
    }
    TrainingPhase phase;
    phase.index = index;
    phase.name = QStringLiteral("head warm-up");
    phase.objective = made.value().get();
    phase.model = model;
    phase.groups = ctx.parameterGroups(*model);
    phase.train = &texts;
    phase.trainSplit = QStringLiteral("pretrain");
    phase.epochs = epochs;
    phase.learningRate = learningRate;
    ctx.log(QStringLiteral("the model has no pretrained language-model head: training a new one alone (%1 tensors, "
                           "backbone frozen) on %2 texts for %3 %4 at learning rate %5")
                .arg(head)
                .arg(texts.size())
                .arg(epochs)
                .arg(epochs == 1 ? QStringLiteral("epoch") : QStringLiteral("epochs"))
                .arg(learningRate));
    return ctx.trainer->run(phase, ctx.resume);
}

Result<std::unique_ptr<LanguageModelObjective>> LanguageModelPhase::objective(const TransferContext &ctx,
                                                                            std::shared_ptr<PretrainedModel> model,
                                                                            double maskProbability)
{
    using R = Result<std::unique_ptr<LanguageModelObjective>>;
    LanguageModelObjective::Tokens tokens;
    tokens.pad = ctx.tokenizer.padId();
    tokens.vocabSize = ctx.model.config.vocabSize;
    const SpecialTokenIds &special = ctx.tokenizer.specialIds();
    tokens.mask = special.mask;
    for (int id : {special.cls, special.sep, special.pad, special.bos, special.eos, special.unk, special.mask}) {
        if (id >= 0)
            tokens.special.push_back(id);
    }
    const auto mode = ctx.languageModelTask() == ModelTask::MaskedLm ? LanguageModelObjective::Mode::Masked
                                                                     : LanguageModelObjective::Mode::Causal;
    if (mode == LanguageModelObjective::Mode::Masked && tokens.mask < 0)
        return R::failure(QStringLiteral("model \"%1\": its tokenizer has no [MASK] token, so it cannot be "
                                         "pre-trained with masked words")
                              .arg(ctx.model.name));
    return std::make_unique<LanguageModelObjective>(std::move(model), mode, tokens, maskProbability,
                                                    uint64_t(ctx.config.dataSeed), ctx.device);
}

} // namespace ts
