#include "model/nn/DistilBertModel.h"

#include "model/nn/Layers.h"
#include "model/nn/Ops.h"

namespace ts {

DistilBertModel::DistilBertModel(const ModelConfig &config) : TransformerBackbone(config)
{
    const int64_t H = config.hiddenSize;
    m_embeddings = layers::group(*this, "embeddings");
    m_words = layers::embedding(*m_embeddings, "word_embeddings", config.vocabSize, H, config.initializerRange);
    m_positions = layers::embedding(*m_embeddings, "position_embeddings", config.maxPositions, H,
                                    config.initializerRange);
    m_embeddingNorm = layers::layerNorm(*m_embeddings, "LayerNorm", H, config.layerNormEps);
    auto list = layers::group(*layers::group(*this, "transformer"), "layer");
    for (int i = 0; i < config.numLayers; ++i)
        m_layers.push_back(buildLayer(*list, i));
}

DistilBertModel::Layer DistilBertModel::buildLayer(torch::nn::Module &parent, int index)
{
    const ModelConfig &c = config();
    const int64_t H = c.hiddenSize, I = c.intermediateSize;
    const double std = c.initializerRange;
    Layer layer;
    layer.root = layers::group(parent, std::to_string(index));
    auto attention = layers::group(*layer.root, "attention");
    layer.query = layers::linear(*attention, "q_lin", H, H, true, std);
    layer.key = layers::linear(*attention, "k_lin", H, H, true, std);
    layer.value = layers::linear(*attention, "v_lin", H, H, true, std);
    layer.out = layers::linear(*attention, "out_lin", H, H, true, std);
    layer.attentionNorm = layers::layerNorm(*layer.root, "sa_layer_norm", H, c.layerNormEps);
    auto ffn = layers::group(*layer.root, "ffn");
    layer.lin1 = layers::linear(*ffn, "lin1", H, I, true, std);
    layer.lin2 = layers::linear(*ffn, "lin2", I, H, true, std);
    layer.outputNorm = layers::layerNorm(*layer.root, "output_layer_norm", H, c.layerNormEps);
    return layer;
}

std::vector<std::shared_ptr<torch::nn::Module>> DistilBertModel::layers() const
{
    std::vector<std::shared_ptr<torch::nn::Module>> result;
    for (const Layer &layer : m_layers)
        result.push_back(layer.root);
    return result;
}

torch::Tensor DistilBertModel::runLayer(Layer &layer, const torch::Tensor &x, const torch::Tensor &bias)
{
    const ModelConfig &c = config();
    const torch::Tensor q = ops::splitHeads(layers::project(layer.query, x), c.numHeads); // (B,h,T,d)
    const torch::Tensor k = ops::splitHeads(layers::project(layer.key, x), c.numHeads);
    const torch::Tensor v = ops::splitHeads(layers::project(layer.value, x), c.numHeads);
    const torch::Tensor context = ops::mergeHeads(ops::attention(q, k, v, bias, c.attentionDropout, is_training()));
    const torch::Tensor a = layer.attentionNorm(layers::project(layer.out, context) + x); // (B,T,H)
    const torch::Tensor inner = ops::activate(c.activation, layers::project(layer.lin1, a)); // (B,T,I)
    const torch::Tensor ffn = ops::dropout(layers::project(layer.lin2, inner), c.hiddenDropout, is_training());
    return layer.outputNorm(ffn + a);
}

BackboneOutput DistilBertModel::forward(const torch::Tensor &ids, const torch::Tensor &mask, bool allHiddenStates)
{
    BackboneOutput result;
    const torch::Tensor positions = torch::arange(ids.size(1), ids.options().dtype(torch::kLong)).unsqueeze(0);
    torch::Tensor x = m_embeddingNorm(m_words(ids) + m_positions(positions)); // (B,T,H)
    x = ops::dropout(x, config().embeddingDropout, is_training());
    const torch::Tensor bias = ops::paddingBias(mask, x.scalar_type()); // (B,1,1,T)
    if (allHiddenStates)
        result.hiddenStates.push_back(x);
    for (Layer &layer : m_layers) {
        // A frozen layer kept in its stored 16-bit dtype computes in it, a trained one in fp32.
        x = applyLayer([this, &layer, bias](const torch::Tensor &h) { return runLayer(layer, h, bias); },
                       x.to(layers::dtypeOf(*layer.root)));
        if (allHiddenStates)
            result.hiddenStates.push_back(x);
    }
    result.hidden = x;
    return result;
}

} // namespace ts
