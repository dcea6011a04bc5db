#pragma once

#include "corpus/ColumnSwapDetector.h"
#include "corpus/ImportParams.h"
#include "corpus/ImportReport.h"
#include "corpus/RecordSource.h"
#include "corpus/SplitAssigner.h"
#include "util/Result.h"

#include <QSet>

#include <memory>
#include <optional>
#include <unordered_set>

class QSqlDatabase;

namespace ts {

class DocumentWriter;
class Project;
struct PreparedRecord;

/// Imports one file (or folder) into a named corpus of a project, all or nothing: the whole
/// import runs in one transaction, and a failure, a refusal or a cancellation leaves the
/// project exactly as it was. Streams the source: memory grows with the number of documents
/// only, by a fingerprint and an id each (duplicates are found and splits drawn in memory), not
/// with their text. The source is parsed on a second thread (RecordPrefetcher) while this one
/// writes.
///
/// Not thread-safe; a worker thread opens its own Project and runs the import there.
class CorpusImporter
{
public:
    /// Records read between two progress reports and abort checks.
    static constexpr int kBatchRecords = 4096;
    /// A longer label is refused: it is text, not a class (a label column in the wrong place).
    static constexpr int kMaxLabelChars = 64;
    /// More distinct labels than this and the file is refused: the "label" column is not one.
    static constexpr int kMaxDistinctLabels = 1000;

    /// Imports `params.path` into `params.corpus` of `project` (opened read-write). Every
    /// message names the file and, where there is one, the line.
    static Result<ImportReport> run(Project &project, const ImportParams &params);

private:
    CorpusImporter(const ImportParams &params, RecordSource &source);
    ~CorpusImporter();
    Status importAll(QSqlDatabase &db);
    Status prepare(QSqlDatabase &db);
    Status backfillFingerprints(QSqlDatabase &db);
    Status loadFingerprints(QSqlDatabase &db);
    Status consume(PreparedRecord &prepared);
    QString checkLabel(const SourceRecord &record) const;
    Status reject(const SourceRecord &record, const QString &reason);
    Status refuseSwappedColumns() const;
    Status insert(const SourceRecord &record, qint64 hash);
    Status reportProgress(const SourceRecord &last, qint64 bytesRead);
    Status finish(QSqlDatabase &db);
    Status recordImport(QSqlDatabase &db);
    Status collectWarnings(QSqlDatabase &db);

    const ImportParams &m_params;
    RecordSource &m_source;
    ImportReport m_report;
    QByteArray m_split;      // split of every document, unless m_assigner draws them
    std::optional<SplitAssigner> m_assigner; // labelled imports without a named split
    bool m_readLabels = false;
    qint64 m_corpusId = 0;
    QSet<QString> m_labels;  // distinct labels seen
    ColumnSwapDetector m_swap; // the first rows' texts and labels, as read
    std::unordered_set<qint64> m_fingerprints; // of the corpus's documents, this import's included
    std::unique_ptr<DocumentWriter> m_writer;
};

} // namespace ts
