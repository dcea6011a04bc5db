#pragma once
// Includes torch: for core's torch folders only.

#include <torch/optim/adamw.h>

namespace ts {

/// AdamW's update of every parameter in one multi-tensor CUDA kernel per parameter group
/// (at::_fused_adamw_, libtorch 2.x) instead of torch::optim::AdamW's ten or so kernels per
/// parameter, which leave the GPU waiting on kernel launches for BERT-sized models. The update is
/// torch::optim::AdamW's (decoupled weight decay, bias correction) and it reads and writes that
/// optimiser's own per-parameter state, so checkpoints and a later plain step() carry on from it.
class FusedAdamW
{
public:
    /// One update of `optimizer`'s parameters that have a gradient. Returns false, changing
    /// nothing, where the fused kernel does not apply: libtorch 1.x, a parameter that is not a
    /// float32 CUDA tensor, amsgrad, or TS_ADAMW=plain in the environment (benchmarks compare both).
    static bool step(torch::optim::AdamW &optimizer);
};

} // namespace ts
