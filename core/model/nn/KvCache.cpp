#include "model/nn/KvCache.h"

#include <algorithm>
#include <limits>

namespace ts {

int64_t KvCache::length() const
{
    return m_seen.empty() ? 0 : m_seen.front();
}

int64_t KvCache::held(size_t layer) const
{
    return layer < m_keys.size() && m_keys[layer].defined() ? m_keys[layer].size(2) : 0;
}

int64_t KvCache::heldFor(int64_t window) const
{
    return window > 0 ? std::min(length(), window - 1) : length();
}

std::pair<torch::Tensor, torch::Tensor> KvCache::append(size_t layer, const torch::Tensor &k, const torch::Tensor &v,
                                                        int64_t window)
{
    if (layer >= m_keys.size()) {
        m_keys.resize(layer + 1);
        m_values.resize(layer + 1);
        m_seen.resize(layer + 1, 0);
    }
    torch::Tensor &keys = m_keys[layer];
    torch::Tensor &values = m_values[layer];
    const torch::Tensor allKeys = keys.defined() ? torch::cat({keys, k}, 2) : k; // (B,kv,held+T,d)
    const torch::Tensor allValues = values.defined() ? torch::cat({values, v}, 2) : v;
    m_seen[layer] += k.size(2);
    const int64_t total = allKeys.size(2);
    const int64_t keep = window > 0 ? std::min(total, window - 1) : total;
    // A copy of the kept tail, so that the dropped tokens' memory is freed rather than viewed.
    keys = keep < total ? allKeys.narrow(2, total - keep, keep).clone() : allKeys;
    values = keep < total ? allValues.narrow(2, total - keep, keep).clone() : allValues;
    return {allKeys, allValues};
}

torch::Tensor KvCache::causalBias(int64_t queries, int64_t window, const torch::Device &device) const
{
    if (queries == 1)
        return {}; // one token sees every key held: at most window - 1 earlier ones and itself
    const int64_t past = length(), first = past - heldFor(window), end = past + queries;
    const auto longs = torch::TensorOptions().dtype(torch::kLong).device(device);
    const torch::Tensor queryPositions = torch::arange(past, end, longs).unsqueeze(1); // (T,1)
    const torch::Tensor keyPositions = torch::arange(first, end, longs).unsqueeze(0);  // (1,S)
    torch::Tensor visible = keyPositions <= queryPositions;                           // (T,S)
    if (window > 0)
        visible = visible.logical_and(keyPositions > queryPositions - window);
    const torch::Tensor bias = torch::zeros({queries, end - first}, torch::TensorOptions().dtype(torch::kFloat).device(device));
    return bias.masked_fill(visible.logical_not(), std::numeric_limits<float>::lowest()).unsqueeze(0).unsqueeze(0);
}

void KvCache::clear()
{
    m_keys.clear();
    m_values.clear();
    m_seen.clear();
}

} // namespace ts
