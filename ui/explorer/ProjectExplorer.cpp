#include "explorer/ProjectExplorer.h"

#include "main/Plural.h"

#include "cluster/JobTable.h"
#include "project/Project.h"
#include "project/ProjectCatalog.h"
#include "project/RunStore.h"

#include <QHash>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLocale>
#include <QMenu>

namespace ts::ui {

namespace {

constexpr double kMaxNameShare = 2.0 / 3.0; // of the tree's width, when the names need more

QString parameterText(qint64 parameters)
{
    if (parameters <= 0)
        return QString();
    return parameters >= 1000000 ? ProjectExplorer::tr("%1 M parameters").arg(parameters / 1e6, 0, 'f', 1)
                                 : ProjectExplorer::tr("%1 k parameters").arg(parameters / 1e3, 0, 'f', 1);
}

} // namespace

ProjectExplorer::ProjectExplorer(QWidget *parent) : QTreeWidget(parent)
{
    setColumnCount(2);
    setHeaderLabels({tr("Name"), tr("Details")});
    header()->setSectionResizeMode(0, QHeaderView::Interactive);
    header()->setStretchLastSection(true);
    setTextElideMode(Qt::ElideRight);
    setUniformRowHeights(true);
    setAccessibleName(tr("Project explorer"));
    setToolTip(tr("Double-click a corpus to browse it, a run to watch its charts, a group to compare its runs"));
    m_corpora = addBranch(tr("Corpora"));
    m_models = addBranch(tr("Models"));
    m_runs = addBranch(tr("Runs"));
    setEnabled(false);
    // Never squeezed to a sliver by a wide page beside it (the main window keeps this much for it).
    setMinimumWidth(kMinimumWidth);
    connect(this, &QTreeWidget::itemCollapsed, this, [this](QTreeWidgetItem *item) {
        if (ItemKind(item->data(0, KindRole).toInt()) == ItemKind::Group && item->data(0, KindRole).isValid())
            m_collapsedGroups.insert(item->data(0, IdRole).toLongLong());
    });
    connect(this, &QTreeWidget::itemExpanded, this, [this](QTreeWidgetItem *item) {
        if (ItemKind(item->data(0, KindRole).toInt()) == ItemKind::Group && item->data(0, KindRole).isValid())
            m_collapsedGroups.remove(item->data(0, IdRole).toLongLong());
    });
    connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const QVariant kind = item->data(0, KindRole);
        if (kind.isValid() && ItemKind(kind.toInt()) == ItemKind::Job)
            Q_EMIT jobWatchRequested(item->data(0, IdRole).toString(), item->data(0, DirRole).toString());
        else if (kind.isValid())
            Q_EMIT itemActivatedFor(ItemKind(kind.toInt()), item->data(0, IdRole).toLongLong(), item->text(0));
    });
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QWidget::customContextMenuRequested, this, &ProjectExplorer::showContextMenu);
}

bool ProjectExplorer::request(QTreeWidgetItem *item, void (ProjectExplorer::*signal)(ItemKind, qint64, const QString &))
{
    // Slurm jobs are neither renamed nor deleted here (Cancel and Collect are their actions).
    if (!item || !item->data(0, KindRole).isValid() || ItemKind(item->data(0, KindRole).toInt()) == ItemKind::Job)
        return false;
    Q_EMIT(this->*signal)(ItemKind(item->data(0, KindRole).toInt()), item->data(0, IdRole).toLongLong(), item->text(0));
    return true;
}

void ProjectExplorer::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Delete && request(currentItem(), &ProjectExplorer::deleteRequested))
        return;
    if (event->key() == Qt::Key_F2 && request(currentItem(), &ProjectExplorer::renameRequested))
        return;
    QTreeWidget::keyPressEvent(event);
}

void ProjectExplorer::showContextMenu(const QPoint &position)
{
    QTreeWidgetItem *item = itemAt(position);
    if (item && (item == m_jobs || ItemKind(item->data(0, KindRole).toInt()) == ItemKind::Job)) {
        showJobMenu(item, position);
        return;
    }
    if (!item || !item->data(0, KindRole).isValid())
        return;
    QMenu menu(this);
    const auto kind = ItemKind(item->data(0, KindRole).toInt());
    QAction *tryIt = nullptr;
    if (kind == ItemKind::Model || kind == ItemKind::Run) {
        tryIt = menu.addAction(tr("Try It…"));
        tryIt->setStatusTip(tr("Type a text and see the model's labels or its continuation"));
        menu.addSeparator();
    }
    QAction *rename = menu.addAction(tr("Rename…"));
    rename->setShortcut(QKeySequence(Qt::Key_F2));
    QAction *remove = menu.addAction(tr("Delete…"));
    remove->setShortcut(QKeySequence::Delete);
    QAction *chosen = menu.exec(viewport()->mapToGlobal(position));
    if (chosen && chosen == tryIt)
        request(item, &ProjectExplorer::tryItRequested);
    else if (chosen == rename)
        request(item, &ProjectExplorer::renameRequested);
    else if (chosen == remove)
        request(item, &ProjectExplorer::deleteRequested);
}

void ProjectExplorer::showJobMenu(QTreeWidgetItem *item, const QPoint &position)
{
    QMenu menu(this);
    const bool job = item != m_jobs;
    QAction *watch = job ? menu.addAction(tr("Watch Progress")) : nullptr;
    QAction *cancel = job ? menu.addAction(tr("Cancel Job")) : nullptr;
    QAction *resubmit = job ? menu.addAction(tr("Resubmit Job")) : nullptr;
    if (job) {
        const JobState state = JobStates::fromName(item->data(0, StrategyRole).toString());
        cancel->setEnabled(!JobStates::isFinal(state));
        resubmit->setEnabled(JobStates::isFinal(state) && state != JobState::Completed);
    }
    QAction *collect = menu.addAction(tr("Collect Ended Jobs"));
    QAction *chosen = menu.exec(viewport()->mapToGlobal(position));
    const QString slurmId = item->data(0, IdRole).toString();
    if (chosen && chosen == watch)
        Q_EMIT jobWatchRequested(slurmId, item->data(0, DirRole).toString());
    else if (chosen && chosen == cancel)
        Q_EMIT jobCancelRequested(slurmId);
    else if (chosen && chosen == resubmit)
        Q_EMIT jobResubmitRequested(slurmId);
    else if (chosen == collect)
        Q_EMIT jobsCollectRequested();
}

void ProjectExplorer::showJobs(const QList<SlurmJobRecord> &jobs)
{
    if (jobs.isEmpty()) {
        delete m_jobs;
        m_jobs = nullptr;
        return;
    }
    if (!m_jobs)
        m_jobs = addBranch(tr("Slurm jobs"));
    qDeleteAll(m_jobs->takeChildren());
    for (const SlurmJobRecord &job : jobs) {
        const QString title = job.kind == QLatin1String("benchmark")
                                  ? tr("Job %1 · benchmark, %2 cells").arg(job.slurmId).arg(job.cells)
                                  : tr("Job %1 · run").arg(job.slurmId);
        const QString state = JobStates::name(job.state);
        QTreeWidgetItem *item = addLeaf(m_jobs, ItemKind::Job, 0, title,
                                        job.collectedAt.isEmpty() ? state : tr("%1 · collected").arg(state));
        // The Slurm id is text (an array's id is still one); the state rides in StrategyRole.
        item->setData(0, IdRole, job.slurmId);
        item->setData(0, StrategyRole, state);
        item->setData(0, DirRole, job.dir);
        item->setToolTip(0, tr("%1\n%2\nin %3\nright-click: Watch Progress, Cancel Job, Resubmit Job, Collect Ended Jobs")
                                .arg(title, item->text(1), job.dir));
        item->setToolTip(1, item->toolTip(0));
    }
    m_jobs->setText(1, QLocale().toString(jobs.size()));
    fitColumns();
}

QTreeWidgetItem *ProjectExplorer::addBranch(const QString &title)
{
    auto *item = new QTreeWidgetItem(this, {title});
    QFont font = item->font(0);
    font.setBold(true);
    item->setFont(0, font);
    item->setExpanded(true);
    return item;
}

QTreeWidgetItem *ProjectExplorer::addLeaf(QTreeWidgetItem *parent, ItemKind kind, qint64 id, const QString &text,
                                          const QString &detail)
{
    auto *item = new QTreeWidgetItem(parent, {text, detail});
    item->setData(0, KindRole, static_cast<int>(kind));
    item->setData(0, IdRole, id);
    const QString tip = detail.isEmpty() ? text : QStringLiteral("%1\n%2").arg(text, detail);
    item->setToolTip(0, tip);
    item->setToolTip(1, tip);
    return item;
}

QTreeWidgetItem *ProjectExplorer::runItem(qint64 runId) const
{
    for (int i = 0; i < m_runs->childCount(); ++i) {
        QTreeWidgetItem *child = m_runs->child(i);
        if (ItemKind(child->data(0, KindRole).toInt()) == ItemKind::Run && child->data(0, IdRole).toLongLong() == runId)
            return child;
        for (int j = 0; j < child->childCount(); ++j) {
            if (child->child(j)->data(0, IdRole).toLongLong() == runId)
                return child->child(j);
        }
    }
    return nullptr;
}

QList<qint64> ProjectExplorer::groupRuns(qint64 groupId) const
{
    QList<qint64> ids;
    for (int i = 0; i < m_runs->childCount(); ++i) {
        const QTreeWidgetItem *group = m_runs->child(i);
        if (ItemKind(group->data(0, KindRole).toInt()) != ItemKind::Group || group->data(0, IdRole).toLongLong() != groupId)
            continue;
        for (int j = 0; j < group->childCount(); ++j)
            ids.append(group->child(j)->data(0, IdRole).toLongLong());
    }
    return ids;
}

void ProjectExplorer::clearProject()
{
    for (QTreeWidgetItem *branch : {m_corpora, m_models, m_runs}) {
        qDeleteAll(branch->takeChildren());
        branch->setText(1, QString());
    }
    delete m_jobs;
    m_jobs = nullptr;
    setEnabled(false);
}

bool ProjectExplorer::showProject(const Project &project, QString *error)
{
    clearProject();
    const QSqlDatabase db = project.database();
    const auto corpora = ProjectCatalog::corpora(db);
    const auto models = ProjectCatalog::models(db);
    const auto runs = RunStore(db).list();
    const auto groupList = ProjectCatalog::groups(db);
    for (const QString &problem : {corpora.error(), models.error(), runs.error(), groupList.error()}) {
        if (!problem.isEmpty()) {
            if (error)
                *error = problem;
            return false;
        }
    }
    const QLocale locale;
    for (const CorpusEntry &c : corpora.value())
        addLeaf(m_corpora, ItemKind::Corpus, c.id, c.name, plural(c.documents, tr("1 document"), tr("%1 documents")));
    for (const ModelEntry &m : models.value()) {
        const QString size = parameterText(m.parameters);
        addLeaf(m_models, ItemKind::Model, m.id, m.name,
                size.isEmpty() ? m.architecture : QStringLiteral("%1 · %2").arg(m.architecture, size));
    }
    QHash<qint64, QString> groupNames;
    for (const GroupEntry &g : groupList.value())
        groupNames.insert(g.id, g.name);
    QHash<qint64, QTreeWidgetItem *> groups;
    for (const RunRecord &r : runs.value()) {
        QTreeWidgetItem *parent = m_runs;
        if (r.groupId != 0) {
            parent = groups.value(r.groupId);
            if (!parent) {
                const QString name = groupNames.value(r.groupId);
                const QString title = name.isEmpty() ? tr("Group %1").arg(r.groupId)
                                                     : tr("Group %1 · %2").arg(r.groupId).arg(name);
                parent = addLeaf(m_runs, ItemKind::Group, r.groupId, title, QString());
                groups.insert(r.groupId, parent);
            }
        }
        const QString title = r.name.isEmpty() ? tr("Run %1").arg(r.id) : tr("Run %1 · %2").arg(r.id).arg(r.name);
        QTreeWidgetItem *run = addLeaf(parent, ItemKind::Run, r.id, title, QString());
        run->setData(0, StrategyRole, r.strategy);
        showStatus(run, r.status, false, r.errorText);
    }
    for (QTreeWidgetItem *group : std::as_const(groups)) {
        const int count = group->childCount();
        group->setText(1, plural(count, tr("1 run"), tr("%1 runs")));
        group->setToolTip(0, tr("%1\n%2, recorded together: repeats over seeds or a label-budget sweep")
                                 .arg(group->text(0), group->text(1)));
        group->setToolTip(1, group->toolTip(0));
        group->setExpanded(!m_collapsedGroups.contains(group->data(0, IdRole).toLongLong()));
    }
    m_corpora->setText(1, locale.toString(corpora->size()));
    m_models->setText(1, locale.toString(models->size()));
    m_runs->setText(1, locale.toString(runs->size()));
    const auto jobs = JobTable(db).all();
    if (!jobs) {
        if (error)
            *error = jobs.error();
        return false;
    }
    showJobs(jobs.value());
    setEnabled(true);
    fitColumns();
    return true;
}

void ProjectExplorer::setRunStatus(qint64 runId, RunRecord::Status status, bool paused)
{
    if (QTreeWidgetItem *item = runItem(runId))
        showStatus(item, status, paused, QString());
}

void ProjectExplorer::showStatus(QTreeWidgetItem *item, RunRecord::Status status, bool paused, const QString &error)
{
    const QString detail = QStringLiteral("%1 · %2").arg(item->data(0, StrategyRole).toString(),
                                                          RunRecord::displayName(status, paused));
    item->setText(1, detail);
    const QString tip = QStringLiteral("%1\n%2\n%3").arg(item->text(0), detail, RunRecord::describe(status, paused, error));
    item->setToolTip(0, tip);
    item->setToolTip(1, tip);
}

void ProjectExplorer::resizeEvent(QResizeEvent *event)
{
    QTreeWidget::resizeEvent(event);
    fitColumns();
}

void ProjectExplorer::fitColumns()
{
    const int wanted = sizeHintForColumn(0);
    const int room = int(viewport()->width() * kMaxNameShare);
    setColumnWidth(0, qMax(header()->sectionSizeHint(0), qMin(wanted, room)));
}

} // namespace ts::ui
