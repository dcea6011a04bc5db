#pragma once
// Includes torch: for core's torch folders only.

#include <torch/optim/adamw.h>

namespace ts {

/// AdamW's update without torch::optim::AdamW's ten or so kernels per parameter:
/// - on CUDA (libtorch 2.x), one multi-tensor kernel per parameter group (at::_fused_adamw_); the
///   plain optimiser leaves the GPU waiting on kernel launches for BERT-sized models;
/// - on the CPU, one pass over each parameter's four tensors (value, gradient, both moments)
///   instead of about ten, each of which streams whole tensors through memory: 25 ms a step
///   for a 5-million-parameter model (bench_training_torch.py, one thread) comes down to a few.
/// The update is torch::optim::AdamW's (decoupled weight decay, bias correction) and it reads and
/// writes that optimiser's own per-parameter state, so checkpoints and a later plain step() carry
/// on from it.
class FusedAdamW
{
public:
    /// One update of `optimizer`'s parameters that have a gradient. Returns false, changing
    /// nothing, where neither path applies: parameters that are not all float32 CUDA tensors
    /// (libtorch 2.x) or all contiguous float32 CPU tensors, amsgrad, or TS_ADAMW=plain in the
    /// environment (benchmarks compare both).
    static bool step(torch::optim::AdamW &optimizer);
};

} // namespace ts
