#include "util/BlasKernels.h"

#include <QList>

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>

namespace ts {

namespace {

constexpr char kCoreTypeVariable[] = "OPENBLAS_CORETYPE";

// OpenBLAS's x86-64 kernel sets without AVX2: what it falls back to on a CPU it does not know.
const QList<QByteArray> kPreAvx2Cores = {"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem",
                                         "Atom", "Northwood", "Banias", "Katmai", "Coppermine",
                                         "Sandybridge", "Bulldozer", "Piledriver", "Steamroller",
                                         "Excavator", "Opteron", "Opteron(SSE3)", "Barcelona", "Bobcat"};

bool cpuHasAvx512()
{
    // libgcc's checks include the OS saving the registers (XGETBV), not only CPUID.
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
}

bool cpuHasAvx2()
{
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

} // namespace

QByteArray BlasKernels::coreName()
{
    using CoreName = char *(*)();
    const auto name = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    return name ? QByteArray(name()) : QByteArray();
}

QByteArray BlasKernels::betterCoreType(const QByteArray &coreName, bool avx512, bool avx2)
{
    if (!kPreAvx2Cores.contains(coreName))
        return {};
    if (avx512)
        return QByteArrayLiteral("SkylakeX");
    if (avx2)
        return QByteArrayLiteral("Haswell");
    return {};
}

void BlasKernels::reexecWithBetterKernels(char **argv)
{
    if (std::getenv(kCoreTypeVariable))
        return; // set by the user, or by this function before the re-execution
    const QByteArray better = betterCoreType(coreName(), cpuHasAvx512(), cpuHasAvx2());
    if (better.isEmpty())
        return;
    setenv(kCoreTypeVariable, better.constData(), 1);
    execv("/proc/self/exe", argv);
}

} // namespace ts
