#pragma once

#include <QByteArray>

namespace ts {

/// OpenBLAS, libtorch's BLAS on Debian, picks its matrix kernels from the CPU model when it is
/// loaded. Version 0.3.21 (Debian 12) does not know recent Intel Xeons and falls back to its generic
/// Prescott (SSE3) kernels, although the CPU has AVX-512: CPU training is then about 3 times
/// slower (measured: 8.2 against 26.2 samples/s, bench_training, one thread). OPENBLAS_CORETYPE,
/// read when the library loads, overrides the choice; hence a re-execution at start-up.
class BlasKernels
{
public:
    /// The kernels OpenBLAS chose ("Prescott", "SkylakeX", ...); empty when OpenBLAS is not loaded.
    static QByteArray coreName();

    /// The OPENBLAS_CORETYPE to use instead of `coreName`, given the CPU's (and the OS's) support
    /// for AVX-512 (F, BW, DQ, VL) and for AVX2 with FMA: "SkylakeX" or "Haswell" when `coreName`
    /// is a kernel set older than the CPU; empty when OpenBLAS's own choice stands.
    static QByteArray betterCoreType(const QByteArray &coreName, bool avx512, bool avx2);

    /// First thing in main(): when OPENBLAS_CORETYPE is unset and betterCoreType() names kernels
    /// for this CPU, sets it and re-executes the program with the same arguments. Returns when
    /// there is nothing to do or the re-execution fails (the program then runs as it is).
    static void reexecWithBetterKernels(char **argv);
};

} // namespace ts
