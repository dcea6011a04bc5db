#include "model/nn/CausalLmHead.h"

#include "model/nn/Layers.h"

namespace ts {

CausalLmHead::CausalLmHead(const ModelConfig &config, const torch::Tensor &wordEmbeddings)
{
    if (config.tieWordEmbeddings) {
        m_weight = wordEmbeddings;
        return;
    }
    m_weight = layers::linear(*this, "lm_head", config.hiddenSize, config.vocabSize, false, config.initializerRange)
                   ->weight;
}

torch::Tensor CausalLmHead::forward(const BackboneOutput &output, const torch::Tensor &)
{
    return torch::linear(output.hidden, m_weight); // (B,T,V)
}

} // namespace ts
