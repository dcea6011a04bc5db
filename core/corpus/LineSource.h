#pragma once

#include "corpus/ChunkReader.h"
#include "corpus/ImportParams.h"
#include "corpus/RecordScanner.h"
#include "corpus/RecordSource.h"

namespace ts {

/// Records of a plain text file: each non-blank line is one unlabelled document.
class LineSource : public RecordSource
{
public:
    /// Opens `params.path`.
    static Result<std::unique_ptr<RecordSource>> open(const ImportParams &params);

    Result<bool> next(SourceRecord &record) override;
    bool labelled() const override { return false; }
    qint64 bytesRead() const override { return m_reader.bytesRead(); }
    qint64 totalBytes() const override { return m_reader.totalBytes(); }

private:
    explicit LineSource(const ImportParams &params);

    ChunkReader m_reader;
    RecordScanner m_scanner;
    QByteArray m_line;
};

} // namespace ts
