#include "model/nn/Ops.h"

#include "model/nn/DropoutMask.h"

#include <torch/version.h>

#include <cmath>
#include <limits>

namespace ts::ops {

namespace {

/// torch.finfo(dtype).min, the value Hugging Face uses to hide attention keys.
double lowest(torch::ScalarType dtype)
{
    switch (dtype) {
    case torch::kHalf: return std::numeric_limits<c10::Half>::lowest();
    case torch::kBFloat16: return std::numeric_limits<c10::BFloat16>::lowest();
    case torch::kDouble: return std::numeric_limits<double>::lowest();
    default: return std::numeric_limits<float>::lowest();
    }
}

torch::Tensor biasFrom(const torch::Tensor &allowed, torch::ScalarType dtype)
{
    auto options = torch::TensorOptions().dtype(dtype).device(allowed.device());
    return torch::zeros(allowed.sizes(), options).masked_fill(allowed.logical_not(), lowest(dtype));
}

} // namespace

torch::Tensor paddingBias(const torch::Tensor &mask, torch::ScalarType dtype)
{
    // On the CPU a batch without padding (length buckets make them common) skips the bias; on a
    // GPU the check would wait for the device.
    if (mask.is_cpu() && mask.ne(0).all().item<bool>())
        return {};
    return biasFrom(mask.to(torch::kBool).unsqueeze(1).unsqueeze(1), dtype); // (B,1,1,T)
}

torch::Tensor causalBias(const torch::Tensor &mask, torch::ScalarType dtype, int64_t window)
{
    const int64_t T = mask.size(1);
    const auto options = torch::TensorOptions().dtype(torch::kBool).device(mask.device());
    torch::Tensor causal = torch::ones({T, T}, options).tril(); // (T,T)
    if (window > 0)
        causal = causal.triu(1 - window); // keys j > i - window
    const torch::Tensor keys = mask.to(torch::kBool).unsqueeze(1).unsqueeze(1); // (B,1,1,T)
    return biasFrom(causal.unsqueeze(0).unsqueeze(0).logical_and(keys), dtype); // (B,1,T,T)
}

torch::Tensor attention(const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v,
                        const torch::Tensor &bias, double dropout, bool training)
{
    const double p = training ? dropout : 0.0;
    // Under autocast q is bf16/fp16 while the bias was built in fp32: convert it without letting
    // fp32's lowest value stay -inf (rows that hide every key would turn into NaN). (Converted
    // first: a bf16 bias of a frozen layer's dtype cannot hold fp32's lowest to clamp with.)
    const torch::ScalarType type = q.scalar_type();
    torch::Tensor mask;
    if (bias.defined())
        mask = bias.scalar_type() == type ? bias : bias.to(type).clamp_min(lowest(type));
#if TORCH_VERSION_MAJOR >= 2
    return at::scaled_dot_product_attention(q, k, v, mask.defined() ? std::optional<torch::Tensor>(mask) : std::nullopt,
                                            p, false);
#else
    // q is scaled rather than the scores: (B,h,T,d) values instead of (B,h,T,S).
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    torch::Tensor scores = torch::matmul(q * scale, k.transpose(-2, -1)).to(torch::kFloat); // (B,h,T,S)
    // Scores and mask are added in fp32: in bf16 a score plus the lowest value can round to -inf,
    // and a row that hides every key would then turn into NaN.
    if (mask.defined())
        scores = scores + mask.to(torch::kFloat);
    torch::Tensor weights = torch::softmax(scores, -1).to(q.scalar_type());
    weights = ops::dropout(weights, p, training);
    return torch::matmul(weights, v);
#endif
}

torch::Tensor dropout(const torch::Tensor &x, double p, bool training)
{
    if (!training || p <= 0.0)
        return x;
    if (!x.is_cpu() || !x.is_floating_point() || p >= 1.0)
        return torch::dropout(x, p, training);
    return DropoutMask::apply(x, p);
}

torch::Tensor activate(Activation activation, const torch::Tensor &x)
{
    switch (activation) {
    case Activation::Gelu: return torch::gelu(x);
    case Activation::GeluTanh: return torch::gelu(x, "tanh");
    case Activation::Relu: return torch::relu(x);
    case Activation::Silu: return torch::silu(x);
    }
    return x;
}

torch::Tensor splitHeads(const torch::Tensor &x, int64_t heads)
{
    return x.view({x.size(0), x.size(1), heads, -1}).transpose(1, 2);
}

torch::Tensor mergeHeads(const torch::Tensor &x)
{
    return x.transpose(1, 2).contiguous().view({x.size(0), x.size(2), -1});
}

torch::Tensor conv1d(const torch::Tensor &x, const torch::Tensor &weight, const torch::Tensor &bias)
{
    std::vector<int64_t> shape = x.sizes().vec();
    shape.back() = weight.size(1);
    return torch::addmm(bias, x.reshape({-1, x.size(-1)}), weight).view(shape);
}

torch::Tensor rmsNorm(const torch::Tensor &x, const torch::Tensor &weight, double eps)
{
    const torch::Tensor x32 = x.to(torch::kFloat);
    const torch::Tensor normed = x32 * torch::rsqrt(x32.pow(2).mean(-1, true) + eps);
    return weight * normed.to(x.scalar_type());
}

torch::Tensor rotate(const torch::Tensor &x, const torch::Tensor &cos, const torch::Tensor &sin)
{
    const int64_t half = x.size(-1) / 2;
    const torch::Tensor rotated = torch::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
    return x * cos + rotated * sin;
}

torch::Tensor lastTokenIndex(const torch::Tensor &mask)
{
    const int64_t T = mask.size(1);
    const torch::Tensor positions = torch::arange(T, mask.options().dtype(torch::kLong)); // (T)
    return (positions * mask.to(torch::kLong)).argmax(1);                                 // (B)
}

torch::Tensor gatherRows(const torch::Tensor &x, const torch::Tensor &index)
{
    return x.index({torch::arange(x.size(0), index.options()), index});
}

torch::Tensor meanPool(const torch::Tensor &hidden, const torch::Tensor &mask)
{
    const torch::Tensor weights = mask.to(hidden.scalar_type()).unsqueeze(-1); // (B,T,1)
    return (hidden * weights).sum(1) / weights.sum(1).clamp_min(1e-9);
}

} // namespace ts::ops
