#pragma once
// Includes torch: not for ui/ or the CLI.

#include <torch/torch.h>

namespace ts {

/// A trainable update attached to a frozen Linear layer as its child module named
/// kChildName (LoRA): the layer's output becomes linear(x) + delta(x). The architectures apply
/// it through layers::project, so any strategy can adapt any of their linear layers by name.
class LinearAdapter : public torch::nn::Module
{
public:
    /// The child-module name under which an adapter is attached to a Linear.
    static constexpr const char *kChildName = "lora";

    /// The update to add to the layer's output: x (..., in) -> (..., out).
    virtual torch::Tensor delta(const torch::Tensor &x) = 0;
    /// The same update as a weight (out, in), for merging into the layer.
    virtual torch::Tensor deltaWeight() const = 0;
};

} // namespace ts
