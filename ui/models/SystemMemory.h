#pragma once

#include <QString>

namespace ts::ui {

/// The memory of the machine training runs on when there is no GPU: total RAM.
class SystemMemory
{
public:
    /// Total RAM in bytes from /proc/meminfo ("MemTotal"); 0 where it cannot be read.
    static qint64 totalBytes();

    /// Parses the text of a /proc/meminfo file; 0 when it has no valid MemTotal line.
    static qint64 parseMemTotal(const QByteArray &meminfo);
};

} // namespace ts::ui
