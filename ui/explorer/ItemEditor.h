#pragma once

#include "explorer/ProjectExplorer.h"

#include <QCoreApplication>

class QWidget;

namespace ts {
class Project;
}

namespace ts::ui {

/// Deletes and renames what the project explorer shows, asking first: the confirmation names what
/// goes with the item ("deleting corpus music also deletes its 3 runs"). ProjectEraser does the work.
class ItemEditor
{
    Q_DECLARE_TR_FUNCTIONS(ItemEditor)

public:
    /// Asks (a dialog over `parent`) and deletes the item. Returns the ids of the runs deleted with it
    /// (empty when nothing was deleted, or when it held no run); `deleted` says whether it went. A
    /// refusal (a run in use) is shown as a message.
    static QList<qint64> deleteItem(QWidget *parent, Project &project, ProjectExplorer::ItemKind kind, qint64 id,
                                    const QString &name, bool *deleted);
    /// Asks for a new name and renames the item; true when renamed.
    static bool renameItem(QWidget *parent, Project &project, ProjectExplorer::ItemKind kind, qint64 id,
                           const QString &name);
};

} // namespace ts::ui
