#pragma once

#include "transfer/TransferStrategy.h"

namespace ts {

/// `freeze`: the embeddings (optionally) and the lowest `frozen_layers` blocks keep their
/// pretrained weights bit for bit; the rest and the classifier train.
class FreezeStrategy : public TransferStrategy
{
public:
    static constexpr const char *kName = "freeze"; // the registry key runs record
    static constexpr const char *kFrozenLayers = "frozen_layers";
    static constexpr const char *kFreezeEmbeddings = "freeze_embeddings";

    /// Name, help, options and capabilities (StrategyRegistry).
    static const StrategyDescriptor &descriptor();

    Result<PhaseResult> run(TransferContext &ctx) override;

    /// How many blocks to freeze for a `frozen_layers` setting (-1: the lower half).
    static int frozenCount(int setting, int layers);
};

} // namespace ts
