#pragma once

#include "cluster/SlurmJobRecord.h"
#include "project/RunRecord.h"

#include <QSet>
#include <QTreeWidget>

namespace ts {
class Project;
}

namespace ts::ui {

/// The project tree on the left of the main window: corpora, models, and runs (those recorded
/// together, as seeds or a label-budget sweep, under their group) of the open project.
///
/// Names are never cut while there is room: the name column takes what its texts need, up to
/// two thirds of the width, and the details column the rest. Every item's tooltip holds its
/// full text.
class ProjectExplorer : public QTreeWidget
{
    Q_OBJECT

public:
    /// Roles of the data each leaf item carries.
    enum Role { KindRole = Qt::UserRole + 1, IdRole, StrategyRole, DirRole };
    /// The narrowest the explorer gets, in pixels: names stay readable beside any page.
    static constexpr int kMinimumWidth = 220;
    /// What a leaf item stands for (KindRole).
    enum class ItemKind { Corpus, Model, Run, Group, Job };

    explicit ProjectExplorer(QWidget *parent = nullptr);

    /// Re-reads the project's contents. Returns false (and leaves the tree empty) when the
    /// file cannot be read; `error` then says why.
    bool showProject(const Project &project, QString *error = nullptr);
    /// Empties the tree (no project open).
    void clearProject();

    QTreeWidgetItem *corporaItem() const { return m_corpora; }
    QTreeWidgetItem *modelsItem() const { return m_models; }
    QTreeWidgetItem *runsItem() const { return m_runs; }
    /// The "Slurm jobs" branch; null while the project has no job.
    QTreeWidgetItem *jobsItem() const { return m_jobs; }
    /// Shows `jobs` (Slurm job id, kind, state) in the "Slurm jobs" branch, which exists only while
    /// there are jobs.
    void showJobs(const QList<SlurmJobRecord> &jobs);
    /// The run item of `runId` (in its group or not), null when there is none.
    QTreeWidgetItem *runItem(qint64 runId) const;
    /// Shows run `runId`'s status as this process knows it (running or paused, queued) where the
    /// project file is a step behind: the worker records a run as running only once it begins.
    void setRunStatus(qint64 runId, ts::RunRecord::Status status, bool paused = false);
    /// The runs of group `groupId`, in the order shown.
    QList<qint64> groupRuns(qint64 groupId) const;

Q_SIGNALS:
    /// Cancel on a Slurm job's item (its Slurm id).
    void jobCancelRequested(const QString &slurmId);
    /// Resubmit on a cancelled, timed-out or failed Slurm job's item (its Slurm id).
    void jobResubmitRequested(const QString &slurmId);
    /// Collect on a Slurm job's item or the branch: merge every ended job's runs.
    void jobsCollectRequested();
    /// Watch on a Slurm job's item: draw its progress file (the job folder).
    void jobWatchRequested(const QString &slurmId, const QString &dir);
    /// A corpus, model, run or group was double-clicked (or Enter was pressed on it).
    void itemActivatedFor(ts::ui::ProjectExplorer::ItemKind kind, qint64 id, const QString &name);
    /// Delete was pressed on an item, or chosen from its context menu.
    void deleteRequested(ts::ui::ProjectExplorer::ItemKind kind, qint64 id, const QString &name);
    /// F2 was pressed on an item, or Rename chosen from its context menu.
    void renameRequested(ts::ui::ProjectExplorer::ItemKind kind, qint64 id, const QString &name);
    /// Try It… was chosen from a model's or a run's context menu.
    void tryItRequested(ts::ui::ProjectExplorer::ItemKind kind, qint64 id, const QString &name);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    QTreeWidgetItem *addBranch(const QString &title);
    static QTreeWidgetItem *addLeaf(QTreeWidgetItem *parent, ItemKind kind, qint64 id, const QString &text,
                                    const QString &detail);
    void fitColumns();
    /// Emits `signal` for `item` when it is a corpus, model, run or group; false otherwise.
    bool request(QTreeWidgetItem *item, void (ProjectExplorer::*signal)(ItemKind, qint64, const QString &));
    void showContextMenu(const QPoint &position);
    /// The menu of a Slurm job's item (or the branch): Watch, Cancel, Resubmit, Collect.
    void showJobMenu(QTreeWidgetItem *item, const QPoint &position);
    static void showStatus(QTreeWidgetItem *item, RunRecord::Status status, bool paused, const QString &error);

    QTreeWidgetItem *m_corpora = nullptr;
    QTreeWidgetItem *m_models = nullptr;
    QTreeWidgetItem *m_runs = nullptr;
    QTreeWidgetItem *m_jobs = nullptr; // "Slurm jobs", while there are jobs
    QSet<qint64> m_collapsedGroups; // groups the user folded, kept folded when the tree is re-read
};

} // namespace ts::ui
