#pragma once
// Includes torch: not for ui/ or the CLI.

#include <torch/torch.h>

namespace ts {

/// Dropout of CPU tensors, several times cheaper than libtorch's. libtorch 1.13 draws every
/// element of a dropout mask with its own 64-bit Mersenne Twister number turned into a double
/// (13% of a plain PyTorch BERT training step on the CPU, bench_training_torch.py, one thread), then
/// divides the mask and multiplies: three passes over float tensors. Here one 64-bit draw of the
/// default CPU generator seeds xoshiro256** streams, each of whose 64-bit outputs decides four
/// elements (16 bits each), and one pass writes the output and a one-byte mask that the backward
/// pass reads. The generator's state is what checkpoints save, so a resumed run draws the same
/// masks; masks do not depend on the thread count either (streams cover fixed chunks).
class DropoutMask
{
public:
    /// Elements per stream (and per parallel task).
    static constexpr int64_t kChunk = 1 << 16;

    /// x (a CPU floating-point tensor) with each element zeroed with probability p (rounded to a
    /// multiple of 2^-16) and the others scaled by 1 / (1 - p); differentiable in x. 0 <= p < 1.
    static torch::Tensor apply(const torch::Tensor &x, double p);
};

} // namespace ts
