#pragma once

#include <QCoreApplication>
#include <QString>

class QWidget;

namespace ts {
class Project;
}

namespace ts::ui {

/// File > Compact Project: shows where the project's bytes go and what compaction frees, then
/// compacts (ProjectCompactor) with a progress dialog that can cancel.
class CompactionDialog
{
    Q_DECLARE_TR_FUNCTIONS(CompactionDialog)

public:
    /// Shows the project's size by kind and what compacting would free; true when the user chooses
    /// Compact. A project that cannot be measured is reported and gives false.
    static bool confirm(QWidget *parent, const Project &project);
    /// Compacts the (closed) project at `path` with a modal progress dialog. Returns the sentence for
    /// the status bar; failures (open elsewhere, cancelled, disk full) are shown in a message box.
    static QString compact(QWidget *parent, const QString &path);
};

} // namespace ts::ui
