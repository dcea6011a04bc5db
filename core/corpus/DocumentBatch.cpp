#include "corpus/DocumentBatch.h"

#include <cstring>

namespace ts {

void DocumentBatch::append(qint64 id, const char *split, QByteArrayView text, const std::optional<QString> &label,
                           QStringView origin, qint64 fingerprint)
{
    Row row{id, fingerprint, split, 0, text.size(), 0, -1, 0, 0};
    row.text = appendBytes(text);
    if (label) {
        row.label = appendUtf8(*label);
        row.labelSize = m_bytes.size() - row.label;
    }
    row.origin = appendUtf8(origin);
    row.originSize = m_bytes.size() - row.origin;
    m_rows.push_back(row);
}

void DocumentBatch::clear()
{
    m_bytes.resize(0); // unlike clear(), keeps the allocation
    m_rows.clear();
    progress = {};
    lastOrigin.clear();
    error.clear();
    last = false;
}

// Returns where `bytes` start in the buffer.
qsizetype DocumentBatch::appendBytes(QByteArrayView bytes)
{
    const qsizetype at = m_bytes.size();
    m_bytes.resize(at + bytes.size()); // grows geometrically, leaves the new bytes uninitialised
    if (!bytes.isEmpty())
        std::memcpy(m_bytes.data() + at, bytes.data(), size_t(bytes.size()));
    return at;
}

// Encodes `text` straight into the buffer (a QString::toUtf8() would allocate); returns where it starts.
qsizetype DocumentBatch::appendUtf8(QStringView text)
{
    const qsizetype at = m_bytes.size();
    m_bytes.resize(at + m_encoder.requiredSpace(text.size()));
    const char *end = m_encoder.appendToBuffer(m_bytes.data() + at, text);
    m_bytes.resize(end - m_bytes.constData());
    return at;
}

} // namespace ts
