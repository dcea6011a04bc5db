#include "model/nn/Gpt2Model.h"

#include "model/nn/Layers.h"
#include "model/nn/Ops.h"

namespace ts {

Gpt2Model::Gpt2Model(const ModelConfig &config) : CausalBackbone(config)
{
    const int64_t H = config.hiddenSize;
    m_words = layers::embedding(*this, "wte", config.vocabSize, H, config.initializerRange);
    m_positions = layers::embedding(*this, "wpe", config.maxPositions, H, config.initializerRange);
    m_embeddings = std::make_shared<torch::nn::Module>();
    m_embeddings->register_module("wte", m_words);
    m_embeddings->register_module("wpe", m_positions);
    auto list = layers::group(*this, "h");
    for (int i = 0; i < config.numLayers; ++i)
        m_layers.push_back(buildLayer(*list, i));
    m_finalNorm = layers::layerNorm(*this, "ln_f", H, config.layerNormEps);
}

std::shared_ptr<Gpt2Conv1D> Gpt2Model::conv1d(torch::nn::Module &parent, const std::string &name, int64_t in,
                                             int64_t out)
{
    return parent.register_module(name, std::make_shared<Gpt2Conv1D>(in, out, config().initializerRange));
}

Gpt2Model::Layer Gpt2Model::buildLayer(torch::nn::Module &parent, int index)
{
    const ModelConfig &c = config();
    const int64_t H = c.hiddenSize, I = c.intermediateSize;
    Layer layer;
    layer.root = layers::group(parent, std::to_string(index));
    layer.norm1 = layers::layerNorm(*layer.root, "ln_1", H, c.layerNormEps);
    auto attention = layers::group(*layer.root, "attn");
    layer.qkv = conv1d(*attention, "c_attn", H, 3 * H);
    layer.attentionOut = conv1d(*attention, "c_proj", H, H);
    layer.norm2 = layers::layerNorm(*layer.root, "ln_2", H, c.layerNormEps);
    auto mlp = layers::group(*layer.root, "mlp");
    layer.fc = conv1d(*mlp, "c_fc", H, I);
    layer.projection = conv1d(*mlp, "c_proj", I, H);
    return layer;
}

std::vector<std::shared_ptr<torch::nn::Module>> Gpt2Model::layers() const
{
    std::vector<std::shared_ptr<torch::nn::Module>> result;
    for (const Layer &layer : m_layers)
        result.push_back(layer.root);
    return result;
}

torch::Tensor Gpt2Model::runLayer(size_t index, const torch::Tensor &x, const torch::Tensor &bias, KvCache *cache)
{
    const ModelConfig &c = config();
    Layer &layer = m_layers[index];
    const std::vector<torch::Tensor> qkv =
        layer.qkv->forward(layer.norm1(x)).split(c.hiddenSize, -1); // 3 x (B,T,H)
    const torch::Tensor q = ops::splitHeads(qkv[0], c.numHeads); // (B,h,T,d)
    torch::Tensor k = ops::splitHeads(qkv[1], c.numHeads); // (B,h,T,d); with a cache (B,h,S,d)
    torch::Tensor v = ops::splitHeads(qkv[2], c.numHeads);
    if (cache)
        std::tie(k, v) = cache->append(index, k, v);
    const torch::Tensor context = ops::mergeHeads(ops::attention(q, k, v, bias, c.attentionDropout, is_training()));
    const torch::Tensor attended = layer.attentionOut->forward(context);
    const torch::Tensor a = x + ops::dropout(attended, c.hiddenDropout, is_training()); // (B,T,H)
    const torch::Tensor inner = ops::activate(c.activation, layer.fc->forward(layer.norm2(a)));
    const torch::Tensor out = layer.projection->forward(inner);
    return a + ops::dropout(out, c.hiddenDropout, is_training());
}

BackboneOutput Gpt2Model::forward(const torch::Tensor &ids, const torch::Tensor &mask, bool allHiddenStates)
{
    const torch::Tensor bias = ops::causalBias(mask, m_words->weight.scalar_type()); // (B,1,T,T)
    return run(ids, 0, bias, nullptr, allHiddenStates);
}

BackboneOutput Gpt2Model::forwardCached(const torch::Tensor &ids, KvCache &cache)
{
    const int64_t past = cache.length();
    return run(ids, past, cache.causalBias(ids.size(1), 0, ids.device()), &cache, false);
}

BackboneOutput Gpt2Model::run(const torch::Tensor &ids, int64_t first, const torch::Tensor &bias, KvCache *cache,
                              bool allHiddenStates)
{
    BackboneOutput result;
    const auto longs = ids.options().dtype(torch::kLong);
    const torch::Tensor positions = torch::arange(first, first + ids.size(1), longs).unsqueeze(0); // (1,T)
    torch::Tensor x = m_words(ids) + m_positions(positions); // (B,T,H)
    x = ops::dropout(x, config().embeddingDropout, is_training());
    for (size_t i = 0; i < m_layers.size(); ++i) {
        if (allHiddenStates)
            result.hiddenStates.push_back(x);
        // A frozen layer kept in its stored 16-bit dtype computes in it, a trained one in fp32.
        x = x.to(layers::dtypeOf(*m_layers[i].root));
        if (cache)
            x = runLayer(i, x, bias, cache);
        else
            x = applyLayer([this, i, bias](const torch::Tensor &h) { return runLayer(i, h, bias, nullptr); }, x);
    }
    result.hidden = m_finalNorm(x.to(m_finalNorm->weight.scalar_type()));
    if (allHiddenStates)
        result.hiddenStates.push_back(result.hidden);
    return result;
}

} // namespace ts
