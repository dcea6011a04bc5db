#pragma once

#include "model/SafeTensorsEntry.h"
#include "util/Result.h"

#include <QMap>
#include <QString>

#include <memory>
#include <vector>

namespace ts {

/// A memory-mapped safetensors file whose header has been validated in full: header length, JSON,
/// dtypes, `shape x dtype size` against each byte range, ranges inside the data section, not
/// overlapping and covering it. Nothing is copied; `data()` points into the mapping.
///
/// Torch-free: the GUI and CLI may use it to inspect a checkpoint (names, dtypes, shapes).
/// Copies share the mapping, which lives until the last copy (and `keepAlive()` holder) is gone.
/// Read-only and thread-safe once opened.
///
/// The file is opened once, mapped copy-on-write and validated then; nothing reads it again. A file
/// replaced on disk (renamed over, as every writer here and Hugging Face's do) leaves the mapping on the
/// old contents. A file truncated or rewritten in place while mapped is not detected: pages not yet
/// read show the new bytes, and reading past a truncated end raises SIGBUS, as with any mmap reader.
class SafeTensorsFile
{
public:
    /// Maps and validates `path`; the error names the file and the offending tensor or field.
    static Result<SafeTensorsFile> open(const QString &path);
    /// Validates `bytes` (a safetensors image held in memory, e.g. a checkpoint blob) like open();
    /// `name` stands for the path in errors. The result shares `bytes` without copying.
    static Result<SafeTensorsFile> fromBytes(const QByteArray &bytes, const QString &name);

    /// The file this was opened from.
    const QString &path() const { return m_path; }

    /// Every tensor, sorted by name.
    const std::vector<SafeTensorsEntry> &entries() const { return m_entries; }

    /// The entry called `name`, or null.
    const SafeTensorsEntry *find(const QString &name) const;

    /// The `__metadata__` string map (e.g. {"format": "pt"}).
    const QMap<QString, QString> &metadata() const { return m_metadata; }

    /// First byte of `entry`'s data inside the mapping (valid while this object or a keepAlive() lives).
    const uchar *data(const SafeTensorsEntry &entry) const;

    /// A handle that keeps the mapping alive (for tensors viewing it without a copy).
    std::shared_ptr<const void> keepAlive() const { return m_owner; }

private:
    static Result<SafeTensorsFile> parse(const uchar *base, qint64 size, const QString &path,
                                         std::shared_ptr<const void> owner);
    Status parseHeader(const QByteArray &json, qint64 dataSize);
    Status checkLayout(qint64 dataSize) const;

    QString m_path;
    std::shared_ptr<const void> m_owner; // the open, mapped QFile or the QByteArray holding the bytes
    const uchar *m_data = nullptr; // start of the data section
    std::vector<SafeTensorsEntry> m_entries;
    QMap<QString, QString> m_metadata;
};

} // namespace ts
