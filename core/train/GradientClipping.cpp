#include "train/GradientClipping.h"

#include <torch/torch.h>
#include <torch/version.h>

namespace ts {

torch::Tensor GradientClipping::clip(const std::vector<torch::Tensor> &parameters, double maxNorm)
{
#if TORCH_VERSION_MAJOR >= 2
    std::vector<torch::Tensor> grads;
    for (const torch::Tensor &p : parameters) {
        if (p.grad().defined())
            grads.push_back(p.grad());
    }
    if (!grads.empty() && grads.front().is_cuda()) {
        torch::NoGradGuard noGrad;
        const std::vector<torch::Tensor> norms = at::_foreach_norm(grads, 2); // one 0-d tensor each
        const torch::Tensor total = torch::stack(norms).norm(2);
        const torch::Tensor scale = torch::clamp(maxNorm / (total + 1e-6), std::nullopt, 1.0);
        at::_foreach_mul_(grads, scale);
        return total;
    }
#endif
    return torch::scalar_tensor(torch::nn::utils::clip_grad_norm_(parameters, maxNorm), torch::kFloat64);
}

} // namespace ts
