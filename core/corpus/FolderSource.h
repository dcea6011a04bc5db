#pragma once

#include "corpus/ImportParams.h"
#include "corpus/RecordSource.h"

#include <QList>
#include <QString>

namespace ts {

/// Records of a folder laid out as Create ML's text classifier data: one sub-folder per label,
/// each `.txt` file inside one document. Sub-folders and files are read in name order.
class FolderSource : public RecordSource
{
public:
    /// Lists `params.path`. Fails when it is not a folder or holds no `.txt` file in a sub-folder.
    static Result<std::unique_ptr<RecordSource>> open(const ImportParams &params);

    Result<bool> next(SourceRecord &record) override;
    bool labelled() const override { return m_labelled; }
    qint64 bytesRead() const override { return m_bytesRead; }
    qint64 totalBytes() const override { return m_totalBytes; }
    QStringList skipped() const override { return m_skipped; }

private:
    struct Entry
    {
        QString label;
        QString path;
    };

    explicit FolderSource(const ImportParams &params);
    Result<QByteArray> readFile(const QString &path);

    QString m_encoding;
    bool m_labelled;
    QList<Entry> m_entries;
    QStringList m_skipped; // links that leave the folder, with why
    qsizetype m_next = 0;
    qint64 m_bytesRead = 0;
    qint64 m_totalBytes = 0;
};

} // namespace ts
