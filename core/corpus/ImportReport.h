#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace ts {

/// A row an import rejected: where it is and why.
struct RowIssue
{
    QString origin; ///< "<file>:<line>"
    QString reason;

    /// "<file>:<line>: <reason>"
    QString toString() const { return origin + QStringLiteral(": ") + reason; }
};

/// What an import did; plain values, safe to hand to another thread.
struct ImportReport
{
    /// Rejected rows kept in `issues`; later ones are only counted.
    static constexpr int kMaxIssues = 1000;

    QString corpus;
    QString path;
    QString format;                    ///< the format used (after detection)
    qint64 records = 0;                ///< records read, good and bad
    qint64 documents = 0;              ///< documents stored
    qint64 duplicates = 0;             ///< records dropped as duplicates of the corpus's documents
    /// `duplicates` by where the text already was: the split of the corpus's document it repeats
    /// ("train", ...), or "" for an earlier record of this import.
    QMap<QString, qint64> duplicatesBySplit;
    qint64 rejected = 0;               ///< bad rows, skipped
    QMap<QString, qint64> splits;      ///< documents stored per split
    QList<RowIssue> issues;            ///< the first kMaxIssues bad rows
    QStringList warnings;              ///< e.g. a label no other corpus uses
};

} // namespace ts
