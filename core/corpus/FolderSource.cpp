#include "corpus/FolderSource.h"

#include "corpus/ChunkReader.h"
#include "corpus/RecordScanner.h"
#include "corpus/Utf8Validator.h"

#include <QDir>
#include <QFileInfo>

namespace ts {

FolderSource::FolderSource(const ImportParams &params)
    : m_encoding(params.encoding), m_labelled(params.split != ImportSplit::Unlabeled)
{
}

Result<std::unique_ptr<RecordSource>> FolderSource::open(const ImportParams &params)
{
    using R = Result<std::unique_ptr<RecordSource>>;
    const QDir root(params.path);
    if (!QFileInfo(params.path).isDir())
        return R::failure(QStringLiteral("%1 is not a folder (the folder format wants one sub-folder per label)").arg(params.path));
    std::unique_ptr<FolderSource> source(new FolderSource(params));
    // Links are followed only while they stay inside the folder: a link in pos/ to /etc/shadow
    // must not become a document.
    const QString inside = QFileInfo(params.path).canonicalFilePath() + QLatin1Char('/');
    const auto staysInside = [&](const QFileInfo &entry) {
        if (entry.canonicalFilePath().startsWith(inside))
            return true;
        source->m_skipped.append(QStringLiteral("%1: skipped: a link to %2, outside the imported folder")
                                     .arg(entry.filePath(), entry.symLinkTarget()));
        return false;
    };
    const QFileInfoList labels = root.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo &label : labels) {
        if (!staysInside(label))
            continue;
        const QDir folder(label.filePath());
        const QFileInfoList files = folder.entryInfoList({QStringLiteral("*.txt")}, QDir::Files, QDir::Name);
        for (const QFileInfo &file : files) {
            if (!staysInside(file))
                continue;
            source->m_entries.append({label.fileName(), file.filePath()});
            source->m_totalBytes += file.size();
        }
    }
    if (source->m_entries.isEmpty())
        return R::failure(QStringLiteral("%1: no .txt files in sub-folders (the folder format wants one sub-folder "
                                         "per label holding .txt files)")
                              .arg(params.path));
    return std::unique_ptr<RecordSource>(std::move(source));
}

Result<bool> FolderSource::next(SourceRecord &record)
{
    if (m_next >= m_entries.size())
        return false;
    const Entry &entry = m_entries.at(m_next++);
    const Result<QByteArray> text = readFile(entry.path);
    if (!text)
        return Result<bool>::failure(text.error());
    record.origin = entry.path;
    record.text = text.value();
    record.label.reset();
    if (m_labelled)
        record.label = entry.label;
    record.rejection.clear();
    return true;
}

// The whole file as one document in UTF-8, bounded by the per-record cap.
Result<QByteArray> FolderSource::readFile(const QString &path)
{
    ChunkReader reader(path, m_encoding);
    if (const Status opened = reader.open(); !opened)
        return Result<QByteArray>::failure(opened.error());
    if (reader.totalBytes() > RecordScanner::kMaxRecordBytes) {
        return Result<QByteArray>::failure(QStringLiteral("%1:1: the file is larger than %2 MiB, the limit per document")
                                            .arg(path)
                                            .arg(RecordScanner::kMaxRecordBytes >> 20));
    }
    QByteArray bytes;
    while (true) {
        const Result<bool> more = reader.readInto(bytes);
        if (!more)
            return Result<QByteArray>::failure(
                QStringLiteral("%1:%2: %3").arg(path).arg(std::max<qint64>(1, reader.errorLine())).arg(more.error()));
        if (!more.value())
            break;
    }
    m_bytesRead += reader.bytesRead();
    if (const qsizetype bad = Utf8Validator::firstInvalid(bytes); bad >= 0) {
        const qint64 line = bytes.left(bad).count('\n') + 1;
        return Result<QByteArray>::failure(
            QStringLiteral("%1:%2: the file %3").arg(path).arg(line).arg(Utf8Validator::describe(bytes, bad)));
    }
    return bytes;
}

} // namespace ts
