#include "util/DeviceMemory.h"

#include <QFile>
#include <QList>

#include <dlfcn.h>

#include <algorithm>
#include <cstddef>

namespace ts {

namespace {

const QString kMemInfoPath = QStringLiteral("/proc/meminfo");
const QString kCgroupMaxPath = QStringLiteral("/sys/fs/cgroup/memory.max");
const QString kCgroupCurrentPath = QStringLiteral("/sys/fs/cgroup/memory.current");
constexpr qint64 kMaxProcFileBytes = 64 * 1024; // /proc/meminfo is about 1.5 kB
constexpr qint64 kKiB = 1024;                   // meminfo counts in kB (KiB)

// cudaError_t cudaMemGetInfo(size_t *free, size_t *total); cudaSuccess is 0.
using CudaMemGetInfo = int (*)(std::size_t *, std::size_t *);

QByteArray readSmallFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.read(kMaxProcFileBytes) : QByteArray();
}

/// cudaMemGetInfo of the CUDA runtime libtorch has loaded; false when there is none or it fails.
bool cudaMemoryInfo(std::size_t *free, std::size_t *total)
{
    // Looked up at run time: a CPU-only libtorch has no CUDA runtime, and linking one here would
    // make every build need the CUDA toolkit.
    const auto memGetInfo = reinterpret_cast<CudaMemGetInfo>(dlsym(RTLD_DEFAULT, "cudaMemGetInfo"));
    return memGetInfo && memGetInfo(free, total) == 0;
}

} // namespace

qint64 DeviceMemory::cpuAvailableBytes()
{
    const qint64 available = parseMemAvailable(readSmallFile(kMemInfoPath));
    const qint64 headroom = cgroupHeadroom(readSmallFile(kCgroupMaxPath), readSmallFile(kCgroupCurrentPath));
    if (headroom < 0)
        return available;
    return available > 0 ? std::min(available, headroom) : headroom;
}

qint64 DeviceMemory::cudaFreeBytes()
{
    std::size_t free = 0;
    std::size_t total = 0;
    return cudaMemoryInfo(&free, &total) ? qint64(free) : 0;
}

qint64 DeviceMemory::cudaUsedBytes()
{
    std::size_t free = 0;
    std::size_t total = 0;
    return cudaMemoryInfo(&free, &total) ? qint64(total - free) : -1;
}

qint64 DeviceMemory::parseMemAvailable(const QByteArray &meminfo)
{
    const QByteArray key("MemAvailable:");
    for (const QByteArray &line : meminfo.split('\n')) {
        if (!line.startsWith(key))
            continue;
        const QList<QByteArray> fields = line.mid(key.size()).simplified().split(' ');
        bool ok = false;
        const qint64 kib = fields.value(0).toLongLong(&ok);
        return ok && kib > 0 ? kib * kKiB : 0;
    }
    return 0;
}

qint64 DeviceMemory::cgroupHeadroom(const QByteArray &memoryMax, const QByteArray &memoryCurrent)
{
    bool maxOk = false;
    bool currentOk = false;
    const qint64 limit = memoryMax.trimmed().toLongLong(&maxOk);
    const qint64 used = memoryCurrent.trimmed().toLongLong(&currentOk);
    if (!maxOk || !currentOk)
        return -1;
    return std::max<qint64>(0, limit - used);
}

} // namespace ts
