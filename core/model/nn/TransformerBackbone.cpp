#include "model/nn/TransformerBackbone.h"

namespace ts {

torch::Tensor TransformerBackbone::applyLayer(LayerCheckpoint::Layer layer, const torch::Tensor &x)
{
    if (m_layerCheckpointing && is_training())
        return LayerCheckpoint::apply(std::move(layer), x);
    return layer(x);
}

} // namespace ts
