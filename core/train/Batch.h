#pragma once

// Includes torch: for core's torch folders only.
#include "train/TokenizedSet.h"

#include <torch/torch.h>

namespace ts {

/// A padded batch on a device.
struct Batch
{
    torch::Tensor ids;     // (B,T) int64, right-padded with the pad id
    torch::Tensor mask;    // (B,T) int64, 1 for real tokens
    torch::Tensor labels;  // (B) int64, -1 for none
    torch::Tensor domains; // (B) int64, 0 source / 1 target

    int64_t size() const { return ids.size(0); }

    /// Gathers `indices` of `set`, pads them to the longest, moves them to `device`.
    static Batch gather(const TokenizedSet &set, const QList<int> &indices, int64_t padId, const torch::Device &device);
};

} // namespace ts
