#include "transfer/LoraAdapter.h"

#include "model/nn/Ops.h"

#include <cmath>

namespace ts {

LoraAdapterImpl::LoraAdapterImpl(int64_t inFeatures, int64_t outFeatures, const LoraOptions &options)
    : m_scale(options.alpha / double(options.rank))
{
    A = register_parameter("lora_A", torch::empty({options.rank, inFeatures}));
    B = register_parameter("lora_B", torch::zeros({outFeatures, options.rank}));
    // PEFT's initialisation: kaiming_uniform_(A, a=sqrt(5)), B = 0.
    torch::nn::init::kaiming_uniform_(A, std::sqrt(5.0));
    m_dropout = register_module("dropout", torch::nn::Dropout(options.dropout));
}

torch::Tensor LoraAdapterImpl::delta(const torch::Tensor &x)
{
    // (..., in) x (in, r) x (r, out) -> (..., out), in the adapter's dtype (fp32 beside bf16 weights).
    const torch::Tensor input = x.scalar_type() == A.scalar_type() ? x : x.to(A.scalar_type());
    return torch::matmul(torch::matmul(ops::dropout(input, m_dropout->options.p(), is_training()), A.t()), B.t()) * m_scale;
}

torch::Tensor LoraAdapterImpl::deltaWeight() const
{
    return torch::matmul(B, A) * m_scale;
}

} // namespace ts
