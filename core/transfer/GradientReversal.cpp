#include "transfer/GradientReversal.h"

#include <cmath>

namespace ts {

torch::Tensor GradientReversal::forward(torch::autograd::AutogradContext *ctx, const torch::Tensor &x, double lambda)
{
    ctx->saved_data["lambda"] = lambda;
    return x.view_as(x);
}

torch::autograd::tensor_list GradientReversal::backward(torch::autograd::AutogradContext *ctx,
                                                        torch::autograd::tensor_list gradOutputs)
{
    const double lambda = ctx->saved_data["lambda"].toDouble();
    // One gradient per forward input: x gets the reversed gradient, lambda (a double) none.
    return {gradOutputs[0].neg().mul(lambda), torch::Tensor()};
}

torch::Tensor GradientReversal::reverse(const torch::Tensor &x, double lambda)
{
    return apply(x, lambda);
}

double GradientReversal::scheduledLambda(double progress, double gamma)
{
    return 2.0 / (1.0 + std::exp(-gamma * progress)) - 1.0;
}

} // namespace ts
