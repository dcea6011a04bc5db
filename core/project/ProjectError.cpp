#include "project/ProjectError.h"

#include <QStringList>

namespace ts {

namespace {

// SQLite's texts (sqlite3ErrStr) for each kind. A write that hits a full disk or a file-size
// limit fails with SQLITE_FULL or, when nothing could be written, SQLITE_IOERR.
const QStringList kDiskFull{QStringLiteral("database or disk is full"), QStringLiteral("disk I/O error")};
const QStringList kReadOnly{QStringLiteral("attempt to write a readonly database"),
                            QStringLiteral("readonly database")};
// How explain() ends its messages: the failed transaction was rolled back.
const QString kNothingChanged = QStringLiteral("Nothing was changed");
const QStringList kLocked{QStringLiteral("database is locked"), QStringLiteral("database table is locked")};

bool mentions(const QString &message, const QStringList &texts)
{
    for (const QString &text : texts) {
        if (message.contains(text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

ProjectError::Kind ProjectError::classify(const QString &message)
{
    if (mentions(message, kDiskFull))
        return Kind::DiskFull;
    if (mentions(message, kReadOnly))
        return Kind::ReadOnly;
    if (mentions(message, kLocked))
        return Kind::Locked;
    return Kind::Other;
}

QString ProjectError::explain(const QString &message, const QString &path)
{
    switch (classify(message)) {
    case Kind::DiskFull:
        return QStringLiteral("%1: cannot write: the disk is full, or the file may not grow any further (%2); free some "
                              "space and try again. %3")
            .arg(path, message.simplified(), kNothingChanged);
    case Kind::ReadOnly:
        return readOnly(path, message.simplified());
    case Kind::Locked:
        return QStringLiteral("%1 is being changed by another program (another Transfer Studio window or command) "
                              "that did not finish within the wait (%2); try again when it has finished. %3")
            .arg(path, message.simplified(), kNothingChanged);
    case Kind::Other:
        break;
    }
    return message;
}

QString ProjectError::withKept(const QString &message, const QString &kept)
{
    if (!message.endsWith(kNothingChanged))
        return message;
    return message.left(message.size() - kNothingChanged.size()) + kept;
}

QString ProjectError::readOnly(const QString &path, const QString &reason)
{
    return QStringLiteral("%1 is read-only: Transfer Studio cannot save changes to it (%2); ask its owner for write "
                          "permission, or copy it to a folder of yours")
        .arg(path, reason);
}

} // namespace ts
