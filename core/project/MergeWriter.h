#pragma once

#include "project/MergeAnalysis.h"
#include "project/MergeParams.h"
#include "project/TableCopier.h"
#include "util/Result.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSqlDatabase>

#include <memory>

namespace ts {

/// Copies what a MergeAnalysis says from the other project (`there`) into this one (`here`), inside
/// the caller's write transaction (ProjectMerger): labels, the corpora and models to copy, groups,
/// then each run with its metrics, evaluations, predictions, artifacts and their chunks, every id
/// remapped. Polls `params.cancelled` and reports `params.progress` a few times a second.
class MergeWriter
{
public:
    MergeWriter(const QSqlDatabase &there, const QSqlDatabase &here, const MergeAnalysis &analysis,
                const MergeParams &params, MergeReport &report);

    /// Writes everything; fails naming the table and the reason, or saying it was cancelled.
    Status run();
    /// Whether run() stopped because `params.cancelled` said so.
    bool cancelled() const { return m_cancelled; }

private:
    using IdMap = TableCopier::IdMap;

    /// One more row copied; false when the merge is to stop.
    bool step();
    /// Polls cancel and reports progress; false when the merge is to stop.
    bool poll();
    Status prepareCopiers();
    Result<qint64> countRows() const;
    /// Records the labels of corpus `corpus` (id there) that this project lacks.
    Status copyLabels(qint64 corpus);
    Status copyCorpus(qint64 id, const MergeAnalysis::Item &item);
    Status pairDocuments(qint64 there, qint64 here);
    Status copyModel(qint64 id, const MergeAnalysis::Item &item);
    Status copyRun(const MergeAnalysis::Run &run);
    Status joinPresentGroups();
    /// Maps group `group` (id there) to the same group here, copying it when this project lacks it.
    Status copyGroup(qint64 group);
    Status copy(const QString &table, const QString &where, qint64 id, IdMap *ids = nullptr);
    QList<qint64> usedCorpora() const;
    QList<qint64> usedModels() const;

    QSqlDatabase m_there;
    QSqlDatabase m_here;
    const MergeAnalysis &m_a;
    const MergeParams &m_params;
    MergeReport &m_report;
    QHash<QString, std::shared_ptr<TableCopier>> m_copiers;
    IdMap m_corpora, m_models, m_groups, m_runs, m_documents, m_evaluations, m_artifacts;
    qint64 m_done = 0;  // rows copied
    qint64 m_total = 0; // rows to copy
    QElapsedTimer m_sincePoll;
    bool m_cancelled = false;
};

} // namespace ts
