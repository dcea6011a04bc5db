#pragma once

#include "project/MergeParams.h"

#include <QDialog>

class QLabel;
class QListWidget;
class QPushButton;
class QRadioButton;

namespace ts {
class Project;
}

namespace ts::ui {

/// File > Import Runs From Project…: lists the other project's runs (those running or queued there
/// cannot be chosen), says which were merged before, lists the corpora and models whose names this
/// project gives to other content, and offers the choices: rename the copies or skip the runs that
/// use them. ProjectMerger does the work (merge()).
class MergeDialog : public QDialog
{
    Q_OBJECT

public:
    /// A dialog merging from the project at `sourcePath` into `project`; isValid() is false (and
    /// error() says why) when the other project cannot be read.
    MergeDialog(Project &project, const QString &sourcePath, QWidget *parent = nullptr);

    bool isValid() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    /// The runs checked and the clash choice.
    MergeParams params() const;

    /// Merges with a modal progress dialog that can cancel; returns the sentence for the status bar.
    /// A failure is shown in a message box over `parent`.
    static QString merge(QWidget *parent, Project &project, const QString &sourcePath, const MergeParams &params);

private:
    void listRuns();
    /// Plans the checked runs again and shows what merging them does.
    void replan();

    Project &m_project;
    QString m_sourcePath;
    QString m_error;
    QListWidget *m_runs = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_clashes = nullptr;
    QRadioButton *m_rename = nullptr;
    QRadioButton *m_skip = nullptr;
    QPushButton *m_import = nullptr;
};

} // namespace ts::ui
