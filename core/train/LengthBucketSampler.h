#pragma once

#include <QList>

#include <cstdint>

namespace ts {

/// Orders training examples into batches of similar length, so that padding to the batch's
/// longest sequence wastes little compute, while keeping the order random.
///
/// For each epoch: shuffle all indices with (seed, epoch); cut them into pools of
/// `kPoolBatches` batches; sort each pool by length; cut pools into batches; shuffle the batch
/// order. The same (lengths, batch size, seed, epoch) always gives the same batches, on every
/// platform (own Fisher-Yates over a 64-bit Mersenne Twister), which is what makes a resumed
/// run see exactly the batches an uninterrupted run would have seen.
class LengthBucketSampler
{
public:
    /// Batches per length-sorting pool: larger pools pad less but are less random.
    static constexpr int kPoolBatches = 50;

    /// `lengths[i]`: token count of example i. `batchSize` >= 1.
    LengthBucketSampler(QList<int> lengths, int batchSize, std::uint64_t seed);

    /// The batches (lists of example indices) of epoch `epoch` (0-based).
    QList<QList<int>> epoch(int epoch) const;
    /// Batches per epoch (the last batch may be smaller).
    int batchesPerEpoch() const;

    /// Shuffles `items` in place, deterministically for `seed` on every platform.
    static void shuffle(QList<int> &items, std::uint64_t seed);

    /// The share of padding among the tokens computed when each batch of `batches` is padded to
    /// its longest example (`lengths[i]`: tokens of example i): 0 without padding.
    static double paddingShare(const QList<QList<int>> &batches, const QList<int> &lengths);

private:
    QList<int> m_lengths;
    int m_batchSize;
    std::uint64_t m_seed;
};

} // namespace ts
