#pragma once

#include <QCryptographicHash>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

namespace ts::test {

/// A fresh temporary folder per test, removed afterwards; `path(name)` gives a file inside it.
class TempFolder
{
public:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    bool isValid() const { return m_dir.isValid(); }

private:
    QTemporaryDir m_dir;
};

/// Writes `bytes` to `path`, replacing it; false when it cannot.
inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

/// SHA-256 of a file's bytes: proves that an operation left a file untouched.
inline QByteArray fileDigest(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result();
}

} // namespace ts::test
