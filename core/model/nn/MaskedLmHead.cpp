#include "model/nn/MaskedLmHead.h"

#include "model/nn/Layers.h"
#include "model/nn/Ops.h"

namespace ts {

MaskedLmHead::MaskedLmHead(const ModelConfig &config, const torch::Tensor &wordEmbeddings)
    : m_activation(config.activation)
{
    const int64_t H = config.hiddenSize;
    const double std = config.initializerRange;
    const torch::Tensor tied = config.tieWordEmbeddings ? wordEmbeddings : torch::Tensor();
    switch (config.family) {
    case ModelFamily::Bert: {
        auto predictions = layers::group(*layers::group(*this, "cls"), "predictions");
        auto transform = layers::group(*predictions, "transform");
        m_dense = layers::linear(*transform, "dense", H, H, true, std);
        m_norm = layers::layerNorm(*transform, "LayerNorm", H, config.layerNormEps);
        m_bias = layers::parameter(*predictions, "bias", torch::zeros({config.vocabSize}));
        buildDecoder(*predictions, "decoder", tied, std);
        break;
    }
    case ModelFamily::Roberta: {
        auto head = layers::group(*this, "lm_head");
        m_activation = Activation::Gelu; // RobertaLMHead always uses GELU
        m_dense = layers::linear(*head, "dense", H, H, true, std);
        m_norm = layers::layerNorm(*head, "layer_norm", H, config.layerNormEps);
        m_bias = layers::parameter(*head, "bias", torch::zeros({config.vocabSize}));
        buildDecoder(*head, "decoder", tied, std);
        break;
    }
    default: { // DistilBERT (PretrainedModel refuses masked LM on decoders)
        m_dense = layers::linear(*this, "vocab_transform", H, H, true, std);
        m_norm = layers::layerNorm(*this, "vocab_layer_norm", H, config.layerNormEps);
        auto projector = layers::group(*this, "vocab_projector");
        m_bias = layers::parameter(*projector, "bias", torch::zeros({config.vocabSize}));
        buildDecoder(*projector, std::string(), tied, std);
        break;
    }
    }
}

void MaskedLmHead::buildDecoder(torch::nn::Module &parent, const std::string &weightGroup, const torch::Tensor &tied,
                                double std)
{
    if (tied.defined()) {
        m_decoder = tied;
        return;
    }
    torch::nn::Module &owner = weightGroup.empty() ? parent : *layers::group(parent, weightGroup);
    const torch::Tensor initial = layers::normal({m_bias.size(0), m_dense->options.in_features()}, std);
    m_decoder = layers::parameter(owner, "weight", initial);
}

torch::Tensor MaskedLmHead::forward(const BackboneOutput &output, const torch::Tensor &)
{
    // Under bf16 autocast the dense output is bf16; libtorch 1.13's CPU autocast leaves layer_norm
    // to its inputs, and its backward refuses bf16 values with fp32 weights: the norm gets its
    // weights' type, as CUDA autocast does (layer_norm is an fp32 op there).
    const torch::Tensor transformed = ops::activate(m_activation, m_dense(output.hidden)); // (B,T,H)
    const torch::Tensor x = m_norm(transformed.to(m_norm->weight.scalar_type()));           // (B,T,H)
    if (m_decoder.scalar_type() == x.scalar_type())
        return torch::linear(x, m_decoder, m_bias); // (B,T,V)
    // Tied to word embeddings kept in their stored 16-bit dtype (a frozen backbone): the product is
    // computed in it, then the fp32 bias is added.
    return torch::linear(x.to(m_decoder.scalar_type()), m_decoder).to(m_bias.scalar_type()) + m_bias;
}

} // namespace ts
