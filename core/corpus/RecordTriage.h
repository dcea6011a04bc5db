#pragma once

#include "corpus/ColumnSwapDetector.h"
#include "corpus/ImportParams.h"
#include "corpus/ImportReport.h"
#include "util/Result.h"

#include <QSet>

#include <QStringList>

#include <unordered_map>

namespace ts {

class DocumentBatch;
class RecordSource;
class SplitAssigner;
struct SourceRecord;

/// The decisions an import makes about each record without the database: rejects bad rows
/// (with the bad-row threshold), maps and checks labels, refuses swapped columns and too many
/// labels, drops duplicates, draws splits and numbers the documents it keeps, which go into a
/// DocumentBatch. Runs on RecordPrefetcher's thread, so the importing thread only writes.
///
/// Not thread-safe: while the prefetcher reads, only its thread may touch the triage and the
/// report it counts into.
class RecordTriage
{
public:
    /// A longer label is refused: it is text, not a class (a label column in the wrong place).
    static constexpr int kMaxLabelChars = 64;
    /// More distinct labels than this and the file is refused: the "label" column is not one.
    static constexpr int kMaxDistinctLabels = 1000;

    /// Index of "kept by this import" in Plan::fingerprints.
    static constexpr quint8 kThisImport = 255;

    /// Where the documents go and what they must differ from.
    struct Plan
    {
        bool readLabels = false;            ///< false: labels, if any, are dropped
        const char *split = nullptr;        ///< every document's split, unless `assigner` draws them
        SplitAssigner *assigner = nullptr;  ///< draws each labelled document's split; outlives the triage
        /// The corpus's documents (duplicate removal): fingerprint -> index in `fingerprintSplits`
        /// of the split the document is in; kThisImport for documents this import keeps.
        std::unordered_map<qint64, quint8> fingerprints;
        QStringList fingerprintSplits;      ///< split names the fingerprints' indexes refer to
        qint64 firstId = 1;                 ///< id of the first document kept; the next ones follow
    };

    /// Counts into `report` (records, documents, duplicates, rejected, issues).
    RecordTriage(const ImportParams &params, const RecordSource &source, ImportReport &report, Plan plan);

    /// Decides `record` (its label may be rewritten) and appends it to `batch` if kept. Fails
    /// when the import must stop here; the message names the file, and the line where one is to blame.
    Status take(SourceRecord &record, DocumentBatch &batch);

    /// Fails when the rows seen so far look like swapped text and label columns.
    Status refuseSwappedColumns() const;

    /// The counts so far, for a progress report (no byte counts).
    ImportProgress progress() const;

    /// The distinct labels of the documents kept.
    const QSet<QString> &labels() const { return m_labels; }

private:
    Status observeColumns(const SourceRecord &record);
    Status countLabel(const SourceRecord &record);
    QString checkLabel(const QString &label) const;
    Status reject(const SourceRecord &record, const QString &reason);
    void keep(const SourceRecord &record, DocumentBatch &batch);

    const ImportParams &m_params;
    const RecordSource &m_source;
    ImportReport &m_report;
    Plan m_plan;
    QSet<QString> m_labels;
    ColumnSwapDetector m_swap; // the first rows' texts and labels, as read
};

} // namespace ts
