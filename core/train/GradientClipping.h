#pragma once
// Includes torch: for core's torch folders only.

#include <torch/types.h>

#include <vector>

namespace ts {

/// Scales the gradients of `parameters` so that their global L2 norm is at most `maxNorm`, like
/// torch::nn::utils::clip_grad_norm_, and returns the norm before scaling (0-d, on the gradients'
/// device). On CUDA with libtorch 2.x the norms and the scaling are
/// multi-tensor kernels and nothing waits for the device (clip_grad_norm_ launches two kernels per
/// parameter and reads the norm back to the host).
class GradientClipping
{
public:
    static torch::Tensor clip(const std::vector<torch::Tensor> &parameters, double maxNorm);
};

} // namespace ts
