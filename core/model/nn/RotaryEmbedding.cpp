#include "model/nn/RotaryEmbedding.h"

#include <cmath>

namespace ts {

namespace {

constexpr double kTwoPi = 6.283185307179586;

/// 2i/d for i < d/2, as transformers computes it: int64 arange turned into fp32, then divided.
torch::Tensor exponents(int64_t d, const torch::Device &device)
{
    return torch::arange(0, d, 2, torch::TensorOptions().dtype(torch::kLong).device(device)).to(torch::kFloat)
        / double(d);
}

/// Llama 3.1: wavelengths above original / low_freq_factor divided by factor, those below original /
/// high_freq_factor kept, a linear blend in between.
torch::Tensor llama3(const RopeScaling &rope, const torch::Tensor &inverse)
{
    const double original = double(rope.originalMaxPositions);
    const double lowWavelength = original / rope.lowFreqFactor, highWavelength = original / rope.highFreqFactor;
    const torch::Tensor wavelength = kTwoPi / inverse;
    torch::Tensor scaled = torch::where(wavelength > lowWavelength, inverse / rope.factor, inverse);
    const torch::Tensor smooth = (original / wavelength - rope.lowFreqFactor) / (rope.highFreqFactor - rope.lowFreqFactor);
    const torch::Tensor blended = (1 - smooth) * scaled / rope.factor + smooth * scaled;
    const torch::Tensor medium = (wavelength >= highWavelength).logical_and(wavelength <= lowWavelength);
    return torch::where(medium, blended, scaled);
}

/// YaRN: frequencies that turn more than beta_fast times over the original context are extrapolated
/// (kept), those under beta_slow interpolated (divided by factor), with a linear ramp between.
torch::Tensor yarn(const RopeScaling &rope, double theta, int64_t d, const torch::Device &device)
{
    const auto correction = [&](double rotations) { // the dimension that turns `rotations` times
        return double(d) * std::log(double(rope.originalMaxPositions) / (rotations * kTwoPi)) / (2 * std::log(theta));
    };
    double low = correction(rope.betaFast), high = correction(rope.betaSlow);
    if (rope.truncate) {
        low = std::floor(low);
        high = std::ceil(high);
    }
    low = std::max(low, 0.0);
    high = std::min(high, double(d - 1));
    if (low == high)
        high += 0.001; // as transformers does, against a division by zero
    const torch::Tensor positionFrequencies = torch::pow(theta, exponents(d, device));
    const torch::Tensor extrapolation = 1.0 / positionFrequencies, interpolation = 1.0 / (rope.factor * positionFrequencies);
    const torch::Tensor ramp = ((torch::arange(d / 2, torch::TensorOptions().dtype(torch::kFloat).device(device)) - low)
                                / (high - low)).clamp(0, 1);
    const torch::Tensor keep = 1 - ramp; // share of extrapolation per frequency
    return interpolation * (1 - keep) + extrapolation * keep;
}

} // namespace

torch::Tensor RotaryEmbedding::inverseFrequencies(const ModelConfig &config, int64_t length, const torch::Device &device)
{
    const RopeScaling &rope = config.ropeScaling;
    const int64_t d = config.headDim();
    double theta = config.ropeTheta;
    if (rope.type == RopeScaling::Type::Yarn)
        return yarn(rope, theta, d, device);
    if (rope.type == RopeScaling::Type::Dynamic && length > config.maxPositions) {
        const double stretch = rope.factor * double(length) / double(config.maxPositions) - (rope.factor - 1);
        theta *= std::pow(stretch, double(d) / double(d - 2));
    }
    const torch::Tensor inverse = 1.0 / torch::pow(theta, exponents(d, device)); // (d/2)
    switch (rope.type) {
    case RopeScaling::Type::Linear: return inverse / rope.factor;
    case RopeScaling::Type::Llama3: return llama3(rope, inverse);
    default: return inverse;
    }
}

std::pair<torch::Tensor, torch::Tensor> RotaryEmbedding::tables(const ModelConfig &config, int64_t length,
                                                                torch::ScalarType dtype, const torch::Device &device)
{
    const torch::Tensor inverse = inverseFrequencies(config, length, device);
    const auto fp32 = torch::TensorOptions().dtype(torch::kFloat).device(device);
    const torch::Tensor angles = torch::outer(torch::arange(length, fp32), inverse); // (T,d/2)
    const torch::Tensor table = torch::cat({angles, angles}, -1);                    // (T,d)
    const double scale = config.ropeScaling.type == RopeScaling::Type::Yarn ? config.ropeScaling.attentionFactor : 1.0;
    return {(table.cos() * scale).to(dtype), (table.sin() * scale).to(dtype)};
}

} // namespace ts
