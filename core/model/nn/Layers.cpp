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

} // namespace ts::layers
