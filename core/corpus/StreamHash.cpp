#include "corpus/StreamHash.h"

#include <QtEndian>

#include <cstring>

namespace ts {

namespace {

// An odd constant with well-spread bits (2^64 / golden ratio), as Fibonacci hashing uses.
constexpr quint64 kMultiplier = 0x9E3779B97F4A7C15ULL;

} // namespace

void StreamHash::feed(const void *bytes, qsizetype size)
{
    const auto *in = static_cast<const uchar *>(bytes);
    auto buffered = int(m_length % 8);
    m_length += size;
    for (; buffered != 0 && size > 0; --size, ++in) {
        m_tail |= quint64(*in) << (8 * buffered);
        if (++buffered == 8) {
            mix(m_tail);
            m_tail = 0;
            buffered = 0;
        }
    }
    for (; size >= 8; size -= 8, in += 8) {
        quint64 word;
        std::memcpy(&word, in, sizeof word);
        mix(qFromLittleEndian(word));
    }
    for (int shift = 0; size > 0; --size, ++in, shift += 8)
        m_tail |= quint64(*in) << shift;
}

quint64 StreamHash::finish() const
{
    quint64 hash = m_state ^ m_tail;
    hash = (hash ^ quint64(m_length)) * kMultiplier;
    // MurmurHash3's fmix64 (Austin Appleby): every input bit reaches every output bit.
    hash ^= hash >> 33;
    hash *= 0xFF51AFD7ED558CCDULL;
    hash ^= hash >> 33;
    hash *= 0xC4CEB9FE1A85EC53ULL;
    hash ^= hash >> 33;
    return hash;
}

void StreamHash::mix(quint64 word)
{
    m_state = (m_state ^ word) * kMultiplier;
    m_state ^= m_state >> 29;
}

} // namespace ts
