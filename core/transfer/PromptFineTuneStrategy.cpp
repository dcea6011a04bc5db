#include "transfer/PromptFineTuneStrategy.h"

#include "transfer/PromptObjective.h"
#include "transfer/PromptSetup.h"

#include <QObject>

namespace ts {

Result<PhaseResult> PromptFineTuneStrategy::run(TransferContext &ctx)
{
    using R = Result<PhaseResult>;
    const bool decoder = ctx.languageModelTask() == ModelTask::CausalLm;
    auto model = ctx.loadModel(decoder ? ModelTask::CausalLm : ModelTask::MaskedLm);
    if (!model)
        return R::failure(model.error());
    const auto encoder = PromptSetup::prepare(ctx, descriptor(), decoder);
    if (!encoder)
        return R::failure(encoder.error());
    if (const Status s = PromptSetup::encodeSplits(ctx, encoder.value(), true); !s)
        return R::failure(s.error());
    const int64_t padId = ctx.tokenizer.padId();
    PromptObjective objective(model.value(),
                              LabelWordScorer(encoder->wordIds(), encoder->maskId(), encoder->settings().wordScore, padId),
                              int(ctx.classes.size()), padId, ctx.device);
    return ctx.fineTune(model.value(), objective, ctx.parameterGroups(*model.value()), 0);
}

const StrategyDescriptor &PromptFineTuneStrategy::descriptor()
{
    static const StrategyDescriptor d = [] {
        StrategyDescriptor d;
        d.name = QString::fromLatin1(kName);
        d.title = QObject::tr("Prompt-based fine-tuning (LM-BFF)");
        d.description = QObject::tr("Fine-tunes the model through a prompt: its language-model head scores one label "
                                    "word per label (a decoder after the prompt, an encoder at the prompt's mask) and "
                                    "learns to prefer the right one. No new classifier is trained, so it learns from "
                                    "few labels. Needs a decoder or an encoder with a masked-LM head.");
        d.options = PromptSettings::options(false);
        d.usesPrompt = true;
        d.promptScoring = StrategyDescriptor::PromptScoring::Always;
        d.output = StrategyDescriptor::Output::LanguageModel;
        d.phases = {QStringLiteral("fine-tuning")};
        d.create = [] { return std::unique_ptr<TransferStrategy>(new PromptFineTuneStrategy); };
        return d;
    }();
    return d;
}

} // namespace ts
