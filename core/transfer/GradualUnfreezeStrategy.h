#pragma once

#include "transfer/TransferStrategy.h"

namespace ts {

/// `gradual-unfreeze` (ULMFiT, Howard & Ruder 2018): the classifier trains first; every
/// `unfreeze_every` epochs one more block from the top joins, down to the embeddings. Each
/// block's learning rate is the one above divided by `layer_decay` (discriminative rates).
class GradualUnfreezeStrategy : public TransferStrategy
{
public:
    static constexpr const char *kName = "gradual-unfreeze"; // the registry key runs record
    static constexpr const char *kUnfreezeEvery = "unfreeze_every";
    static constexpr const char *kLayerDecay = "layer_decay";

    /// Name, help, options and capabilities (StrategyRegistry).
    static const StrategyDescriptor &descriptor();

    Result<PhaseResult> run(TransferContext &ctx) override;

    /// Blocks (counted from the top, embeddings last) trainable in `epoch`.
    static int unfrozenAt(int epoch, double unfreezeEvery, int blocks);
};

} // namespace ts
