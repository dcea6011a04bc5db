#pragma once

#include "corpus/ImportParams.h"
#include "corpus/ImportReport.h"
#include "corpus/RecordSource.h"
#include "corpus/RecordTriage.h"
#include "corpus/SplitAssigner.h"
#include "util/Result.h"

#include <memory>
#include <optional>
#include <unordered_set>

class QSqlDatabase;

namespace ts {

class DocumentBatch;
class DocumentWriter;
class Project;

/// Imports one file (or folder) into a named corpus of a project, all or nothing: the whole
/// import runs in one transaction, and a failure, a refusal or a cancellation leaves the
/// project exactly as it was. Streams the source: memory grows with the number of documents
/// only, by a fingerprint and an id each (duplicates are found and splits drawn in memory), not
/// with their text. The source is parsed, and every record decided (RecordTriage), on a second
/// thread (RecordPrefetcher) while this one writes.
///
/// Not thread-safe; a worker thread opens its own Project and runs the import there.
class CorpusImporter
{
public:
    /// Records read between two progress reports and abort checks.
    static constexpr int kBatchRecords = 4096;

    /// Imports `params.path` into `params.corpus` of `project` (opened read-write). Every
    /// message names the file and, where there is one, the line.
    static Result<ImportReport> run(Project &project, const ImportParams &params);

private:
    CorpusImporter(const ImportParams &params, RecordSource &source);
    ~CorpusImporter();
    Status importAll(QSqlDatabase &db);
    Status prepare(QSqlDatabase &db);
    Status chooseSplit(RecordTriage::Plan &plan);
    Status backfillFingerprints(QSqlDatabase &db);
    Status loadFingerprints(QSqlDatabase &db, RecordTriage::Plan &plan);
    Status writeAll();
    Status reportProgress(const DocumentBatch &batch);
    Status finish(QSqlDatabase &db);
    Status recordImport(QSqlDatabase &db);
    Status collectWarnings(QSqlDatabase &db);
    QStringList sortedLabels() const;

    const ImportParams &m_params;
    RecordSource &m_source;
    ImportReport m_report;   // counted by m_triage, on the prefetcher's thread while it reads
    QByteArray m_split;      // split of every document, unless m_assigner draws them
    std::optional<SplitAssigner> m_assigner; // labelled imports without a named split
    qint64 m_corpusId = 0;
    std::unique_ptr<DocumentWriter> m_writer;
    std::unique_ptr<RecordTriage> m_triage;
};

} // namespace ts
