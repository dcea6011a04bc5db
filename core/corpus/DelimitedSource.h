#pragma once

#include "corpus/ChunkReader.h"
#include "corpus/ImportParams.h"
#include "corpus/RecordScanner.h"
#include "corpus/RecordSource.h"

#include <QStringList>

namespace ts {

/// Records of a CSV or TSV file: one column holds the text, another (optionally) the label,
/// chosen by header name or 0-based index.
class DelimitedSource : public RecordSource
{
public:
    /// Opens `params.path` split on `delimiter` and resolves the columns (reading the header).
    static Result<std::unique_ptr<RecordSource>> open(const ImportParams &params, char delimiter);

    Result<bool> next(SourceRecord &record) override;
    bool labelled() const override { return m_labelIndex >= 0; }
    QString textColumnName() const override { return columnName(m_textIndex); }
    QString labelColumnName() const override { return columnName(m_labelIndex); }
    qint64 bytesRead() const override { return m_reader.bytesRead(); }
    qint64 totalBytes() const override { return m_reader.totalBytes(); }

private:
    DelimitedSource(const ImportParams &params, char delimiter);
    Status resolveColumns(const ImportParams &params);
    Result<int> resolve(const QString &column, const QString &role) const;
    QString columnName(int index) const;

    ChunkReader m_reader;
    RecordScanner m_scanner;
    char m_delimiter;
    bool m_hasHeader;
    bool m_swallowCheck;         // refuse quoted fields that swallow records (ImportParams::quotedNewlines)
    bool m_expectedKnown = false; // without a header: whether the first row has set the fields per record
    QStringList m_header;
    int m_textIndex = 0;
    int m_labelIndex = -1;
    QList<QByteArray> m_fields;
};

} // namespace ts
