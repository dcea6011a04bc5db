#include "explorer/ProjectExplorer.h"

#include "project/Project.h"
#include "project/ProjectCatalog.h"

#include <QHeaderView>
#include <QLocale>

namespace ts::ui {

ProjectExplorer::ProjectExplorer(QWidget *parent) : QTreeWidget(parent)
{
    setColumnCount(2);
    setHeaderLabels({tr("Item"), tr("Details")});
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    header()->setStretchLastSection(false);
    setUniformRowHeights(true);
    setAccessibleName(tr("Project explorer"));
    m_corpora = addBranch(tr("Corpora"));
    m_models = addBranch(tr("Models"));
    m_runs = addBranch(tr("Runs"));
    setEnabled(false);
    connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const QVariant kind = item->data(0, KindRole);
        if (kind.isValid())
            Q_EMIT itemActivatedFor(ItemKind(kind.toInt()), item->data(0, IdRole).toLongLong(), item->text(0));
    });
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

void ProjectExplorer::addLeaf(QTreeWidgetItem *branch, ItemKind kind, qint64 id, const QString &text,
                              const QString &detail)
{
    auto *item = new QTreeWidgetItem(branch, {text, detail});
    item->setData(0, KindRole, static_cast<int>(kind));
    item->setData(0, IdRole, id);
}

void ProjectExplorer::clearProject()
{
    for (QTreeWidgetItem *branch : {m_corpora, m_models, m_runs}) {
        qDeleteAll(branch->takeChildren());
        branch->setText(1, QString());
    }
    setEnabled(false);
}

bool ProjectExplorer::showProject(const Project &project, QString *error)
{
    clearProject();
    const QSqlDatabase db = project.database();
    const auto corpora = ProjectCatalog::corpora(db);
    const auto models = ProjectCatalog::models(db);
    const auto runs = ProjectCatalog::runs(db);
    for (const QString &problem : {corpora.error(), models.error(), runs.error()}) {
        if (!problem.isEmpty()) {
            if (error)
                *error = problem;
            return false;
        }
    }
    const QLocale locale;
    for (const CorpusEntry &c : corpora.value())
        addLeaf(m_corpora, ItemKind::Corpus, c.id, c.name, tr("%1 documents").arg(locale.toString(c.documents)));
    for (const ModelEntry &m : models.value())
        addLeaf(m_models, ItemKind::Model, m.id, m.name, m.architecture);
    for (const RunEntry &r : runs.value()) {
        const QString title = r.name.isEmpty() ? tr("Run %1").arg(r.id) : r.name;
        addLeaf(m_runs, ItemKind::Run, r.id, title, QStringLiteral("%1 · %2").arg(r.strategy, r.status));
    }
    m_corpora->setText(1, locale.toString(corpora->size()));
    m_models->setText(1, locale.toString(models->size()));
    m_runs->setText(1, locale.toString(runs->size()));
    setEnabled(true);
    return true;
}

} // namespace ts::ui
