#include "model/nn/Gpt2Model.h"

#include "model/nn/Layers.h"
#include "model/nn/Ops.h"

namespace ts {

Gpt2Model::Gpt2Model(const ModelConfig &config) : TransformerBackbone(config)
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

torch::Tensor Gpt2Model::runLayer(Layer &layer, const torch::Tensor &x, const torch::Tensor &bias)
{
    const ModelConfig &c = config();
    const std::vector<torch::Tensor> qkv =
        layer.qkv->forward(layer.norm1(x)).split(c.hiddenSize, -1); // 3 x (B,T,H)
    const torch::Tensor q = ops::splitHeads(qkv[0], c.numHeads); // (B,h,T,d)
    const torch::Tensor k = ops::splitHeads(qkv[1], c.numHeads);
    const torch::Tensor v = ops::splitHeads(qkv[2], c.numHeads);
    const torch::Tensor context = ops::mergeHeads(ops::attention(q, k, v, bias, c.attentionDropout, is_training()));
    const torch::Tensor attended = layer.attentionOut->forward(context);
    const torch::Tensor a = x + ops::dropout(attended, c.hiddenDropout, is_training()); // (B,T,H)
    const torch::Tensor inner = ops::activate(c.activation, layer.fc->forward(layer.norm2(a)));
    const torch::Tensor out = layer.projection->forward(inner);
    return a + ops::dropout(out, c.hiddenDropout, is_training());
}

BackboneOutput Gpt2Model::forward(const torch::Tensor &ids, const torch::Tensor &mask, bool allHiddenStates)
{
    BackboneOutput result;
    const torch::Tensor positions = torch::arange(ids.size(1), ids.options().dtype(torch::kLong)).unsqueeze(0);
    torch::Tensor x = m_words(ids) + m_positions(positions); // (B,T,H)
    x = ops::dropout(x, config().embeddingDropout, is_training());
    const torch::Tensor bias = ops::causalBias(mask, x.scalar_type()); // (B,1,T,T)
    for (Layer &layer : m_layers) {
        if (allHiddenStates)
            result.hiddenStates.push_back(x);
        x = runLayer(layer, x, bias);
    }
    result.hidden = m_finalNorm(x);
    if (allHiddenStates)
        result.hiddenStates.push_back(result.hidden);
    return result;
}

} // namespace ts
