#include "transfer/FineTuneStrategy.h"

#include "train/ClassificationObjective.h"

namespace ts {

Result<PhaseResult> FineTuneStrategy::run(TransferContext &ctx)
{
    auto model = ctx.loadModel(ModelTask::SequenceClassification);
    if (!model)
        return Result<PhaseResult>::failure(model.error());
    ClassificationObjective objective(model.value(), int(ctx.classes.size()), ctx.tokenizer.padId(), ctx.device);
    return ctx.fineTune(model.value(), objective, ctx.parameterGroups(*model.value()), 0);
}

} // namespace ts
