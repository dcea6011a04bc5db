#pragma once

#include <QWidget>

class QAction;
class QHBoxLayout;
class QLabel;
class QListWidget;
class QPushButton;

namespace ts {
struct ProjectSpace;
struct ProjectSummary;
}

namespace ts::ui {

/// The central page: with no project open, a start page (new, open, recent projects);
/// with a project open, its overview (file, format, what it holds), the next step to take and
/// buttons for the main actions.
class WelcomePage : public QWidget
{
    Q_OBJECT

public:
    explicit WelcomePage(QWidget *parent = nullptr);

    void showStart(const QStringList &recentProjects);
    void showSummary(const ProjectSummary &summary);
    /// Adds where the open project's bytes go, by kind, and what compaction would free.
    void showSpace(const ProjectSpace &space);
    /// The actions offered as buttons under a project's overview (import, add model, ...).
    void setProjectActions(const QList<QAction *> &actions);
    /// The hint under a project's overview: what to do next.
    QString nextStep() const;

Q_SIGNALS:
    void newProjectRequested();
    void openProjectRequested();
    void recentProjectRequested(const QString &path);

private:
    QLabel *m_title = nullptr;
    QLabel *m_body = nullptr;
    QLabel *m_next = nullptr;
    QLabel *m_space = nullptr;
    QWidget *m_actions = nullptr;
    QHBoxLayout *m_actionsLayout = nullptr;
    QPushButton *m_newButton = nullptr;
    QPushButton *m_openButton = nullptr;
    QLabel *m_recentTitle = nullptr;
    QListWidget *m_recent = nullptr;
};

} // namespace ts::ui
