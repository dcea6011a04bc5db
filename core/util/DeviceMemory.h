#pragma once

#include <QByteArray>

namespace ts {

/// How much memory a new run can use on the device it trains on, read just before it starts.
/// Torch-free header.
class DeviceMemory
{
public:
    /// Bytes the CPU can give a new run: MemAvailable from /proc/meminfo, lowered to what the
    /// cgroup (container) memory limit leaves; 0 when neither can be read.
    static qint64 cpuAvailableBytes();

    /// Free bytes on CUDA device 0, from the CUDA runtime libtorch has loaded (cudaMemGetInfo);
    /// 0 when there is no CUDA runtime or it gives no answer.
    static qint64 cudaFreeBytes();

    /// Bytes in use on CUDA device 0 (total minus free, every process counted); -1 when unknown.
    static qint64 cudaUsedBytes();

    /// MemAvailable of a /proc/meminfo text, in bytes; 0 when it has no valid line.
    static qint64 parseMemAvailable(const QByteArray &meminfo);

    /// What a cgroup v2 limit leaves: memory.max minus memory.current, in bytes; -1 when there
    /// is no limit ("max") or the texts are not numbers.
    static qint64 cgroupHeadroom(const QByteArray &memoryMax, const QByteArray &memoryCurrent);
};

} // namespace ts
