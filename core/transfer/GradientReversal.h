#pragma once

// Includes torch: for core's torch folders only (ui and app never include this header).
#include <torch/torch.h>

namespace ts {

/// The gradient reversal layer of domain-adversarial training (Ganin et al. 2016): the identity
/// going forward; going backward it multiplies the incoming gradient by -lambda, so the
/// feature extractor learns to *increase* the domain classifier's loss while the classifier
/// itself learns to decrease it.
class GradientReversal : public torch::autograd::Function<GradientReversal>
{
public:
    /// x: any shape; lambda >= 0 scales the reversed gradient.
    static torch::Tensor forward(torch::autograd::AutogradContext *ctx, const torch::Tensor &x, double lambda);
    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext *ctx,
                                                 torch::autograd::tensor_list gradOutputs);

    /// Convenience: GradientReversal::apply(x, lambda).
    static torch::Tensor reverse(const torch::Tensor &x, double lambda);

    /// Ganin et al.'s schedule: lambda = 2 / (1 + exp(-gamma p)) - 1 for training progress
    /// p in [0, 1], gamma = 10: starts at 0 (the classifier is random at first) and tends to 1.
    static double scheduledLambda(double progress, double gamma = 10.0);
};

} // namespace ts
