#include "model/SafeTensorsFile.h"

#include "util/UserFile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

#include <algorithm>
#include <cmath>

namespace ts {

namespace {

constexpr qint64 kLengthPrefixBytes = 8;           // little-endian u64 header length
constexpr qint64 kMaxHeaderBytes = 100 * 1000 * 1000; // refuse larger JSON headers (100 MB)
constexpr double kMaxExactInteger = 9007199254740992.0; // 2^53: JSON numbers above are inexact
const QString kMetadataKey = QStringLiteral("__metadata__");

/// A non-negative integer stored in a JSON number, or -1.
qint64 toIndex(const QJsonValue &value)
{
    if (!value.isDouble())
        return -1;
    const double number = value.toDouble();
    if (number < 0 || number > kMaxExactInteger || std::floor(number) != number)
        return -1;
    return static_cast<qint64>(number);
}

/// `count * dim`, or -1 when the product exceeds `limit` (guards against overflow).
qint64 checkedProduct(qint64 count, qint64 dim, qint64 limit)
{
    if (dim != 0 && count > limit / dim)
        return -1;
    return count * dim;
}

} // namespace

Result<SafeTensorsFile> SafeTensorsFile::open(const QString &path)
{
    const Result<int> fd = UserFile::openRegular(path);
    if (!fd)
        return Result<SafeTensorsFile>::failure(fd.error());
    auto file = std::make_shared<QFile>(path);
    if (!file->open(fd.value(), QIODevice::ReadOnly, QFileDevice::AutoCloseHandle))
        return Result<SafeTensorsFile>::failure(
            QStringLiteral("Cannot open %1: %2").arg(path, file->errorString()));
    const qint64 size = file->size();
    if (size < kLengthPrefixBytes)
        return Result<SafeTensorsFile>::failure(
            QStringLiteral("%1 is truncated: %2 bytes, shorter than the 8-byte header length").arg(path).arg(size));
    // Private (copy-on-write): pages are shared with the page cache until something writes to a
    // tensor viewing them (e.g. a checkpoint restored into a frozen weight), which then gets its own
    // copy of those pages; the file is never written.
    const uchar *base = file->map(0, size, QFileDevice::MapPrivateOption);
    if (!base)
        return Result<SafeTensorsFile>::failure(
            QStringLiteral("Cannot map %1 into memory: %2").arg(path, file->errorString()));
    return parse(base, size, path, std::move(file));
}

Result<SafeTensorsFile> SafeTensorsFile::fromBytes(const QByteArray &bytes, const QString &name)
{
    if (bytes.size() < kLengthPrefixBytes)
        return Result<SafeTensorsFile>::failure(
            QStringLiteral("%1 is truncated: %2 bytes, shorter than the 8-byte header length").arg(name).arg(bytes.size()));
    auto owner = std::make_shared<QByteArray>(bytes);
    const auto *base = reinterpret_cast<const uchar *>(owner->constData());
    const qint64 size = owner->size(); // before `owner` is moved into the call
    return parse(base, size, name, std::move(owner));
}

Result<SafeTensorsFile> SafeTensorsFile::parse(const uchar *base, qint64 size, const QString &path,
                                               std::shared_ptr<const void> owner)
{
    const auto headerBytes = static_cast<qint64>(qFromLittleEndian<quint64>(base));
    if (headerBytes < 0 || headerBytes > kMaxHeaderBytes)
        return Result<SafeTensorsFile>::failure(
            QStringLiteral("%1: header length %2 exceeds the %3-byte limit; not a safetensors file or corrupt")
                .arg(path).arg(static_cast<quint64>(headerBytes)).arg(kMaxHeaderBytes));
    if (kLengthPrefixBytes + headerBytes > size)
        return Result<SafeTensorsFile>::failure(
            QStringLiteral("%1 is truncated: the header claims %2 bytes but the file has only %3 after the length")
                .arg(path).arg(headerBytes).arg(size - kLengthPrefixBytes));

    SafeTensorsFile result;
    result.m_path = path;
    const QByteArray json = QByteArray::fromRawData(reinterpret_cast<const char *>(base) + kLengthPrefixBytes,
                                                    static_cast<qsizetype>(headerBytes));
    const qint64 dataSize = size - kLengthPrefixBytes - headerBytes;
    if (Status parsed = result.parseHeader(json, dataSize); !parsed)
        return Result<SafeTensorsFile>::failure(parsed.error());
    if (Status layout = result.checkLayout(dataSize); !layout)
        return Result<SafeTensorsFile>::failure(layout.error());
    result.m_data = base + kLengthPrefixBytes + headerBytes;
    result.m_owner = std::move(owner);
    return result;
}

const SafeTensorsEntry *SafeTensorsFile::find(const QString &name) const
{
    const auto it = std::lower_bound(m_entries.begin(), m_entries.end(), name,
                                     [](const SafeTensorsEntry &e, const QString &n) { return e.name < n; });
    return it != m_entries.end() && it->name == name ? &*it : nullptr;
}

const uchar *SafeTensorsFile::data(const SafeTensorsEntry &entry) const
{
    return m_data + entry.begin;
}

Status SafeTensorsFile::parseHeader(const QByteArray &json, qint64 dataSize)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return Status::failure(QStringLiteral("%1: the header is not a JSON object (%2 at byte %3)")
                                   .arg(m_path, error.errorString()).arg(error.offset));
    const QJsonObject root = document.object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() == kMetadataKey) {
            const QJsonObject metadata = it.value().toObject();
            for (auto m = metadata.begin(); m != metadata.end(); ++m) {
                if (!m.value().isString())
                    return Status::failure(QStringLiteral("%1: __metadata__ value \"%2\" is not a string")
                                               .arg(m_path, m.key()));
                m_metadata.insert(m.key(), m.value().toString());
            }
            continue;
        }
        const QJsonObject spec = it.value().toObject();
        const QString where = QStringLiteral("%1: tensor \"%2\"").arg(m_path, it.key());
        const auto dtype = dtypeFromName(spec.value(QStringLiteral("dtype")).toString());
        if (!dtype)
            return Status::failure(QStringLiteral("%1 has unsupported dtype \"%2\" (supported: F32, F16, BF16, F64, "
                                                  "I64, I32, I16, I8, U8, BOOL)")
                                       .arg(where, spec.value(QStringLiteral("dtype")).toString()));
        SafeTensorsEntry entry;
        entry.name = it.key();
        entry.dtype = *dtype;
        if (!spec.value(QStringLiteral("shape")).isArray())
            return Status::failure(QStringLiteral("%1 has no shape").arg(where));
        qint64 bytes = dtypeSize(*dtype);
        for (const QJsonValue &dim : spec.value(QStringLiteral("shape")).toArray()) {
            const qint64 value = toIndex(dim);
            if (value < 0)
                return Status::failure(QStringLiteral("%1 has an invalid shape").arg(where));
            entry.shape.append(value);
            bytes = checkedProduct(bytes, value, static_cast<qint64>(kMaxExactInteger));
            if (bytes < 0)
                return Status::failure(QStringLiteral("%1 has a shape too large to address").arg(where));
        }
        const QJsonArray offsets = spec.value(QStringLiteral("data_offsets")).toArray();
        entry.begin = offsets.size() == 2 ? toIndex(offsets.at(0)) : -1;
        entry.end = offsets.size() == 2 ? toIndex(offsets.at(1)) : -1;
        if (entry.begin < 0 || entry.end < entry.begin)
            return Status::failure(QStringLiteral("%1 has invalid data_offsets").arg(where));
        if (entry.end - entry.begin != bytes)
            return Status::failure(QStringLiteral("%1: shape x dtype size is %2 bytes but data_offsets span %3")
                                       .arg(where).arg(bytes).arg(entry.end - entry.begin));
        if (entry.end > dataSize)
            return Status::failure(QStringLiteral("%1 is truncated: tensor \"%2\" ends at byte %3 of the data section, "
                                                  "which has only %4 bytes")
                                       .arg(m_path, entry.name).arg(entry.end).arg(dataSize));
        m_entries.push_back(std::move(entry));
    }
    std::sort(m_entries.begin(), m_entries.end(),
              [](const SafeTensorsEntry &a, const SafeTensorsEntry &b) { return a.name < b.name; });
    return {};
}

Status SafeTensorsFile::checkLayout(qint64 dataSize) const
{
    std::vector<const SafeTensorsEntry *> byOffset;
    for (const SafeTensorsEntry &entry : m_entries)
        byOffset.push_back(&entry);
    std::sort(byOffset.begin(), byOffset.end(), [](const SafeTensorsEntry *a, const SafeTensorsEntry *b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    qint64 covered = 0;
    const SafeTensorsEntry *previous = nullptr;
    for (const SafeTensorsEntry *entry : byOffset) {
        if (entry->begin < covered)
            return Status::failure(QStringLiteral("%1: tensors \"%2\" and \"%3\" overlap (bytes %4..%5 and %6..%7)")
                                       .arg(m_path, previous->name, entry->name)
                                       .arg(previous->begin).arg(previous->end)
                                       .arg(entry->begin).arg(entry->end));
        if (entry->begin > covered)
            return Status::failure(QStringLiteral("%1: bytes %2..%3 of the data section belong to no tensor")
                                       .arg(m_path).arg(covered).arg(entry->begin));
        covered = entry->end;
        previous = entry;
    }
    if (covered != dataSize)
        return Status::failure(QStringLiteral("%1: the data section has %2 bytes after the last tensor")
                                   .arg(m_path).arg(dataSize - covered));
    return {};
}

} // namespace ts
