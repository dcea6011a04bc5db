#include "corpus/ChunkReader.h"

#include "util/UserFile.h"

#include <QFileInfo>

namespace ts {

namespace {

// The UTF-8 encoding of U+FEFF, which some editors write at the start of UTF-8 files.
constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";
constexpr qsizetype kUtf8BomBytes = 3;
// Bytes at the start of a file searched for NUL, which text never holds and binary files do.
constexpr qsizetype kBinarySniffBytes = 8192;

QString normalisedName(const QString &encoding)
{
    return encoding.toLower().remove(QLatin1Char('-')).remove(QLatin1Char('_'));
}

bool isUtf8Name(const QString &encoding)
{
    const QString name = normalisedName(encoding);
    return name.isEmpty() || name == QLatin1String("utf8");
}

/// The byte order of UTF-16 `bytes` without a byte order mark, from where the zero bytes of
/// ASCII characters fall: big-endian puts them first. Little-endian (the platform's and
/// Python's default) unless the big-endian evidence wins.
bool looksBigEndian(QByteArrayView bytes)
{
    qsizetype even = 0;
    qsizetype odd = 0;
    for (qsizetype i = 0; i + 1 < bytes.size(); i += 2) {
        even += bytes[i] == '\0';
        odd += bytes[i + 1] == '\0';
    }
    return even > odd;
}

/// Line (1-based) of `offset` in `bytes`, counting LF, CRLF and bare CR as line breaks.
qint64 lineOf(QByteArrayView bytes, qsizetype offset)
{
    qint64 line = 1;
    for (qsizetype i = 0; i < offset; ++i) {
        if (bytes[i] == '\n' || (bytes[i] == '\r' && bytes[i + 1] != '\n'))
            ++line;
    }
    return line;
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
    // Files on disk must be regular files (a FIFO would block, a device never end); Qt resources
    // (the sample corpora, compiled in) are neither.
    bool opened = false;
    if (info.isNativePath()) {
        const Result<int> fd = UserFile::openRegular(m_path);
        if (!fd)
            return Status::failure(fd.error());
        opened = m_file.open(fd.value(), QIODevice::ReadOnly, QFileDevice::AutoCloseHandle);
    } else {
        opened = m_file.open(QIODevice::ReadOnly);
    }
    if (!opened)
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
    if (m_decoder && atStart && normalisedName(m_encoding) == QLatin1String("utf16")
        && !bytes.startsWith("\xFF\xFE") && !bytes.startsWith("\xFE\xFF") && looksBigEndian(bytes))
        m_decoder.emplace(QStringDecoder::Utf16BE);
    if (m_decoder) {
        buffer.append(QString(m_decoder->decode(bytes)).toUtf8());
        return true;
    }
    if (atStart) {
        if (const qsizetype nul = bytes.first(std::min(kBinarySniffBytes, bytes.size())).indexOf('\0'); nul >= 0) {
            m_errorLine = lineOf(bytes, nul);
            return Result<bool>::failure(QStringLiteral("this looks like a binary file, not text (a NUL byte on this line)"));
        }
    }
    if (atStart && bytes.startsWith(QByteArrayView(kUtf8Bom, kUtf8BomBytes)))
        bytes = bytes.sliced(kUtf8BomBytes);
    buffer.append(bytes);
    return true;
}

} // namespace ts
