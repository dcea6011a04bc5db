#include "model/nn/Layers.h"

namespace ts::layers {

std::shared_ptr<torch::nn::Module> group(torch::nn::Module &parent, const std::string &name)
{
    return parent.register_module(name, std::make_shared<torch::nn::Module>());
}

torch::nn::Linear linear(torch::nn::Module &parent, const std::string &name, int64_t in, int64_t out, bool bias,
                         double std)
{
    torch::nn::Linear module(torch::nn::LinearOptions(in, out).bias(bias));
    torch::NoGradGuard noGrad;
    module->weight.normal_(0.0, std);
    if (bias)
        module->bias.zero_();
    return parent.register_module(name, module);
}

torch::nn::LayerNorm layerNorm(torch::nn::Module &parent, const std::string &name, int64_t dim, double eps)
{
    return parent.register_module(name, torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(eps)));
}

torch::nn::Embedding embedding(torch::nn::Module &parent, const std::string &name, int64_t count, int64_t dim,
                               double std)
{
    torch::nn::Embedding module(torch::nn::EmbeddingOptions(count, dim));
    torch::NoGradGuard noGrad;
    module->weight.normal_(0.0, std);
    return parent.register_module(name, module);
}

torch::Tensor parameter(torch::nn::Module &parent, const std::string &name, const torch::Tensor &value)
{
    return parent.register_parameter(name, value);
}

torch::Tensor normal(torch::IntArrayRef shape, double std)
{
    return torch::randn(shape) * std;
}

std::shared_ptr<LinearAdapter> adapterOf(const torch::nn::Module &layer)
{
    // named_children() is not const in libtorch 1.13; it only reads.
    for (const auto &child : const_cast<torch::nn::Module &>(layer).named_children()) {
        if (child.key() == LinearAdapter::kChildName)
            return std::dynamic_pointer_cast<LinearAdapter>(child.value());
    }
    return nullptr;
}

torch::Tensor project(torch::nn::Linear &linear, const torch::Tensor &x)
{
    // ATen's linear, not LinearImpl::forward: for 3-D input the latter multiplies, then adds the
    // bias in a second pass; ATen's folds the bias into the matrix product (addmm).
    // Frozen weights kept in their stored 16-bit dtype compute in it (as autocast would): the input
    // is converted, never the weight, so no fp32 copy of a weight is made or kept for backward.
    const torch::ScalarType type = linear->weight.scalar_type();
    const torch::Tensor input = x.scalar_type() == type || !x.is_floating_point() ? x : x.to(type);
    torch::Tensor out = torch::linear(input, linear->weight, linear->bias);
    if (linear->children().empty())
        return out;
    if (const auto adapter = adapterOf(*linear))
        out = out + adapter->delta(x).to(out.scalar_type());
    return out;
}

} // namespace ts::layers
