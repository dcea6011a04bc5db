#include "corpus/ChunkReader.h"

#include <QFileInfo>

namespace ts {

namespace {

// The UTF-8 encoding of U+FEFF, which some editors write at the start of UTF-8 files.
constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";
constexpr qsizetype kUtf8BomBytes = 3;
// Bytes at the start of a file searched for NUL, which text never holds and binary files do.
constexpr qsizetype kBinarySniffBytes = 8192;

bool isUtf8Name(const QString &encoding)
{
    const QString name = encoding.toLower().remove(QLatin1Char('-')).remove(QLatin1Char('_'));
    return name.isEmpty() || name == QLatin1String("utf8");
}

} // namespace

ChunkReader::ChunkReader(QString path, QString encoding)
    : m_path(std::move(path)), m_encoding(std::move(encoding)), m_file(m_path)
{
}

Status ChunkReader::open()
{
    const QFileInfo info(m_path);
    if (!info.exists())
        return Status::failure(QStringLiteral("%1: no such file").arg(m_path));
    if (info.isDir())
        return Status::failure(QStringLiteral("%1 is a folder; import it with the folder format").arg(m_path));
    if (!isUtf8Name(m_encoding)) {
        m_decoder.emplace(m_encoding.toLatin1().constData());
        if (!m_decoder->isValid())
            return Status::failure(QStringLiteral("%1: unknown encoding '%2' (try utf-8, windows-1252, latin1 or utf-16)")
                                       .arg(m_path, m_encoding));
    }
    if (!m_file.open(QIODevice::ReadOnly))
        return Status::failure(QStringLiteral("%1: cannot read: %2").arg(m_path, m_file.errorString()));
    m_totalBytes = m_file.size();
    return {};
}

Result<bool> ChunkReader::readInto(QByteArray &buffer)
{
    // Reading an unlinked file still succeeds on POSIX systems; a file that has gone away means
    // the user moved or deleted it, and importing the rest from a stale handle would surprise them.
    if (!QFileInfo::exists(m_path))
        return Result<bool>::failure(QStringLiteral("was removed or renamed during the import"));
    m_chunk.resize(kChunkBytes);
    const qint64 got = m_file.read(m_chunk.data(), kChunkBytes);
    if (got < 0)
        return Result<bool>::failure(QStringLiteral("read error: %1").arg(m_file.errorString()));
    if (got == 0)
        return false;
    const bool atStart = m_bytesRead == 0;
    m_bytesRead += got;
    QByteArrayView bytes(m_chunk.constData(), got);
    if (m_decoder) {
        buffer.append(QString(m_decoder->decode(bytes)).toUtf8());
        return true;
    }
    if (atStart && bytes.first(std::min(kBinarySniffBytes, bytes.size())).contains('\0'))
        return Result<bool>::failure(QStringLiteral("this looks like a binary file (it holds NUL bytes), not text"));
    if (atStart && bytes.startsWith(QByteArrayView(kUtf8Bom, kUtf8BomBytes)))
        bytes = bytes.sliced(kUtf8BomBytes);
    buffer.append(bytes);
    return true;
}

} // namespace ts
