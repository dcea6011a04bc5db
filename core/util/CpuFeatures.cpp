#include "util/CpuFeatures.h"

#include <QFile>
#include <QList>

namespace ts {

bool CpuFeatures::hasBf16() const
{
    return avx512Bf16 || amxBf16;
}

QString CpuFeatures::bf16Unit() const
{
    if (amxBf16)
        return QStringLiteral("AMX");
    if (avx512Bf16)
        return QStringLiteral("AVX512-BF16");
    return {};
}

CpuFeatures CpuFeatures::fromCpuInfo(const QByteArray &cpuinfo)
{
    CpuFeatures features;
    for (const QByteArray &line : cpuinfo.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon < 0 || line.left(colon).trimmed() != "flags")
            continue;
        const QList<QByteArray> flags = line.mid(colon + 1).simplified().split(' ');
        features.avx512Bf16 = flags.contains("avx512_bf16");
        features.amxBf16 = flags.contains("amx_bf16") && flags.contains("amx_tile");
        break;
    }
    return features;
}

const CpuFeatures &CpuFeatures::host()
{
    static const CpuFeatures features = [] {
        QFile file(QStringLiteral("/proc/cpuinfo"));
        // /proc files report size 0: read until the end rather than by size.
        return file.open(QIODevice::ReadOnly) ? fromCpuInfo(file.readAll()) : CpuFeatures{};
    }();
    return features;
}

} // namespace ts
