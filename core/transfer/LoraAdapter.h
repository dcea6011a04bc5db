#pragma once

// Includes torch: for core's torch folders only (ui and app never include this header).
#include "model/nn/LinearAdapter.h"

#include <torch/torch.h>

namespace ts {

/// Settings of a low-rank adapter (Hu et al. 2021, LoRA).
struct LoraOptions
{
    int rank = 8;          // r: rank of the update B A
    double alpha = 16.0;   // the update is scaled by alpha / r
    double dropout = 0.05; // dropout on the adapter's input during training
};

/// A low-rank update to a frozen linear layer W (out x in): delta(x) = (alpha/r) B A dropout(x),
/// with A (r x in) Kaiming-uniform and B (out x r) zero, so that training starts from the
/// pretrained function exactly. Only A and B train.
class LoraAdapterImpl : public LinearAdapter
{
public:
    LoraAdapterImpl(int64_t inFeatures, int64_t outFeatures, const LoraOptions &options);

    /// x: (..., in) -> (..., out), the update to add to the frozen layer's output.
    torch::Tensor forward(const torch::Tensor &x) { return delta(x); }
    torch::Tensor delta(const torch::Tensor &x) override;
    /// (alpha/r) B A: (out x in), what merging adds to the frozen weight.
    torch::Tensor deltaWeight() const override;
    double scale() const { return m_scale; }

    torch::Tensor A; // (r, in)
    torch::Tensor B; // (out, r)

private:
    double m_scale;
    torch::nn::Dropout m_dropout{nullptr};
};
TORCH_MODULE(LoraAdapter);

} // namespace ts
