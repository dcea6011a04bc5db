#pragma once

#include <QMainWindow>

#include <memory>

class QLabel;
class QMenu;

namespace ts {
class Project;
}

namespace ts::ui {

class ProjectExplorer;
class WelcomePage;

/// The workbench window: menus, the project explorer, the central page and the status bar.
/// Owns the open Project (used on the GUI thread only).
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens `path` as the current project. On failure shows an error dialog naming the file
    /// and the reason, keeps the previous project open, and returns false.
    bool openProject(const QString &path);
    /// Creates a project at `path` and opens it; false (with an error dialog) on failure.
    bool createProject(const QString &path);
    void closeProject();

    const Project *project() const { return m_project.get(); }
    ProjectExplorer *explorer() const { return m_explorer; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void rebuildRecentMenu();
    void refresh();
    void setProject(std::unique_ptr<Project> project);
    void showError(const QString &title, const QString &message);
    void newProjectDialog();
    void openProjectDialog();
    void showAbout();

    std::unique_ptr<Project> m_project;
    ProjectExplorer *m_explorer = nullptr;
    WelcomePage *m_welcome = nullptr;
    QMenu *m_recentMenu = nullptr;
    QLabel *m_statusProject = nullptr;
};

} // namespace ts::ui
