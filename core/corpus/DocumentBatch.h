#pragma once

#include "corpus/ImportParams.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringEncoder>

#include <optional>
#include <vector>

namespace ts {

/// Documents an import stores together: decided on the reading thread (RecordTriage), written
/// on the importing one (DocumentWriter). Their texts, labels and origins lie in one UTF-8
/// buffer, so that writing them allocates nothing and a batch is freed, or reused, as a whole.
class DocumentBatch
{
public:
    /// One document: where its strings lie in the buffer (offsets and sizes in bytes), and the
    /// rest of its row in the documents table.
    struct Row
    {
        qint64 id;           ///< the row's id, chosen by the importer
        qint64 fingerprint;  ///< TextFingerprint of the text
        const char *split;   ///< "train", ..., "unlabeled"; a string that outlives the batch
        qsizetype text;
        qsizetype textSize;
        qsizetype label;
        qsizetype labelSize; ///< negative: the document has no label
        qsizetype origin;
        qsizetype originSize;
    };

    /// Adds a document; `text` is valid UTF-8.
    void append(qint64 id, const char *split, QByteArrayView text, const std::optional<QString> &label,
                QStringView origin, qint64 fingerprint);
    /// Empties the batch, keeping its memory for the next one.
    void clear();

    const std::vector<Row> &rows() const { return m_rows; }
    /// The buffer's bytes at `offset`.
    const char *bytesAt(qsizetype offset) const { return m_bytes.constData() + offset; }

    ImportProgress progress; ///< where the import stood after this batch
    QString lastOrigin;      ///< origin of the batch's last record, good or bad
    QString error;           ///< non-empty: the import stops here and fails with this message
    bool last = false;       ///< no batch follows

private:
    qsizetype appendBytes(QByteArrayView bytes);
    qsizetype appendUtf8(QStringView text);

    QByteArray m_bytes;
    std::vector<Row> m_rows;
    QStringEncoder m_encoder{QStringEncoder::Utf8, QStringEncoder::Flag::Stateless};
};

} // namespace ts
