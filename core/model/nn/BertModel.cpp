#include "model/nn/BertModel.h"

#include "model/nn/Layers.h"
#include "model/nn/Ops.h"

namespace ts {

BertModel::BertModel(const ModelConfig &config) : TransformerBackbone(config)
{
    const int64_t H = config.hiddenSize;
    const double std = config.initializerRange;
    m_embeddings = layers::group(*this, "embeddings");
    m_words = layers::embedding(*m_embeddings, "word_embeddings", config.vocabSize, H, std);
    m_positions = layers::embedding(*m_embeddings, "position_embeddings", config.maxPositions, H, std);
    m_types = layers::embedding(*m_embeddings, "token_type_embeddings", config.typeVocabSize, H, std);
    m_embeddingNorm = layers::layerNorm(*m_embeddings, "LayerNorm", H, config.layerNormEps);
    auto encoder = layers::group(*this, "encoder");
    auto list = layers::group(*encoder, "layer");
    for (int i = 0; i < config.numLayers; ++i)
        m_layers.push_back(buildLayer(*list, i));
    if (config.family == ModelFamily::Bert)
        m_pooler = layers::linear(*layers::group(*this, "pooler"), "dense", H, H, true, std);
}

BertModel::Layer BertModel::buildLayer(torch::nn::Module &parent, int index)
{
    const ModelConfig &c = config();
    const int64_t H = c.hiddenSize, I = c.intermediateSize;
    const double std = c.initializerRange;
    Layer layer;
    layer.root = layers::group(parent, std::to_string(index));
    auto attention = layers::group(*layer.root, "attention");
    auto self = layers::group(*attention, "self");
    layer.query = layers::linear(*self, "query", H, H, true, std);
    layer.key = layers::linear(*self, "key", H, H, true, std);
    layer.value = layers::linear(*self, "value", H, H, true, std);
    auto attentionOutput = layers::group(*attention, "output");
    layer.attentionOut = layers::linear(*attentionOutput, "dense", H, H, true, std);
    layer.attentionNorm = layers::layerNorm(*attentionOutput, "LayerNorm", H, c.layerNormEps);
    layer.intermediate = layers::linear(*layers::group(*layer.root, "intermediate"), "dense", H, I, true, std);
    auto output = layers::group(*layer.root, "output");
    layer.output = layers::linear(*output, "dense", I, H, true, std);
    layer.outputNorm = layers::layerNorm(*output, "LayerNorm", H, c.layerNormEps);
    return layer;
}

std::vector<std::shared_ptr<torch::nn::Module>> BertModel::layers() const
{
    std::vector<std::shared_ptr<torch::nn::Module>> result;
    for (const Layer &layer : m_layers)
        result.push_back(layer.root);
    return result;
}

torch::Tensor BertModel::positionIds(const torch::Tensor &ids) const
{
    if (config().family == ModelFamily::Roberta) {
        // HF create_position_ids_from_input_ids: real tokens count from padding_idx + 1.
        const torch::Tensor real = ids.ne(static_cast<int64_t>(config().padTokenId)).to(torch::kLong); // (B,T)
        return torch::cumsum(real, 1) * real + static_cast<int64_t>(config().padTokenId);
    }
    return torch::arange(ids.size(1), ids.options().dtype(torch::kLong)).unsqueeze(0); // (1,T)
}

torch::Tensor BertModel::embed(const torch::Tensor &ids)
{
    torch::Tensor x = m_words(ids) + m_positions(positionIds(ids)) + m_types->weight[0]; // (B,T,H)
    x = m_embeddingNorm(x);
    return ops::dropout(x, config().embeddingDropout, is_training());
}

torch::Tensor BertModel::runLayer(Layer &layer, const torch::Tensor &x, const torch::Tensor &bias)
{
    const ModelConfig &c = config();
    const torch::Tensor q = ops::splitHeads(layers::project(layer.query, x), c.numHeads); // (B,h,T,d)
    const torch::Tensor k = ops::splitHeads(layers::project(layer.key, x), c.numHeads);
    const torch::Tensor v = ops::splitHeads(layers::project(layer.value, x), c.numHeads);
    const torch::Tensor context = ops::mergeHeads(ops::attention(q, k, v, bias, c.attentionDropout, is_training()));
    const torch::Tensor attended = ops::dropout(layers::project(layer.attentionOut, context), c.hiddenDropout, is_training());
    const torch::Tensor a = layer.attentionNorm(attended + x); // (B,T,H)
    const torch::Tensor inner = ops::activate(c.activation, layers::project(layer.intermediate, a)); // (B,T,I)
    const torch::Tensor out = ops::dropout(layers::project(layer.output, inner), c.hiddenDropout, is_training());
    return layer.outputNorm(out + a);
}

BackboneOutput BertModel::forward(const torch::Tensor &ids, const torch::Tensor &mask, bool allHiddenStates)
{
    BackboneOutput result;
    torch::Tensor x = embed(ids);
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
    if (m_pooler)
        result.pooled = torch::tanh(layers::project(m_pooler, x.select(1, 0))); // (B,H)
    return result;
}

} // namespace ts
