#pragma once

// Includes torch: for core's torch folders only.
#include <torch/torch.h>

namespace ts {

/// Contextual calibration (Zhao et al. 2021, "Calibrate before use"): a prompt biases the model
/// toward some labels; measuring the label probabilities p_cf for a content-free input ("N/A")
/// and dividing every prediction's probabilities by them (W = diag(p_cf)^-1, b = 0) removes that
/// bias. The quotients are renormalised to sum to 1.
class ContextualCalibration
{
public:
    /// Calibrated probabilities (N, C): probabilities (N, C) / contentFree (C), each row
    /// renormalised. Both float32 on the same device.
    static torch::Tensor apply(const torch::Tensor &probabilities, const torch::Tensor &contentFree);
};

} // namespace ts
