#include "corpus/CorpusImporter.h"

#include "corpus/CorpusStore.h"
#include "corpus/DocumentWriter.h"
#include "corpus/FormatDetector.h"
#include "corpus/RecordPrefetcher.h"
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
    RecordPrefetcher prefetcher(m_source, kBatchRecords);
    while (true) {
        RecordPrefetcher::Batch batch = prefetcher.next();
        for (PreparedRecord &record : batch.records) {
            if (const Status consumed = consume(record); !consumed)
                return consumed;
        }
        if (!batch.error.isEmpty())
            return Status::failure(batch.error);
        if (batch.last)
            break;
        if (const Status progressed = reportProgress(batch.records.back().record, batch.bytesRead); !progressed)
            return progressed;
    }
    if (m_report.records == 0)
        return Status::failure(QStringLiteral("%1:1: no records to import (the file is empty)").arg(m_params.path));
    if (const Status columns = refuseSwappedColumns(); !columns)
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
    m_readLabels = m_source.labelled() && m_params.split != ImportSplit::Unlabeled;
    if (m_params.split == ImportSplit::Unlabeled || (m_params.split == ImportSplit::Auto && !m_readLabels)) {
        m_split = importSplitName(ImportSplit::Unlabeled).toLatin1();
    } else if (!m_readLabels) {
        return Status::failure(QStringLiteral("%1: the source has no labels, so its documents cannot go to '%2'; "
                                              "choose the label column or import them as unlabelled")
                                   .arg(m_params.path, importSplitName(m_params.split)));
    } else if (m_params.split == ImportSplit::Auto) {
        m_assigner.emplace(m_params.fractions, m_params.seed);
    } else {
        m_split = importSplitName(m_params.split).toLatin1();
    }
    const Result<qint64> corpus = CorpusStore::ensure(db, m_params.corpus);
    if (!corpus)
        return Status::failure(QStringLiteral("%1: %2").arg(m_params.path, corpus.error()));
    m_corpusId = corpus.value();
    if (m_params.removeDuplicates) {
        if (const Status backfilled = backfillFingerprints(db); !backfilled)
            return backfilled;
        if (const Status loaded = loadFingerprints(db); !loaded)
            return loaded;
    }
    auto writer = DocumentWriter::open(db, m_corpusId);
    if (!writer)
        return Status::failure(QStringLiteral("%1: %2").arg(m_params.path, writer.error()));
    m_writer = std::move(writer.value());
    return {};
}

// The fingerprints of the corpus's documents, so that duplicates are found in memory rather than
// by an index lookup per row (a few dozen bytes a document in the set, against hundreds for its
// text).
Status CorpusImporter::loadFingerprints(QSqlDatabase &db)
{
    QSqlQuery select(db);
    select.setForwardOnly(true);
    select.prepare(QStringLiteral("SELECT text_hash FROM documents WHERE corpus_id = ?"));
    select.addBindValue(m_corpusId);
    if (!select.exec())
        return Status::failure(select.lastError().text());
    while (select.next())
        m_fingerprints.insert(select.value(0).toLongLong());
    return {};
}

// Documents stored before project format 3 have no fingerprint; give them one so that the
// corpus's duplicates are found whatever their age.
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

Status CorpusImporter::consume(PreparedRecord &prepared)
{
    SourceRecord &record = prepared.record;
    ++m_report.records;
    if (!record.rejection.isEmpty())
        return reject(record, record.rejection);
    if (prepared.blank)
        return reject(record, QStringLiteral("the text is empty"));
    if (!m_readLabels)
        record.label.reset();
    if (record.label) {
        if (!m_swap.sampleFull()) {
            m_swap.observe(record.text, *record.label);
            if (m_swap.sampleFull()) {
                if (const Status columns = refuseSwappedColumns(); !columns)
                    return columns;
            }
        }
        if (const auto mapped = m_params.labelMap.constFind(*record.label); mapped != m_params.labelMap.cend())
            record.label = mapped.value();
        if (const QString problem = checkLabel(record); !problem.isEmpty())
            return reject(record, problem);
        if (!m_labels.contains(*record.label)) {
            m_labels.insert(*record.label);
            if (m_labels.size() > kMaxDistinctLabels) {
                if (const Status columns = refuseSwappedColumns(); !columns)
                    return columns;
                return Status::failure(QStringLiteral("%1: refused: more than %2 distinct labels; is the label column "
                                                      "right?")
                                           .arg(record.origin)
                                           .arg(kMaxDistinctLabels));
            }
        }
    }
    return insert(record, prepared.fingerprint);
}

QString CorpusImporter::checkLabel(const SourceRecord &record) const
{
    const QString &label = *record.label;
    if (label.isEmpty())
        return QStringLiteral("the label is empty");
    if (label.size() > kMaxLabelChars) {
        return QStringLiteral("the label '%1...' is %2 characters long (the limit is %3); is the label column right?")
            .arg(label.left(24))
            .arg(label.size())
            .arg(kMaxLabelChars);
    }
    return {};
}

Status CorpusImporter::reject(const SourceRecord &record, const QString &reason)
{
    ++m_report.rejected;
    if (m_report.issues.size() < ImportReport::kMaxIssues)
        m_report.issues.append({record.origin, reason});
    if (m_report.rejected <= m_params.maxBadRows)
        return {};
    if (const Status columns = refuseSwappedColumns(); !columns)
        return columns;
    return Status::failure(QStringLiteral("%1: refused: more than %2 bad row(s); the first: %3")
                               .arg(m_params.path)
                               .arg(m_params.maxBadRows)
                               .arg(m_report.issues.first().toString()));
}

// Swapped columns explain a stream of "label too long" rows or too many labels better than
// those messages do, so this check comes first wherever an import is refused.
Status CorpusImporter::refuseSwappedColumns() const
{
    if (!m_swap.looksSwapped())
        return {};
    const QString text = m_source.textColumnName();
    const QString label = m_source.labelColumnName();
    return Status::failure(QStringLiteral("%1: refused: the text and label columns look swapped: %2; make %3 the text "
                                          "column and %4 the label column")
                               .arg(m_params.path, m_swap.describe(text, label), label, text));
}

Status CorpusImporter::insert(const SourceRecord &record, qint64 hash)
{
    if (m_params.removeDuplicates && !m_fingerprints.insert(hash).second) {
        ++m_report.duplicates;
        return {};
    }
    const SplitAssigner::Split drawn = m_assigner ? m_assigner->draw() : SplitAssigner::Train;
    const char *split = m_assigner ? SplitAssigner::name(drawn) : m_split.constData();
    if (const Status stored = m_writer->insert(split, record.text, record.label, record.origin, hash); !stored)
        return stored;
    if (m_assigner)
        m_assigner->add(*record.label, drawn, m_writer->lastId());
    ++m_report.documents;
    return {};
}

Status CorpusImporter::reportProgress(const SourceRecord &last, qint64 bytesRead)
{
    if (m_params.progress) {
        m_params.progress({bytesRead, m_source.totalBytes(), m_report.records, m_report.documents,
                           m_report.rejected});
    }
    if (m_params.abort && m_params.abort())
        return Status::failure(QStringLiteral("%1: import cancelled; the project is unchanged").arg(last.origin));
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
    if (const Status warned = collectWarnings(db); !warned)
        return warned;
    QStringList labels(m_labels.cbegin(), m_labels.cend());
    labels.sort();
    if (const Status registered = CorpusStore::registerLabels(db, labels); !registered)
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
    QStringList labels(m_labels.cbegin(), m_labels.cend());
    labels.sort();
    for (const QString &label : std::as_const(labels)) {
        if (!others->contains(label)) {
            m_report.warnings.append(QStringLiteral("%1: label '%2' is not used by any other corpus (their labels: %3)")
                                         .arg(m_params.path, label, others->join(QStringLiteral(", "))));
        }
    }
    return {};
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
