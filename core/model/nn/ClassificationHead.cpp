#include "model/nn/ClassificationHead.h"

#include "model/nn/Layers.h"
#include "model/nn/Ops.h"

namespace ts {

ClassificationHead::ClassificationHead(const ModelConfig &config, int numLabels) : m_config(config)
{
    const int64_t H = config.hiddenSize;
    const double std = config.initializerRange;
    switch (config.family) {
    case ModelFamily::Bert:
        m_output = layers::linear(*this, "classifier", H, numLabels, true, std);
        break;
    case ModelFamily::Roberta: {
        auto classifier = layers::group(*this, "classifier");
        m_dense = layers::linear(*classifier, "dense", H, H, true, std);
        m_output = layers::linear(*classifier, "out_proj", H, numLabels, true, std);
        break;
    }
    case ModelFamily::DistilBert:
        m_dense = layers::linear(*this, "pre_classifier", H, H, true, std);
        m_output = layers::linear(*this, "classifier", H, numLabels, true, std);
        break;
    case ModelFamily::Gpt2:
    case ModelFamily::Llama:
        m_output = layers::linear(*this, "score", H, numLabels, false, std);
        break;
    }
}

torch::Tensor ClassificationHead::forward(const BackboneOutput &output, const torch::Tensor &mask)
{
    const double p = m_config.classifierDropout;
    switch (m_config.family) {
    case ModelFamily::Bert:
        return m_output(ops::dropout(output.pooled, p, is_training()));
    case ModelFamily::Roberta: {
        torch::Tensor x = ops::dropout(output.hidden.select(1, 0), p, is_training()); // (B,H)
        x = ops::dropout(torch::tanh(m_dense(x)), p, is_training());
        return m_output(x);
    }
    case ModelFamily::DistilBert: {
        const torch::Tensor x = torch::relu(m_dense(output.hidden.select(1, 0))); // (B,H)
        return m_output(ops::dropout(x, p, is_training()));
    }
    case ModelFamily::Gpt2:
    case ModelFamily::Llama:
        return m_output(ops::gatherRows(output.hidden, ops::lastTokenIndex(mask))); // (B,labels)
    }
    return {};
}

} // namespace ts
