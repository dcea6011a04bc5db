#pragma once
// Includes torch: not for ui/ or the CLI.

#include <torch/torch.h>

#include <functional>

namespace ts {

/// Activation checkpointing of one transformer layer (Chen et al. 2016; PyTorch's reentrant
/// torch.utils.checkpoint): the forward pass keeps only the layer's input, and backward runs the
/// layer again with autograd on, then back-propagates through that recomputation, which accumulates
/// the gradients of the layer's parameters (adapters included) into their .grad as usual. The random
/// generators (CPU, and the input's CUDA device) and the bf16 autocast state of the forward pass are
/// restored for the recomputation, so dropout masks repeat and gradients equal those without
/// checkpointing. Only for training with loss.backward(): torch::autograd::grad() does not see the
/// parameters' gradients.
class LayerCheckpoint
{
public:
    /// A layer: hidden states (B,T,H) -> hidden states (B,T,H). Must stay callable until backward.
    using Layer = std::function<torch::Tensor(const torch::Tensor &)>;

    /// layer(x), keeping only x for backward. Without grad mode it just calls layer(x).
    static torch::Tensor apply(Layer layer, const torch::Tensor &x);
};

} // namespace ts
