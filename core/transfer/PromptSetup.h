#pragma once

// Includes torch: for core's torch folders only.
#include "transfer/PromptEncoder.h"
#include "transfer/TransferContext.h"

namespace ts {

struct StrategyDescriptor;

/// What the prompt strategies share when a run starts: reading the prompt options, drawing the
/// in-context demonstrations, and turning the run's tokenized splits into prompts.
class PromptSetup
{
public:
    /// The run's prompt encoder for a decoder or a masked-LM encoder: PromptSettings from the
    /// config, demonstrations drawn with the data seed (Demonstrations::forRun) from the target's
    /// few labels in ctx.train, or the source's when there are none (the log says which). Logs
    /// the prompt the first text of the run's result gets.
    static Result<PromptEncoder> prepare(TransferContext &ctx, const StrategyDescriptor &descriptor, bool decoder);

    /// Replaces every non-empty split of `ctx` (ctx.train too when `withTrain`) by its prompts.
    static Status encodeSplits(TransferContext &ctx, const PromptEncoder &encoder, bool withTrain);
};

} // namespace ts
