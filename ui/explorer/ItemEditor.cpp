#include "explorer/ItemEditor.h"

#include "project/Project.h"
#include "project/ProjectEraser.h"
#include "transfer/TransferRunner.h"

#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>

namespace ts::ui {

namespace {

ErasePlan::Kind eraseKind(ProjectExplorer::ItemKind kind)
{
    switch (kind) {
    case ProjectExplorer::ItemKind::Corpus:
        return ErasePlan::Kind::Corpus;
    case ProjectExplorer::ItemKind::Model:
        return ErasePlan::Kind::Model;
    case ProjectExplorer::ItemKind::Group:
        return ErasePlan::Kind::Group;
    case ProjectExplorer::ItemKind::Run:
    case ProjectExplorer::ItemKind::Job: // never asked: the explorer offers no Delete for Slurm jobs
        break;
    }
    return ErasePlan::Kind::Run;
}

/// How ProjectEraser names the item: corpora and models by name, runs and groups by id.
QString keyOf(ProjectExplorer::ItemKind kind, qint64 id, const QString &name)
{
    const ErasePlan::Kind k = eraseKind(kind);
    return k == ErasePlan::Kind::Corpus || k == ErasePlan::Kind::Model ? name : QString::number(id);
}

} // namespace

QList<qint64> ItemEditor::deleteItem(QWidget *parent, Project &project, ProjectExplorer::ItemKind kind, qint64 id,
                                     const QString &name, bool *deleted)
{
    *deleted = false;
    const QString path = project.path();
    const auto isLive = [path](qint64 runId) { return !TransferRunner::isAbandoned(path, runId); };
    const auto plan = ProjectEraser::plan(project.database(), eraseKind(kind), keyOf(kind, id, name), isLive);
    if (!plan) {
        QMessageBox::warning(parent, tr("Cannot Delete"), plan.error());
        return {};
    }
    QString text = plan->describe();
    text[0] = text[0].toUpper();
    QMessageBox box(QMessageBox::Warning, tr("Delete %1?").arg(plan->name), text + QLatin1Char('.'),
                    QMessageBox::NoButton, parent);
    box.setInformativeText(tr("This cannot be undone. File > Compact Project returns the space to the disk."));
    QPushButton *remove = box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != remove)
        return {};
    if (const Status s = ProjectEraser::erase(project, plan.value(), isLive); !s) {
        QMessageBox::warning(parent, tr("Cannot Delete"), s.error());
        return {};
    }
    *deleted = true;
    return plan->runs;
}

bool ItemEditor::renameItem(QWidget *parent, Project &project, ProjectExplorer::ItemKind kind, qint64 id,
                            const QString &name)
{
    const ErasePlan::Kind k = eraseKind(kind);
    const QString key = keyOf(kind, id, name);
    bool ok = false;
    const QString current = k == ErasePlan::Kind::Corpus || k == ErasePlan::Kind::Model ? name : QString();
    const QString newName = QInputDialog::getText(parent, tr("Rename"),
                                                  tr("New name of %1 %2:").arg(ErasePlan::kindName(k), key),
                                                  QLineEdit::Normal, current, &ok);
    if (!ok || newName.trimmed() == current)
        return false;
    if (const Status s = ProjectEraser::rename(project, k, key, newName); !s) {
        QMessageBox::warning(parent, tr("Cannot Rename"), s.error());
        return false;
    }
    return true;
}

} // namespace ts::ui
