#include "model/nn/DropoutMask.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <cmath>
#include <mutex>

namespace ts {

namespace {

uint64_t splitMix64(uint64_t &state)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/// xoshiro256** (Blackman and Vigna): fast, and every bit of its output is usable.
class Xoshiro256StarStar
{
public:
    explicit Xoshiro256StarStar(uint64_t seed)
    {
        for (uint64_t &word : m_s)
            word = splitMix64(seed);
    }

    uint64_t next()
    {
        const uint64_t result = rotateLeft(m_s[1] * 5, 7) * 9;
        const uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotateLeft(m_s[3], 45);
        return result;
    }

    static uint64_t rotateLeft(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

private:
    uint64_t m_s[4];
};

uint64_t drawSeed()
{
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    return generator.get<at::CPUGeneratorImpl>()->random64();
}

/// Fills out[begin, end) (one chunk) from the stream of `chunk`: 0 where a 16-bit draw is below
/// `threshold`, `kept` elsewhere.
template <typename T>
void fillChunk(T *out, int64_t begin, int64_t end, uint64_t seed, int64_t chunk, uint32_t threshold, T kept)
{
    uint64_t key = seed ^ (uint64_t(chunk) * 0xd1b54a32d192ed03ULL);
    Xoshiro256StarStar stream(splitMix64(key));
    for (int64_t i = begin; i < end; i += 4) {
        const uint64_t bits = stream.next();
        const int64_t n = std::min<int64_t>(4, end - i);
        for (int64_t j = 0; j < n; ++j)
            out[i + j] = uint32_t((bits >> (16 * j)) & 0xffff) < threshold ? T(0) : kept;
    }
}

} // namespace

torch::Tensor DropoutMask::draw(torch::IntArrayRef sizes, double p, const torch::TensorOptions &options)
{
    TORCH_CHECK(p >= 0.0 && p < 1.0, "dropout probability must be in [0, 1), got ", p);
    torch::Tensor mask = torch::empty(sizes, options);
    const uint32_t threshold = uint32_t(std::lround(p * 65536.0));
    const double kept = 65536.0 / double(65536 - threshold); // 1 / (1 - p) with p as rounded
    const uint64_t seed = drawSeed();
    const int64_t n = mask.numel();
    AT_DISPATCH_FLOATING_TYPES_AND2(at::kBFloat16, at::kHalf, mask.scalar_type(), "DropoutMask", [&] {
        scalar_t *out = mask.data_ptr<scalar_t>();
        const auto value = static_cast<scalar_t>(kept);
        at::parallel_for(0, (n + kChunk - 1) / kChunk, 1, [&](int64_t first, int64_t last) {
            for (int64_t chunk = first; chunk < last; ++chunk)
                fillChunk(out, chunk * kChunk, std::min(n, (chunk + 1) * kChunk), seed, chunk, threshold, value);
        });
    });
    return mask;
}

} // namespace ts
