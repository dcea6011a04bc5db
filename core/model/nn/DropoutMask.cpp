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

private:
    static uint64_t rotateLeft(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

    uint64_t m_s[4];
};

uint64_t drawSeed()
{
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    return generator.get<at::CPUGeneratorImpl>()->random64();
}

/// One chunk [begin, end) of the forward pass, from the stream of `chunk`: an element is dropped
/// where its 16-bit draw is below `threshold`.
template <typename T>
void dropChunk(const T *x, T *out, uint8_t *keep, int64_t begin, int64_t end, uint64_t seed, int64_t chunk,
               uint32_t threshold, T scale)
{
    uint64_t key = seed ^ (uint64_t(chunk) * 0xd1b54a32d192ed03ULL);
    Xoshiro256StarStar stream(splitMix64(key));
    for (int64_t i = begin; i < end; i += 4) {
        const uint64_t bits = stream.next();
        const int64_t n = std::min<int64_t>(4, end - i);
        for (int64_t j = 0; j < n; ++j) {
            const bool kept = uint32_t((bits >> (16 * j)) & 0xffff) >= threshold;
            keep[i + j] = kept;
            out[i + j] = kept ? T(x[i + j] * scale) : T(0);
        }
    }
}

class DropoutFunction : public torch::autograd::Function<DropoutFunction>
{
public:
    static torch::Tensor forward(torch::autograd::AutogradContext *context, const torch::Tensor &x, double p)
    {
        const torch::Tensor input = x.contiguous();
        torch::Tensor out = torch::empty_like(input);
        torch::Tensor keep = torch::empty(input.sizes(), input.options().dtype(torch::kUInt8));
        const uint32_t threshold = uint32_t(std::lround(p * 65536.0));
        const double scale = 65536.0 / double(65536 - threshold); // 1 / (1 - p) with p as rounded
        const uint64_t seed = drawSeed();
        const int64_t n = input.numel();
        AT_DISPATCH_FLOATING_TYPES_AND2(at::kBFloat16, at::kHalf, input.scalar_type(), "DropoutMask", [&] {
            const scalar_t *in = input.data_ptr<scalar_t>();
            scalar_t *o = out.data_ptr<scalar_t>();
            uint8_t *k = keep.data_ptr<uint8_t>();
            at::parallel_for(0, (n + DropoutMask::kChunk - 1) / DropoutMask::kChunk, 1, [&](int64_t first, int64_t last) {
                for (int64_t chunk = first; chunk < last; ++chunk)
                    dropChunk(in, o, k, chunk * DropoutMask::kChunk, std::min(n, (chunk + 1) * DropoutMask::kChunk),
                              seed, chunk, threshold, static_cast<scalar_t>(scale));
            });
        });
        context->save_for_backward({keep});
        context->saved_data["scale"] = scale;
        return out;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *context,
                                                   torch::autograd::variable_list grads)
    {
        const torch::Tensor keep = context->get_saved_variables().at(0);
        const double scale = context->saved_data["scale"].toDouble();
        const torch::Tensor grad = grads.at(0).contiguous();
        torch::Tensor result = torch::empty_like(grad);
        const int64_t n = grad.numel();
        AT_DISPATCH_FLOATING_TYPES_AND2(at::kBFloat16, at::kHalf, grad.scalar_type(), "DropoutMaskBackward", [&] {
            const scalar_t *g = grad.data_ptr<scalar_t>();
            const uint8_t *k = keep.data_ptr<uint8_t>();
            scalar_t *r = result.data_ptr<scalar_t>();
            const auto s = static_cast<scalar_t>(scale);
            at::parallel_for(0, n, DropoutMask::kChunk, [&](int64_t begin, int64_t end) {
                for (int64_t i = begin; i < end; ++i)
                    r[i] = k[i] ? scalar_t(g[i] * s) : scalar_t(0);
            });
        });
        return {result, torch::Tensor()};
    }
};

} // namespace

torch::Tensor DropoutMask::apply(const torch::Tensor &x, double p)
{
    TORCH_CHECK(p >= 0.0 && p < 1.0, "dropout probability must be in [0, 1), got ", p);
    TORCH_CHECK(x.is_cpu() && x.is_floating_point(), "DropoutMask takes CPU floating-point tensors");
    return DropoutFunction::apply(x, p);
}

} // namespace ts
