#pragma once
// Includes torch: not for ui/ or the CLI.

#include <torch/torch.h>

namespace ts {

/// GPT-2's Conv1D: a linear layer whose weight is stored (in, out), as Hugging Face keeps it, with
/// parameters "weight" and "bias". Like a Linear it can carry a LinearAdapter (LoRA) as its child
/// LinearAdapter::kChildName; the adapter's update is added to the output.
class Gpt2Conv1D : public torch::nn::Module
{
public:
    /// Weight N(0, std) of shape (in, out), bias zero.
    Gpt2Conv1D(int64_t in, int64_t out, double std);

    /// x W + b, plus the attached adapter's update. x (..., in) -> (..., out).
    torch::Tensor forward(const torch::Tensor &x);

    torch::Tensor weight; // (in, out)
    torch::Tensor bias;   // (out)
};

} // namespace ts
