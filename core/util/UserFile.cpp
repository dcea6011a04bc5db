#include "util/UserFile.h"

#include <QFile>

#include <algorithm>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ts {

namespace {

QString describeMode(mode_t mode)
{
    if (S_ISREG(mode))
        return {};
    if (S_ISDIR(mode))
        return QStringLiteral("a folder");
    if (S_ISFIFO(mode))
        return QStringLiteral("a FIFO (named pipe)");
    if (S_ISCHR(mode))
        return QStringLiteral("a character device");
    if (S_ISBLK(mode))
        return QStringLiteral("a block device");
    if (S_ISSOCK(mode))
        return QStringLiteral("a socket");
    return QStringLiteral("not a regular file");
}

QString notRegular(const QString &path, const QString &kind)
{
    return QStringLiteral("%1 is %2, not a regular file; refused, since reading it could block or never end: give "
                          "the path of a regular file").arg(path, kind);
}

QString systemError(const QString &path, int error)
{
    if (error == ENOENT)
        return QStringLiteral("%1: no such file").arg(path);
    return QStringLiteral("%1: cannot read: %2").arg(path, QString::fromLocal8Bit(std::strerror(error)));
}

} // namespace

QString UserFile::kindOf(const QString &path)
{
    struct stat info {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return {};
    return describeMode(info.st_mode);
}

Status UserFile::checkRegular(const QString &path)
{
    struct stat info {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return Status::failure(systemError(path, errno));
    if (const QString kind = describeMode(info.st_mode); !kind.isEmpty())
        return Status::failure(notRegular(path, kind));
    return {};
}

Result<int> UserFile::openRegular(const QString &path)
{
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return Result<int>::failure(systemError(path, errno));
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        const int error = errno;
        ::close(fd);
        return Result<int>::failure(systemError(path, error));
    }
    if (const QString kind = describeMode(info.st_mode); !kind.isEmpty()) {
        ::close(fd);
        return Result<int>::failure(notRegular(path, kind));
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

Result<QByteArray> UserFile::readAll(const QString &path, qint64 maxBytes)
{
    const Result<int> fd = openRegular(path);
    if (!fd)
        return Result<QByteArray>::failure(fd.error());
    const auto tooLarge = [&] {
        return Result<QByteArray>::failure(
            QStringLiteral("%1 is larger than %2 bytes, the limit for this file; refused").arg(path).arg(maxBytes));
    };
    struct stat info {};
    if (::fstat(fd.value(), &info) == 0 && info.st_size > maxBytes) {
        ::close(fd.value());
        return tooLarge();
    }
    QByteArray bytes;
    constexpr qint64 kReadBytes = 1 << 20; // per read() call
    while (true) {
        const qint64 room = std::min<qint64>(kReadBytes, maxBytes + 1 - bytes.size());
        if (room <= 0)
            break;
        const qsizetype old = bytes.size();
        bytes.resize(old + room);
        const ssize_t got = ::read(fd.value(), bytes.data() + old, size_t(room));
        if (got < 0 && errno == EINTR) {
            bytes.resize(old);
            continue;
        }
        if (got < 0) {
            const int error = errno;
            ::close(fd.value());
            return Result<QByteArray>::failure(systemError(path, error));
        }
        bytes.resize(old + got);
        if (got == 0)
            break;
    }
    ::close(fd.value());
    if (bytes.size() > maxBytes)
        return tooLarge();
    return bytes;
}

} // namespace ts
