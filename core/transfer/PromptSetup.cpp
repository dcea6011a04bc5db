#include "transfer/PromptSetup.h"

#include "transfer/StrategyDescriptor.h"

namespace ts {

Result<PromptEncoder> PromptSetup::prepare(TransferContext &ctx, const StrategyDescriptor &descriptor, bool decoder)
{
    using R = Result<PromptEncoder>;
    const auto settings = PromptSettings::read(descriptor, ctx.config, ctx.classes, decoder);
    if (!settings)
        return R::failure(settings.error());
    Demonstrations demonstrations;
    if (settings->demonstrationsPerClass > 0) {
        // ctx.train: the source's labelled texts (domain 0), then the target's few (domain 1).
        TrainingTexts texts;
        for (int i = 0; i < ctx.train.size() && ctx.train.texts.size() == ctx.train.size(); ++i)
            (ctx.train.domains[i] == 1 ? texts.target : texts.source).append({ctx.train.texts[i], ctx.train.labels[i], 0});
        demonstrations = Demonstrations::forRun(texts, settings->demonstrationsPerClass, int(ctx.classes.size()),
                                                ctx.config.dataSeed);
        ctx.log(QStringLiteral("in-context: %1 demonstrations per class from %2")
                    .arg(settings->demonstrationsPerClass)
                    .arg(!texts.target.isEmpty()
                             ? QStringLiteral("the target's few labels (%1 texts)").arg(texts.target.size())
                             : QStringLiteral("the source's labels (the target has no few-shot labels)")));
    }
    auto encoder = PromptEncoder::create(ctx.tokenizer, settings.value(), std::move(demonstrations), decoder,
                                         ctx.config.maxLength);
    if (!encoder)
        return R::failure(encoder.error());
    ctx.log(QStringLiteral("prompt (%1), label words: %2")
                .arg(decoder ? QStringLiteral("decoder: the label word continues it")
                             : QStringLiteral("masked LM: the label word at the mask"),
                     settings->words.join(QStringLiteral(" | "))));
    // The first text of the target's result, as the experiment dialog previews it.
    const TokenizedSet &target = ctx.targetTest.isEmpty() ? ctx.targetWholeValidation : ctx.targetTest;
    if (!target.texts.isEmpty())
        ctx.log(QStringLiteral("prompt of the first %1 text:\n%2").arg(target.name, encoder->promptText(target.texts.first())));
    return encoder;
}

Status PromptSetup::encodeSplits(TransferContext &ctx, const PromptEncoder &encoder, bool withTrain)
{
    QList<TokenizedSet *> sets{&ctx.sourceValidation, &ctx.targetValidation, &ctx.sourceTest,
                               &ctx.targetTest, &ctx.sourceWholeValidation, &ctx.targetWholeValidation};
    if (withTrain)
        sets.prepend(&ctx.train);
    for (TokenizedSet *set : sets) {
        if (set->isEmpty())
            continue;
        auto prompts = encoder.encodeSet(*set);
        if (!prompts)
            return Status::failure(prompts.error());
        *set = std::move(prompts.value());
    }
    return {};
}

} // namespace ts
