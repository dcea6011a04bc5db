#include "train/LengthBucketSampler.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace ts {

namespace {
// Mixes the epoch into the seed so that epochs differ (a SplitMix64-style odd constant).
constexpr std::uint64_t kEpochSalt = 0x9E3779B97F4A7C15ULL;
} // namespace

LengthBucketSampler::LengthBucketSampler(QList<int> lengths, int batchSize, std::uint64_t seed)
    : m_lengths(std::move(lengths)), m_batchSize(std::max(1, batchSize)), m_seed(seed)
{
}

int LengthBucketSampler::batchesPerEpoch() const
{
    return int((m_lengths.size() + m_batchSize - 1) / m_batchSize);
}

void LengthBucketSampler::shuffle(QList<int> &items, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    for (qsizetype i = items.size() - 1; i > 0; --i) {
        const qsizetype j = qsizetype(rng() % std::uint64_t(i + 1));
        std::swap(items[i], items[j]);
    }
}

double LengthBucketSampler::paddingShare(const QList<QList<int>> &batches, const QList<int> &lengths)
{
    qint64 tokens = 0;
    qint64 computed = 0; // batch size x longest example, summed over the batches
    for (const QList<int> &batch : batches) {
        int longest = 0;
        for (int index : batch) {
            tokens += lengths[index];
            longest = std::max(longest, lengths[index]);
        }
        computed += qint64(longest) * batch.size();
    }
    return computed > 0 ? double(computed - tokens) / double(computed) : 0.0;
}

QList<QList<int>> LengthBucketSampler::epoch(int epoch) const
{
    QList<int> order(m_lengths.size());
    std::iota(order.begin(), order.end(), 0);
    const std::uint64_t epochSeed = m_seed ^ (kEpochSalt * std::uint64_t(epoch + 1));
    shuffle(order, epochSeed);

    const qsizetype poolSize = qsizetype(m_batchSize) * kPoolBatches;
    QList<QList<int>> batches;
    batches.reserve(batchesPerEpoch());
    for (qsizetype start = 0; start < order.size(); start += poolSize) {
        const auto first = order.begin() + start;
        const auto last = order.begin() + std::min(order.size(), start + poolSize);
        std::stable_sort(first, last, [this](int a, int b) { return m_lengths[a] < m_lengths[b]; });
        for (auto it = first; it < last; it += std::min<qsizetype>(m_batchSize, last - it))
            batches.append(QList<int>(it, it + std::min<qsizetype>(m_batchSize, last - it)));
    }
    QList<int> batchOrder(batches.size());
    std::iota(batchOrder.begin(), batchOrder.end(), 0);
    shuffle(batchOrder, epochSeed + 1);
    QList<QList<int>> shuffled;
    shuffled.reserve(batches.size());
    for (int index : batchOrder)
        shuffled.append(batches[index]);
    return shuffled;
}

} // namespace ts
