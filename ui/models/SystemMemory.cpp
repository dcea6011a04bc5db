#include "models/SystemMemory.h"

#include <QFile>

namespace ts::ui {

namespace {
const QString kMemInfoPath = QStringLiteral("/proc/meminfo");
constexpr qint64 kMaxMemInfoBytes = 64 * 1024; // /proc/meminfo is about 1.5 kB
constexpr qint64 kKiB = 1024;                  // meminfo counts in kB (KiB)
} // namespace

qint64 SystemMemory::totalBytes()
{
    QFile file(kMemInfoPath);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return parseMemTotal(file.read(kMaxMemInfoBytes));
}

qint64 SystemMemory::parseMemTotal(const QByteArray &meminfo)
{
    for (const QByteArray &line : meminfo.split('\n')) {
        if (!line.startsWith("MemTotal:"))
            continue;
        const QList<QByteArray> fields = line.mid(int(qstrlen("MemTotal:"))).simplified().split(' ');
        bool ok = false;
        const qint64 kib = fields.value(0).toLongLong(&ok);
        return ok && kib > 0 ? kib * kKiB : 0;
    }
    return 0;
}

} // namespace ts::ui
