#include "model/nn/LlamaModel.h"

#include "model/nn/Layers.h"
#include "model/nn/Ops.h"

namespace ts {

LlamaModel::LlamaModel(const ModelConfig &config) : TransformerBackbone(config)
{
    m_words = layers::embedding(*this, "embed_tokens", config.vocabSize, config.hiddenSize, config.initializerRange);
    auto list = layers::group(*this, "layers");
    for (int i = 0; i < config.numLayers; ++i)
        m_layers.push_back(buildLayer(*list, i));
    m_finalNorm = rmsNormWeight(*this, "norm");
}

torch::Tensor LlamaModel::rmsNormWeight(torch::nn::Module &parent, const std::string &name)
{
    return layers::parameter(*layers::group(parent, name), "weight", torch::ones({config().hiddenSize}));
}

LlamaModel::Layer LlamaModel::buildLayer(torch::nn::Module &parent, int index)
{
    const ModelConfig &c = config();
    const int64_t H = c.hiddenSize, I = c.intermediateSize, kv = c.numKvHeads * c.headDim();
    const double std = c.initializerRange;
    Layer layer;
    layer.root = layers::group(parent, std::to_string(index));
    layer.inputNorm = rmsNormWeight(*layer.root, "input_layernorm");
    auto attention = layers::group(*layer.root, "self_attn");
    layer.q = layers::linear(*attention, "q_proj", H, H, c.attentionQkvBias, std);
    layer.k = layers::linear(*attention, "k_proj", H, kv, c.attentionQkvBias, std);
    layer.v = layers::linear(*attention, "v_proj", H, kv, c.attentionQkvBias, std);
    layer.o = layers::linear(*attention, "o_proj", H, H, c.attentionOutBias, std);
    layer.postAttentionNorm = rmsNormWeight(*layer.root, "post_attention_layernorm");
    auto mlp = layers::group(*layer.root, "mlp");
    layer.gate = layers::linear(*mlp, "gate_proj", H, I, false, std);
    layer.up = layers::linear(*mlp, "up_proj", H, I, false, std);
    layer.down = layers::linear(*mlp, "down_proj", I, H, false, std);
    return layer;
}

std::vector<std::shared_ptr<torch::nn::Module>> LlamaModel::layers() const
{
    std::vector<std::shared_ptr<torch::nn::Module>> result;
    for (const Layer &layer : m_layers)
        result.push_back(layer.root);
    return result;
}

torch::Tensor LlamaModel::runLayer(Layer &layer, const torch::Tensor &x, const torch::Tensor &bias,
                                   const torch::Tensor &cos, const torch::Tensor &sin)
{
    const ModelConfig &c = config();
    const int64_t repeats = c.numHeads / c.numKvHeads; // query heads per key/value head
    const torch::Tensor normed = ops::rmsNorm(x, layer.inputNorm, c.layerNormEps);
    const torch::Tensor q = ops::rotate(ops::splitHeads(layers::project(layer.q, normed), c.numHeads), cos, sin); // (B,h,T,d)
    const torch::Tensor k = ops::rotate(ops::splitHeads(layers::project(layer.k, normed), c.numKvHeads), cos, sin); // (B,kv,T,d)
    const torch::Tensor v = ops::splitHeads(layers::project(layer.v, normed), c.numKvHeads);
    const torch::Tensor context = ops::attention(q, k.repeat_interleave(repeats, 1), v.repeat_interleave(repeats, 1),
                                                 bias, c.attentionDropout, is_training());
    const torch::Tensor a = x + layers::project(layer.o, ops::mergeHeads(context)); // (B,T,H)
    const torch::Tensor n = ops::rmsNorm(a, layer.postAttentionNorm, c.layerNormEps);
    return a + layers::project(layer.down, ops::activate(c.activation, layers::project(layer.gate, n)) * layers::project(layer.up, n));
}

BackboneOutput LlamaModel::forward(const torch::Tensor &ids, const torch::Tensor &mask, bool allHiddenStates)
{
    const ModelConfig &c = config();
    BackboneOutput result;
    torch::Tensor x = m_words(ids); // (B,T,H)
    const torch::Tensor bias = ops::causalBias(mask, x.scalar_type()); // (B,1,T,T)
    // Rotary tables as HF computes them, in fp32: inv_freq = 1 / theta^(2i/d), angle = position * inv_freq.
    const int64_t d = c.headDim();
    const auto fp32 = torch::TensorOptions().dtype(torch::kFloat).device(x.device());
    const torch::Tensor exponents = torch::arange(0, d, 2, fp32.dtype(torch::kLong)).to(torch::kFloat) / double(d);
    const torch::Tensor inverse = 1.0 / torch::pow(c.ropeTheta, exponents);               // (d/2)
    const torch::Tensor angles = torch::outer(torch::arange(ids.size(1), fp32), inverse); // (T,d/2)
    const torch::Tensor table = torch::cat({angles, angles}, -1);                          // (T,d)
    const torch::Tensor cos = table.cos().to(x.scalar_type()), sin = table.sin().to(x.scalar_type());
    for (Layer &layer : m_layers) {
        if (allHiddenStates)
            result.hiddenStates.push_back(x);
        x = runLayer(layer, x, bias, cos, sin);
    }
    result.hidden = ops::rmsNorm(x, m_finalNorm, c.layerNormEps);
    if (allHiddenStates)
        result.hiddenStates.push_back(result.hidden);
    return result;
}

} // namespace ts
