#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QString>

namespace ts {

/// Reads of files a user points at (corpora, model folders, projects). Only regular files are
/// read, after following links: a FIFO would block the reader forever and a device such as
/// /dev/zero never ends, so both are refused with a message naming the path and what it is. The
/// file is opened without blocking, and reads stop at a cap whatever the file claims its size is.
class UserFile
{
public:
    /// Fails unless `path` names a regular file (links followed). The message names the path and
    /// says what it is instead ("a FIFO (named pipe)", "a folder", "a character device", ...).
    static Status checkRegular(const QString &path);

    /// Opens `path` for reading without blocking and checks, on the open file, that it is a
    /// regular file. Returns the file descriptor, which the caller closes (QFile::open(fd, ...,
    /// QFileDevice::AutoCloseHandle) takes it over).
    static Result<int> openRegular(const QString &path);

    /// The whole of the regular file `path`, refused when it holds more than `maxBytes` bytes.
    /// At most `maxBytes` + 1 bytes are ever read.
    static Result<QByteArray> readAll(const QString &path, qint64 maxBytes);

    /// What `path` is when it is not a regular file, in words ("a FIFO (named pipe)"); empty for
    /// a regular file or a path that does not exist.
    static QString kindOf(const QString &path);
};

} // namespace ts
