#include "corpus/CorpusImporter.h"

#include "corpus/CorpusStore.h"
#include "corpus/DocumentBatch.h"
#include "corpus/DocumentWriter.h"
#include "corpus/FormatDetector.h"
#include "corpus/RecordPrefetcher.h"
#include "corpus/RecordTriage.h"
#include "corpus/SplitAssigner.h"
#include "corpus/TextFingerprint.h"
#include "project/Project.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace ts {

namespace {

Status checkParams(const ImportParams &params)
{
    if (params.corpus.trimmed().isEmpty())
        return Status::failure(QStringLiteral("%1: no corpus name given for the import").arg(params.path));
    if (params.path.isEmpty())
        return Status::failure(QStringLiteral("no file given for the import into corpus '%1'").arg(params.corpus));
    if (!params.fractions.valid())
        return Status::failure(QStringLiteral("split fractions %1, %2, %3 must be non-negative and sum to 1")
                                   .arg(params.fractions.train)
                                   .arg(params.fractions.validation)
                                   .arg(params.fractions.test));
    if (params.maxBadRows < 0)
        return Status::failure(QStringLiteral("the bad-row threshold must be 0 or more, not %1").arg(params.maxBadRows));
    return {};
}

Result<ImportParams> settleFormat(const ImportParams &params)
{
    ImportParams settled = params;
    if (settled.format != CorpusFormat::Auto)
        return settled;
    const Result<FormatGuess> guess = FormatDetector::inspect(params.path, params.encoding, CorpusFormat::Auto, 0);
    if (!guess)
        return Result<ImportParams>::failure(guess.error());
    settled.format = guess->format;
    if (settled.delimiter == 0)
        settled.delimiter = guess->delimiter;
    return settled;
}

} // namespace

Result<ImportReport> CorpusImporter::run(Project &project, const ImportParams &params)
{
    using R = Result<ImportReport>;
    if (const Status valid = checkParams(params); !valid)
        return R::failure(valid.error());
    const Result<ImportParams> settled = settleFormat(params);
    if (!settled)
        return R::failure(settled.error());
    const auto source = RecordSource::open(settled.value());
    if (!source)
        return R::failure(source.error());
    CorpusImporter importer(settled.value(), *source.value());
    const Status status = project.transaction([&](QSqlDatabase &db) { return importer.importAll(db); });
    if (!status)
        return R::failure(status.error());
    return importer.m_report;
}

CorpusImporter::CorpusImporter(const ImportParams &params, RecordSource &source) : m_params(params), m_source(source)
{
    m_report.corpus = params.corpus;
    m_report.path = params.path;
    m_report.format = corpusFormatName(params.format);
}

CorpusImporter::~CorpusImporter() = default;

Status CorpusImporter::importAll(QSqlDatabase &db)
{
    if (const Status prepared = prepare(db); !prepared)
        return prepared;
    if (const Status written = writeAll(); !written)
        return written;
    if (m_report.records == 0)
        return Status::failure(QStringLiteral("%1:1: no records to import (the file is empty)").arg(m_params.path));
    if (const Status columns = m_triage->refuseSwappedColumns(); !columns)
        return columns;
    if (m_report.documents == 0 && m_report.rejected == m_report.records) {
        return Status::failure(QStringLiteral("%1: refused: all %2 record(s) are bad (first: %3)")
                                   .arg(m_params.path)
                                   .arg(m_report.records)
                                   .arg(m_report.issues.first().toString()));
    }
    return finish(db);
}

Status CorpusImporter::prepare(QSqlDatabase &db)
{
    RecordTriage::Plan plan;
    if (const Status chosen = chooseSplit(plan); !chosen)
        return chosen;
    const Result<qint64> corpus = CorpusStore::ensure(db, m_params.corpus);
    if (!corpus)
        return Status::failure(QStringLiteral("%1: %2").arg(m_params.path, corpus.error()));
    m_corpusId = corpus.value();
    if (m_params.removeDuplicates) {
        if (const Status backfilled = backfillFingerprints(db); !backfilled)
            return backfilled;
        if (const Status loaded = loadFingerprints(db, plan); !loaded)
            return loaded;
    }
    auto writer = DocumentWriter::open(db, m_corpusId);
    if (!writer)
        return Status::failure(QStringLiteral("%1: %2").arg(m_params.path, writer.error()));
    m_writer = std::move(writer.value());
    plan.firstId = m_writer->firstFreeId();
    m_triage = std::make_unique<RecordTriage>(m_params, m_source, m_report, std::move(plan));
    return {};
}

// Whether labels are read and where the documents go: one named split, or drawn per label.
Status CorpusImporter::chooseSplit(RecordTriage::Plan &plan)
{
    plan.readLabels = m_source.labelled() && m_params.split != ImportSplit::Unlabeled;
    if (m_params.split == ImportSplit::Unlabeled || (m_params.split == ImportSplit::Auto && !plan.readLabels)) {
        m_split = importSplitName(ImportSplit::Unlabeled).toLatin1();
    } else if (!plan.readLabels) {
        return Status::failure(QStringLiteral("%1: the source has no labels, so its documents cannot go to '%2'; "
                                              "choose the label column or import them as unlabelled")
                                   .arg(m_params.path, importSplitName(m_params.split)));
    } else if (m_params.split == ImportSplit::Auto) {
        m_assigner.emplace(m_params.fractions, m_params.seed);
        plan.assigner = &*m_assigner;
    } else {
        m_split = importSplitName(m_params.split).toLatin1();
    }
    plan.split = m_split.constData();
    return {};
}

// The fingerprints of the corpus's documents, so that duplicates are found in memory rather than
// by an index lookup per row (a few dozen bytes a document in the set, against hundreds for its
// text). Each keeps its document's split (one of the four the schema allows), so that a duplicate
// can be reported where it already is.
Status CorpusImporter::loadFingerprints(QSqlDatabase &db, RecordTriage::Plan &plan)
{
    QSqlQuery select(db);
    select.setForwardOnly(true);
    select.prepare(QStringLiteral("SELECT text_hash, split FROM documents WHERE corpus_id = ?"));
    select.addBindValue(m_corpusId);
    if (!select.exec())
        return Status::failure(select.lastError().text());
    while (select.next()) {
        const QString split = select.value(1).toString();
        qsizetype index = plan.fingerprintSplits.indexOf(split);
        if (index < 0) {
            plan.fingerprintSplits.append(split);
            index = plan.fingerprintSplits.size() - 1;
        }
        plan.fingerprints.try_emplace(select.value(0).toLongLong(), quint8(index));
    }
    return {};
}

// Documents stored before project format 3 have no fingerprint, nor have those whose
// fingerprints format 5 cleared; give them one so that the corpus's duplicates are found
// whatever their age.
Status CorpusImporter::backfillFingerprints(QSqlDatabase &db)
{
    QSqlQuery select(db);
    select.setForwardOnly(true);
    select.prepare(QStringLiteral("SELECT id, text FROM documents WHERE corpus_id = ? AND text_hash IS NULL"));
    select.addBindValue(m_corpusId);
    if (!select.exec())
        return Status::failure(select.lastError().text());
    QList<QPair<qint64, qint64>> updates;
    while (select.next())
        updates.append({select.value(0).toLongLong(), TextFingerprint::of(select.value(1).toString())});
    select.finish();
    QSqlQuery update(db);
    update.prepare(QStringLiteral("UPDATE documents SET text_hash = ? WHERE id = ?"));
    for (const auto &[id, hash] : std::as_const(updates)) {
        update.bindValue(0, hash);
        update.bindValue(1, id);
        if (!update.exec())
            return Status::failure(update.lastError().text());
    }
    return {};
}

// The prefetcher's thread reads and decides the records; this one writes the documents kept.
// m_report and m_triage are that thread's until the prefetcher is gone.
Status CorpusImporter::writeAll()
{
    RecordPrefetcher prefetcher(m_source, *m_triage, kBatchRecords);
    while (true) {
        DocumentBatch batch = prefetcher.next();
        if (!batch.error.isEmpty())
            return Status::failure(batch.error);
        if (const Status stored = m_writer->insert(batch); !stored)
            return stored;
        if (batch.last)
            return {};
        if (const Status progressed = reportProgress(batch); !progressed)
            return progressed;
        prefetcher.recycle(std::move(batch));
    }
}

Status CorpusImporter::reportProgress(const DocumentBatch &batch)
{
    if (m_params.progress)
        m_params.progress(batch.progress);
    if (m_params.abort && m_params.abort())
        return Status::failure(QStringLiteral("%1: import cancelled; the project is unchanged").arg(batch.lastOrigin));
    return {};
}

Status CorpusImporter::finish(QSqlDatabase &db)
{
    if (m_assigner) {
        const auto splits = m_assigner->settle(db);
        if (!splits)
            return Status::failure(QStringLiteral("%1: %2").arg(m_params.path, splits.error()));
        m_report.splits = splits.value();
    } else {
        m_report.splits[QString::fromLatin1(m_split)] = m_report.documents;
    }
    m_report.warnings.append(m_source.skipped());
    if (const Status warned = collectWarnings(db); !warned)
        return warned;
    if (const Status registered = CorpusStore::registerLabels(db, sortedLabels()); !registered)
        return registered;
    if (m_params.progress) {
        m_params.progress({m_source.totalBytes(), m_source.totalBytes(), m_report.records, m_report.documents,
                           m_report.rejected});
    }
    return recordImport(db);
}

// A label that no other corpus uses cannot be transferred to or from; say so while the user
// can still map it (ImportParams::labelMap).
Status CorpusImporter::collectWarnings(QSqlDatabase &db)
{
    const Result<QStringList> others = CorpusStore::labelsOutside(db, m_corpusId);
    if (!others)
        return Status::failure(others.error());
    if (others->isEmpty())
        return {};
    for (const QString &label : sortedLabels()) {
        if (!others->contains(label)) {
            m_report.warnings.append(QStringLiteral("%1: label '%2' is not used by any other corpus (their labels: %3)")
                                         .arg(m_params.path, label, others->join(QStringLiteral(", "))));
        }
    }
    return {};
}

QStringList CorpusImporter::sortedLabels() const
{
    QStringList labels(m_triage->labels().cbegin(), m_triage->labels().cend());
    labels.sort();
    return labels;
}

Status CorpusImporter::recordImport(QSqlDatabase &db)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT INTO imports(corpus_id, path, format, split, records, documents, duplicates, "
                                 "rejected, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(m_corpusId);
    query.addBindValue(m_params.path);
    query.addBindValue(m_report.format);
    query.addBindValue(importSplitName(m_params.split));
    query.addBindValue(m_report.records);
    query.addBindValue(m_report.documents);
    query.addBindValue(m_report.duplicates);
    query.addBindValue(m_report.rejected);
    query.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    if (!query.exec())
        return Status::failure(QStringLiteral("%1: cannot record the import: %2").arg(m_params.path, query.lastError().text()));
    return {};
}

} // namespace ts
