#pragma once

#include "corpus/SourceRecord.h"
#include "util/Result.h"

#include <QStringList>

#include <memory>

namespace ts {

struct ImportParams;

/// A stream of records from one import source (a file or a folder), read one at a time so that
/// memory does not grow with the source. Not thread-safe.
class RecordSource
{
public:
    virtual ~RecordSource() = default;

    /// Opens the source named by `params` in its format (which must not be Auto). Fails on
    /// file-level problems: missing file, unknown encoding, a column absent from the header.
    static Result<std::unique_ptr<RecordSource>> open(const ImportParams &params);

    /// Reads the next record into `record`; false at the end. A bad row comes back as a record
    /// with a rejection; a failure means the source cannot be read on (its message names the
    /// file and line).
    virtual Result<bool> next(SourceRecord &record) = 0;

    /// Whether records carry labels.
    virtual bool labelled() const = 0;

    /// How messages name the columns holding the text and the label ("'review'", "2"); empty
    /// for sources without columns (plain text, folders).
    virtual QString textColumnName() const { return {}; }
    virtual QString labelColumnName() const { return {}; }

    /// Entries of the source left out, one sentence each naming the entry and why (a link that
    /// leaves an imported folder); the import report lists them.
    virtual QStringList skipped() const { return {}; }

    /// Progress: bytes consumed so far and in all (for folders, of all files together).
    virtual qint64 bytesRead() const = 0;
    virtual qint64 totalBytes() const = 0;
};

} // namespace ts
