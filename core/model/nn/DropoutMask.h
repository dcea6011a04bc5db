#pragma once
// Includes torch: not for ui/ or the CLI.

#include <torch/torch.h>

namespace ts {

/// Dropout masks for CPU tensors, about 8 times cheaper than libtorch's. libtorch 1.13 draws every
/// element of a dropout mask with a 64-bit Mersenne Twister number turned into a double: 21% of a
/// plain PyTorch training step on the CPU (bench_training_torch.py, one thread). Here one 64-bit
/// draw of the default CPU generator seeds xoshiro256** streams, each of whose 64-bit outputs
/// decides four elements (16 bits each). The generator's state is what checkpoints save, so a
/// resumed run draws the same masks; masks do not depend on the thread count either (streams
/// cover fixed chunks of elements).
class DropoutMask
{
public:
    /// Elements per stream (and per parallel task).
    static constexpr int64_t kChunk = 1 << 16;

    /// A tensor of `sizes` (dtype and device of `options`, which must be a CPU float type) whose
    /// elements are 0 with probability p (rounded to a multiple of 2^-16) and 1 / (1 - p) otherwise,
    /// so that x * mask keeps x's expectation. 0 <= p < 1.
    static torch::Tensor draw(torch::IntArrayRef sizes, double p, const torch::TensorOptions &options);
};

} // namespace ts
