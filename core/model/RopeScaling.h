#pragma once

#include <QtGlobal>

namespace ts {

/// How a Llama-family model stretches its rotary embeddings beyond the trained context (config.json
/// `rope_scaling`, or `rope_parameters` as transformers 5 writes it). Value type; RotaryEmbedding
/// (core/model/nn) turns it into frequencies the way Hugging Face's modeling_rope_utils does.
struct RopeScaling
{
    enum class Type {
        None,    // "default": inv_freq = 1 / theta^(2i/d)
        Linear,  // positions divided by `factor`
        Dynamic, // NTK-aware: the base grows with the sequence length past maxPositions
        Llama3,  // Llama 3.1: low frequencies divided by `factor`, a smooth band between
        Yarn,    // YaRN: per-frequency blend of interpolation and extrapolation, cos/sin scaled
    };

    Type type = Type::None;
    double factor = 1.0;                  // context stretch
    double lowFreqFactor = 1.0;           // llama3: wavelengths above original / lowFreqFactor are scaled
    double highFreqFactor = 4.0;          // llama3: wavelengths below original / highFreqFactor are kept
    qint64 originalMaxPositions = 0;      // llama3, yarn: the pre-training context in tokens
    double attentionFactor = 1.0;         // yarn: multiplies cos and sin (0.1 ln(factor) + 1 unless given)
    double betaFast = 32;                 // yarn: rotations where extrapolation ends
    double betaSlow = 1;                  // yarn: rotations where interpolation starts
    bool truncate = true;                 // yarn: correction range rounded outward to whole dimensions
};

} // namespace ts
