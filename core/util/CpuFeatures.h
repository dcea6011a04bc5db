#pragma once

#include <QByteArray>
#include <QString>

namespace ts {

/// What the processor, with the kernel's consent, offers for bf16 arithmetic: read from the
/// flags of /proc/cpuinfo, which the kernel clears for features whose registers it does not
/// save (AMX needs Linux 5.16 or later).
struct CpuFeatures
{
    bool avx512Bf16 = false; // AVX512-BF16: bf16 dot products in AVX-512 registers
    bool amxBf16 = false;    // AMX-BF16 (with AMX-TILE): bf16 tile matrix products

    /// Whether bf16 matrix products run natively (faster than fp32) rather than emulated.
    bool hasBf16() const;
    /// The fastest bf16 unit, as a person reads it: "AMX", "AVX512-BF16", or empty without one.
    QString bf16Unit() const;

    /// The features named by the first "flags" line of `cpuinfo` (the text of /proc/cpuinfo).
    static CpuFeatures fromCpuInfo(const QByteArray &cpuinfo);
    /// This machine's features, read once; none where /proc/cpuinfo cannot be read.
    static const CpuFeatures &host();
};

} // namespace ts
