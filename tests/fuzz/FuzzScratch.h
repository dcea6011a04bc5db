#pragma once

#include <QByteArray>
#include <QString>

namespace ts::fuzz {

/// A private temporary folder for the inputs of the file-based parsers, made on first use and
/// removed at exit. Put it on a RAM disk (TMPDIR=/dev/shm) when fuzzing: every input is written.
class FuzzScratch
{
public:
    /// The path of `name` inside the folder (nothing is created).
    static QString path(const QString &name);

    /// Writes `bytes` to `name` inside the folder, replacing it, and returns its path; empty when
    /// the write fails (the disk is full).
    static QString write(const QString &name, const QByteArray &bytes);
};

} // namespace ts::fuzz
