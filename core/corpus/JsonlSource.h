#pragma once

#include "corpus/ChunkReader.h"
#include "corpus/ImportParams.h"
#include "corpus/RecordScanner.h"
#include "corpus/RecordSource.h"

namespace ts {

/// Records of a JSON Lines file: each non-blank line is an object whose text field (default
/// "text") holds the document and whose label field (default "label", when the first object has
/// it) holds the label, a string or an integer.
class JsonlSource : public RecordSource
{
public:
    /// Opens `params.path` and reads ahead to its first object to settle the label field.
    static Result<std::unique_ptr<RecordSource>> open(const ImportParams &params);

    Result<bool> next(SourceRecord &record) override;
    bool labelled() const override { return !m_labelField.isEmpty(); }
    QString textColumnName() const override;
    QString labelColumnName() const override;
    qint64 bytesRead() const override { return m_reader.bytesRead(); }
    qint64 totalBytes() const override { return m_reader.totalBytes(); }

private:
    explicit JsonlSource(const ImportParams &params);
    Result<bool> readLine();
    void parse(SourceRecord &record) const;

    ChunkReader m_reader;
    RecordScanner m_scanner;
    QString m_textField;
    QString m_labelField;
    QByteArray m_line;
    bool m_pending = false; // m_line holds the first object, read ahead by open()
};

} // namespace ts
