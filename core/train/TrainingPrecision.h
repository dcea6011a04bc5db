#pragma once

#include "util/CpuFeatures.h"
#include "util/Result.h"

#include <QString>
#include <QStringList>

namespace ts {

/// The arithmetic of a run's forward and backward passes. Master weights, optimiser state,
/// losses and metrics are fp32 in both.
enum class Precision
{
    Fp32, // everything in fp32
    Bf16  // matrix products under bf16 autocast (CUDA, or a CPU with AVX512-BF16 or AMX)
};

/// TrainingConfig::precision ("auto", "fp32", "bf16") resolved for a device.
class TrainingPrecision
{
public:
    /// The choices, in the order the GUI and the CLI offer them.
    static QStringList choices();

    /// "auto": bf16 on CUDA and on a CPU with native bf16 (`cpu`), fp32 elsewhere. "bf16" on a
    /// CPU without it is refused (emulated bf16 is slower than fp32). `cuda`: the run's device.
    static Result<Precision> resolve(const QString &choice, bool cuda, const CpuFeatures &cpu);

    /// "fp32" or "bf16": what a run records.
    static QString name(Precision precision);
    /// For the run's device line: "fp32", "bf16 autocast" or "bf16 autocast, AMX" on the CPU.
    static QString describe(Precision precision, bool cuda, const CpuFeatures &cpu);
};

} // namespace ts
