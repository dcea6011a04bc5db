#include "model/nn/KvCache.h"

#include <limits>

namespace ts {

int64_t KvCache::length() const
{
    return m_keys.empty() ? 0 : m_keys.front().size(2);
}

std::pair<torch::Tensor, torch::Tensor> KvCache::append(size_t layer, const torch::Tensor &k, const torch::Tensor &v)
{
    if (layer >= m_keys.size()) {
        m_keys.resize(layer + 1);
        m_values.resize(layer + 1);
    }
    torch::Tensor &keys = m_keys[layer];
    torch::Tensor &values = m_values[layer];
    keys = keys.defined() ? torch::cat({keys, k}, 2) : k;
    values = values.defined() ? torch::cat({values, v}, 2) : v;
    return {keys, values};
}

torch::Tensor KvCache::causalBias(int64_t queries, int64_t window, const torch::Device &device) const
{
    const int64_t past = length(), keys = past + queries;
    if (queries == 1 && (window <= 0 || keys <= window))
        return {};
    const auto longs = torch::TensorOptions().dtype(torch::kLong).device(device);
    const torch::Tensor queryPositions = torch::arange(past, keys, longs).unsqueeze(1); // (T,1)
    const torch::Tensor keyPositions = torch::arange(keys, longs).unsqueeze(0);         // (1,S)
    torch::Tensor visible = keyPositions <= queryPositions;                              // (T,S)
    if (window > 0)
        visible = visible.logical_and(keyPositions > queryPositions - window);
    const torch::Tensor bias = torch::zeros({queries, keys}, torch::TensorOptions().dtype(torch::kFloat).device(device));
    return bias.masked_fill(visible.logical_not(), std::numeric_limits<float>::lowest()).unsqueeze(0).unsqueeze(0);
}

void KvCache::clear()
{
    m_keys.clear();
    m_values.clear();
}

} // namespace ts
