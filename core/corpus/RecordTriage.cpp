#include "corpus/RecordTriage.h"

#include "corpus/DocumentBatch.h"
#include "corpus/RecordSource.h"
#include "corpus/SplitAssigner.h"
#include "corpus/TextFingerprint.h"

namespace ts {

RecordTriage::RecordTriage(const ImportParams &params, const RecordSource &source, ImportReport &report, Plan plan)
    : m_params(params), m_source(source), m_report(report), m_plan(std::move(plan))
{
}

Status RecordTriage::take(SourceRecord &record, DocumentBatch &batch)
{
    ++m_report.records;
    if (!record.rejection.isEmpty())
        return reject(record, record.rejection);
    if (TextFingerprint::isBlankUtf8(record.text))
        return reject(record, QStringLiteral("the text is empty"));
    if (!m_plan.readLabels)
        record.label.reset();
    if (record.label) {
        if (const Status columns = observeColumns(record); !columns)
            return columns;
        if (const auto mapped = m_params.labelMap.constFind(*record.label); mapped != m_params.labelMap.cend())
            record.label = mapped.value();
        if (const QString problem = checkLabel(*record.label); !problem.isEmpty())
            return reject(record, problem);
        if (const Status counted = countLabel(record); !counted)
            return counted;
    }
    keep(record, batch);
    return {};
}

ImportProgress RecordTriage::progress() const
{
    return {0, 0, m_report.records, m_report.documents, m_report.rejected};
}

// Feeds the swap detector until its sample is full, and gives its verdict then.
Status RecordTriage::observeColumns(const SourceRecord &record)
{
    if (m_swap.sampleFull())
        return {};
    m_swap.observe(record.text, *record.label);
    return m_swap.sampleFull() ? refuseSwappedColumns() : Status();
}

QString RecordTriage::checkLabel(const QString &label) const
{
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

Status RecordTriage::countLabel(const SourceRecord &record)
{
    if (m_labels.contains(*record.label))
        return {};
    m_labels.insert(*record.label);
    if (m_labels.size() <= kMaxDistinctLabels)
        return {};
    if (const Status columns = refuseSwappedColumns(); !columns)
        return columns;
    return Status::failure(QStringLiteral("%1: refused: more than %2 distinct labels; is the label column right?")
                               .arg(record.origin)
                               .arg(kMaxDistinctLabels));
}

Status RecordTriage::reject(const SourceRecord &record, const QString &reason)
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
Status RecordTriage::refuseSwappedColumns() const
{
    if (!m_swap.looksSwapped())
        return {};
    const QString text = m_source.textColumnName();
    const QString label = m_source.labelColumnName();
    return Status::failure(QStringLiteral("%1: refused: the text and label columns look swapped: %2; make %3 the text "
                                          "column and %4 the label column")
                               .arg(m_params.path, m_swap.describe(text, label), label, text));
}

void RecordTriage::keep(const SourceRecord &record, DocumentBatch &batch)
{
    const qint64 fingerprint = TextFingerprint::ofUtf8(record.text);
    if (m_params.removeDuplicates) {
        const auto [earlier, added] = m_plan.fingerprints.try_emplace(fingerprint, kThisImport);
        if (!added) {
            ++m_report.duplicates;
            ++m_report.duplicatesBySplit[earlier->second == kThisImport ? QString()
                                                                         : m_plan.fingerprintSplits.value(earlier->second)];
            return;
        }
    }
    const qint64 id = m_plan.firstId + m_report.documents;
    const char *split = m_plan.split;
    if (m_plan.assigner) {
        const SplitAssigner::Split drawn = m_plan.assigner->draw();
        m_plan.assigner->add(*record.label, drawn, id);
        split = SplitAssigner::name(drawn);
    }
    batch.append(id, split, record.text, record.label, record.origin, fingerprint);
    ++m_report.documents;
}

} // namespace ts
