#include "model/nn/Gpt2Conv1D.h"

#include "model/nn/Layers.h"
#include "model/nn/Ops.h"

namespace ts {

Gpt2Conv1D::Gpt2Conv1D(int64_t in, int64_t out, double std)
{
    weight = register_parameter("weight", layers::normal({in, out}, std));
    bias = register_parameter("bias", torch::zeros({out}));
}

torch::Tensor Gpt2Conv1D::forward(const torch::Tensor &x)
{
    torch::Tensor out = ops::conv1d(x, weight, bias);
    if (children().empty())
        return out;
    if (const auto adapter = layers::adapterOf(*this))
        out = out + adapter->delta(x);
    return out;
}

} // namespace ts
