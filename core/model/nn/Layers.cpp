#include "model/nn/Layers.h"

#include "model/nn/DeferredInit.h"

namespace ts::layers {

std::shared_ptr<torch::nn::Module> group(torch::nn::Module &parent, const std::string &name)
{
    return parent.register_module(name, std::make_shared<torch::nn::Module>());
}

torch::nn::Linear linear(torch::nn::Module &parent, const std::string &name, int64_t in, int64_t out, bool bias,
                         double std)
{
    DeferredInit *deferred = DeferredInit::active();
    if (!deferred) {
        torch::nn::Linear module(torch::nn::LinearOptions(in, out).bias(bias));
        torch::NoGradGuard noGrad;
        module->weight.normal_(0.0, std);
        if (bias)
            module->bias.zero_();
        return parent.register_module(name, module);
    }
    // Built 1x1 (LinearImpl always allocates and initialises its weight), then given placeholders
    // of the real shape: the checkpoint's tensors replace them.
    torch::nn::Linear module(torch::nn::LinearOptions(1, 1).bias(bias));
    module->options.in_features(in).out_features(out);
    deferred->defer(module->weight, {out, in}, [out, in, std] { return torch::randn({out, in}) * std; });
    if (bias)
        deferred->defer(module->bias, {out}, [out] { return torch::zeros({out}); });
    return parent.register_module(name, module);
}

torch::nn::LayerNorm layerNorm(torch::nn::Module &parent, const std::string &name, int64_t dim, double eps)
{
    return parent.register_module(name, torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(eps)));
}

torch::nn::Embedding embedding(torch::nn::Module &parent, const std::string &name, int64_t count, int64_t dim,
                               double std)
{
    if (DeferredInit *deferred = DeferredInit::active()) {
        const torch::Tensor weight = deferred->placeholder({count, dim}, [count, dim, std] { return torch::randn({count, dim}) * std; });
        return parent.register_module(name, torch::nn::Embedding(torch::nn::EmbeddingOptions(count, dim)._weight(weight)));
    }
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
    if (DeferredInit *deferred = DeferredInit::active()) {
        const std::vector<int64_t> sizes = shape.vec();
        return deferred->placeholder(shape, [sizes, std] { return torch::randn(sizes) * std; });
    }
    return torch::randn(shape) * std;
}

torch::ScalarType dtypeOf(const torch::nn::Module &module)
{
    for (const torch::Tensor &p : module.parameters()) {
        if (p.is_floating_point())
            return p.scalar_type();
    }
    return torch::kFloat;
}

int trainInFloat32(torch::nn::Module &module)
{
    torch::NoGradGuard noGrad;
    int count = 0;
    for (torch::Tensor &p : module.parameters()) {
        if (!p.requires_grad() || (p.scalar_type() != torch::kBFloat16 && p.scalar_type() != torch::kHalf))
            continue;
        p.set_data(p.to(torch::kFloat));
        ++count;
    }
    return count;
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
