#include "model/nn/LlamaModel.h"

#include "model/nn/Layers.h"
#include "model/nn/Ops.h"
#include "model/nn/RotaryEmbedding.h"

namespace ts {

LlamaModel::LlamaModel(const ModelConfig &config) : CausalBackbone(config)
{
    m_words = layers::embedding(*this, "embed_tokens", config.vocabSize, config.hiddenSize, config.initializerRange);
    auto list = layers::group(*this, "layers");
    for (int i = 0; i < config.numLayers; ++i)
        m_layers.push_back(buildLayer(*list, i));
    m_finalNorm = rmsNormWeight(*this, "norm", config.hiddenSize);
}

torch::Tensor LlamaModel::rmsNormWeight(torch::nn::Module &parent, const std::string &name, int64_t size)
{
    return layers::parameter(*layers::group(parent, name), "weight", torch::ones({size}));
}

LlamaModel::Layer LlamaModel::buildLayer(torch::nn::Module &parent, int index)
{
    const ModelConfig &c = config();
    const int64_t H = c.hiddenSize, I = c.intermediateSize, d = c.headDim();
    const int64_t q = c.numHeads * d, kv = c.numKvHeads * d;
    const double std = c.initializerRange;
    Layer layer;
    layer.root = layers::group(parent, std::to_string(index));
    layer.window = c.windowOf(index);
    layer.inputNorm = rmsNormWeight(*layer.root, "input_layernorm", H);
    auto attention = layers::group(*layer.root, "self_attn");
    layer.q = layers::linear(*attention, "q_proj", H, q, c.attentionQkvBias, std);
    layer.k = layers::linear(*attention, "k_proj", H, kv, c.attentionQkvBias, std);
    layer.v = layers::linear(*attention, "v_proj", H, kv, c.attentionQkvBias, std);
    layer.o = layers::linear(*attention, "o_proj", q, H, c.attentionOutBias, std);
    if (c.qkNorm) {
        layer.qNorm = rmsNormWeight(*attention, "q_norm", d);
        layer.kNorm = rmsNormWeight(*attention, "k_norm", d);
    }
    layer.postAttentionNorm = rmsNormWeight(*layer.root, "post_attention_layernorm", H);
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

torch::Tensor LlamaModel::runLayer(size_t index, const torch::Tensor &x, const torch::Tensor &bias,
                                   const torch::Tensor &cos, const torch::Tensor &sin, KvCache *cache)
{
    const ModelConfig &c = config();
    Layer &layer = m_layers[index];
    const int64_t repeats = c.numHeads / c.numKvHeads; // query heads per key/value head
    const torch::Tensor normed = ops::rmsNorm(x, layer.inputNorm, c.layerNormEps);
    const torch::Tensor q = rotatedHeads(layer.q, layer.qNorm, normed, c.numHeads, cos, sin);   // (B,h,T,d)
    torch::Tensor k = rotatedHeads(layer.k, layer.kNorm, normed, c.numKvHeads, cos, sin); // (B,kv,T,d)
    torch::Tensor v = ops::splitHeads(layers::project(layer.v, normed), c.numKvHeads);
    if (cache)
        std::tie(k, v) = cache->append(index, k, v, layer.window); // (B,kv,S,d)
    const torch::Tensor context = ops::attention(q, k.repeat_interleave(repeats, 1), v.repeat_interleave(repeats, 1),
                                                 bias, c.attentionDropout, is_training());
    const torch::Tensor a = x + layers::project(layer.o, ops::mergeHeads(context)); // (B,T,H)
    const torch::Tensor n = ops::rmsNorm(a, layer.postAttentionNorm, c.layerNormEps);
    return a + layers::project(layer.down, ops::activate(c.activation, layers::project(layer.gate, n)) * layers::project(layer.up, n));
}

torch::Tensor LlamaModel::rotatedHeads(torch::nn::Linear &projection, const torch::Tensor &norm, const torch::Tensor &x,
                                       int64_t heads, const torch::Tensor &cos, const torch::Tensor &sin)
{
    torch::Tensor split = ops::splitHeads(layers::project(projection, x), heads); // (B,heads,T,d)
    if (norm.defined())
        split = ops::rmsNorm(split, norm, config().layerNormEps);
    return ops::rotate(split, cos, sin);
}

BackboneOutput LlamaModel::forward(const torch::Tensor &ids, const torch::Tensor &mask, bool allHiddenStates)
{
    const torch::Tensor x = m_words(ids); // (B,T,H)
    std::map<int64_t, torch::Tensor> biases; // (B,1,T,T) per sliding window (0: causal only)
    for (const Layer &layer : m_layers) {
        if (!biases.count(layer.window))
            biases[layer.window] = ops::causalBias(mask, x.scalar_type(), layer.window);
    }
    // fp32 tables; run() gives each layer them in its dtype.
    const auto [cos, sin] = RotaryEmbedding::tables(config(), ids.size(1), torch::kFloat, x.device()); // (T,d)
    return run(x, biases, cos, sin, nullptr, allHiddenStates);
}

BackboneOutput LlamaModel::forwardCached(const torch::Tensor &ids, KvCache &cache)
{
    const torch::Tensor x = m_words(ids); // (B,T,H)
    const int64_t past = cache.length(), T = ids.size(1);
    std::map<int64_t, torch::Tensor> biases; // (1,1,T,S) per sliding window, or undefined
    for (const Layer &layer : m_layers) {
        if (!biases.count(layer.window))
            biases[layer.window] = cache.causalBias(T, layer.window, x.device());
    }
    // The tables for the whole length (dynamic scaling depends on it), at the new tokens' positions.
    const auto [cos, sin] = RotaryEmbedding::tables(config(), past + T, torch::kFloat, x.device()); // (S,d)
    return run(x, biases, cos.narrow(0, past, T), sin.narrow(0, past, T), &cache, false);
}

BackboneOutput LlamaModel::run(torch::Tensor x, const std::map<int64_t, torch::Tensor> &biases,
                               const torch::Tensor &cosines, const torch::Tensor &sines, KvCache *cache,
                               bool allHiddenStates)
{
    BackboneOutput result;
    for (size_t i = 0; i < m_layers.size(); ++i) {
        if (allHiddenStates)
            result.hiddenStates.push_back(x);
        const torch::Tensor bias = biases.at(m_layers[i].window);
        // A frozen layer kept in its stored 16-bit dtype computes in it (its rotary tables too), a
        // trained one in fp32.
        const torch::ScalarType type = layers::dtypeOf(*m_layers[i].root);
        x = x.to(type);
        const torch::Tensor cos = cosines.to(type), sin = sines.to(type);
        if (cache) {
            x = runLayer(i, x, bias, cos, sin, cache);
        } else {
            x = applyLayer([this, i, bias, cos = cos, sin = sin](const torch::Tensor &h) {
                return runLayer(i, h, bias, cos, sin, nullptr);
            }, x);
        }
    }
    result.hidden = ops::rmsNorm(x, m_finalNorm, config().layerNormEps);
    if (allHiddenStates)
        result.hiddenStates.push_back(result.hidden);
    return result;
}

} // namespace ts
