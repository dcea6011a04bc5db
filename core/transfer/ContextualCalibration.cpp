#include "transfer/ContextualCalibration.h"

namespace ts {

torch::Tensor ContextualCalibration::apply(const torch::Tensor &probabilities, const torch::Tensor &contentFree)
{
    const torch::Tensor divided = probabilities / contentFree.unsqueeze(0); // (N, C)
    return divided / divided.sum(1, true);
}

} // namespace ts
