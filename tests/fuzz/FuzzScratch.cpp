#include "FuzzScratch.h"

#include <QFile>
#include <QTemporaryDir>

namespace ts::fuzz {

QString FuzzScratch::path(const QString &name)
{
    static const QTemporaryDir folder;
    return folder.filePath(name);
}

QString FuzzScratch::write(const QString &name, const QByteArray &bytes)
{
    const QString target = path(name);
    QFile file(target);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        return {};
    return target;
}

} // namespace ts::fuzz
