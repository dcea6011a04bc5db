#pragma once

#include <QMainWindow>
#include <QPointer>

#include <functional>
#include <memory>

class QDockWidget;
class QLabel;
class QMenu;
class QProgressDialog;
class QTabWidget;

namespace ts {
class Project;
}

namespace ts::ui {

class ClusterActions;
class CorpusView;
class DomainShiftView;
class ImportWizard;
class ProjectExplorer;
class ComparisonView;
class RunController;
class RunMonitor;
class TryItPanel;
class ThemeController;
class WelcomePage;

/// The workbench window: menus, the project explorer, the central page and the status bar.
/// Owns the open Project (used on the GUI thread only).
///
/// Closing the window or the project, or opening another one, while this process trains asks
/// first; confirming stops the runs (the running one after its batch, with a checkpoint to
/// resume from) and carries on once the worker has stopped, without blocking the GUI.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens `path` as the current project. On failure shows an error dialog naming the file
    /// and the reason, keeps the previous project open, and returns false. While runs train, it
    /// asks first, and opens the project once they have stopped (not at all when the user keeps
    /// training).
    bool openProject(const QString &path);
    /// Creates a project at `path` and opens it (as openProject); false on failure.
    bool createProject(const QString &path);
    /// Closes the open project, after stopping its runs when the user agrees.
    void closeProject();

    /// Re-reads the open project into the explorer, the welcome page and the status bar.
    void refresh();
    /// File > Import Runs From Project… once the other project is chosen: the merge dialog for
    /// `path`, then the merge with progress and a refresh. Refused while runs train in this window.
    void importRunsFrom(const QString &path);

    /// Opens the import wizard for the open project, previewing `file` when given. Null (with an
    /// error dialog) when no project is open.
    ImportWizard *showImportWizard(const QString &file = QString());
    /// Shows corpus `name` in its tab, opening one when needed. Null when no project is open.
    CorpusView *showCorpus(const QString &name);
    /// Opens a tab comparing two corpora of the open project. Null when no project is open.
    DomainShiftView *showDomainShift();
    /// Opens the experiment dialog; Start records and queues the runs and shows the first one.
    void newExperiment();
    /// Runs > New Benchmark…: the benchmark dialog; Start records the matrix as one group, queues
    /// its runs and shows the group's table and progress in Compare Runs.
    void newBenchmark();
    /// Shows run `runId` in its monitor tab, opening one when needed. Null when it cannot be read.
    RunMonitor *showRun(qint64 runId);
    /// Runs > Predict…: a finished run's model applied to a corpus or a file (`runId` preselected).
    void showPredictDialog(qint64 runId);
    /// Opens a Try it tab on model or run `id` (`run` true: a run), or brings its open one
    /// forward. Null when no project is open.
    TryItPanel *showTryIt(bool run, qint64 id);
    /// Shows the tab comparing the runs of the open project, opening it when needed (it follows
    /// runs that finish or are added, here or by another process). Null when no project is open.
    ComparisonView *showComparison();
    /// Records, queues and trains the runs of the open project.
    RunController *runs() const { return m_runs; }
    /// Submission to Slurm and the project panel's job actions.
    ClusterActions *cluster() const { return m_cluster; }
    /// The application's light or dark palette (View > Theme).
    ThemeController *theme() const { return m_theme; }

    const Project *project() const { return m_project.get(); }
    ProjectExplorer *explorer() const { return m_explorer; }
    /// The central tabs: the welcome page first, then the views opened from the explorer and the menus.
    QTabWidget *tabs() const { return m_tabs; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void rebuildRecentMenu();
    void createCorporaMenu();
    void createRunsMenu();
    void createViewMenu();
    /// Runs `then` now when nothing trains; otherwise asks whether to stop training to `action`
    /// ("close the window") and, on yes, runs `then` once the runs have stopped.
    void stopRunsThen(const QString &action, std::function<void()> then);
    bool askToStopRuns(const QString &action);
    void closeProjectNow();
    QString projectFolder() const;
    void rememberProjectFolder(const QString &path);
    QStringList corpusNames() const;
    void addTab(QWidget *page, const QString &title);
    void closeTab(int index);
    void closeViews();
    /// The open tabs as "corpus:NAME", "run:ID", "comparison:", "domain-shift:" (the welcome page aside).
    QStringList openTabs() const;
    /// Remembers the open project's tabs, which restoreTabs() opens again with the project.
    void saveTabs();
    void restoreTabs();
    void reloadCorpus(const QString &name);
    /// Closes the corpus and run tabs named in `tabs` ("run:4", "corpus:music"), as openTabs() names them.
    void closeTabsFor(const QStringList &tabs);
    /// The explorer's Delete and Rename (ItemEditor), then a refresh.
    void deleteItem(int kind, qint64 id, const QString &name);
    void renameItem(int kind, qint64 id, const QString &name);
    /// File > Compact Project: asks (showing the space by kind), closes, compacts and reopens the project.
    void compactProject();
    /// File > Import Runs From Project…: asks for the other project, then importRunsFrom().
    void importRunsDialog();
    void setProject(std::unique_ptr<Project> project);
    void showError(const QString &title, const QString &message);
    void newProjectDialog();
    void openProjectDialog();
    void addModelDialog();
    void showAbout();

    std::unique_ptr<Project> m_project;
    ProjectExplorer *m_explorer = nullptr;
    ClusterActions *m_cluster = nullptr;
    WelcomePage *m_welcome = nullptr;
    QTabWidget *m_tabs = nullptr;
    QMenu *m_recentMenu = nullptr;
    QLabel *m_statusProject = nullptr;
    QDockWidget *m_dock = nullptr;
    RunController *m_runs = nullptr;
    ThemeController *m_theme = nullptr;
    QPointer<QProgressDialog> m_stopping; // shown while runs stop before a close
};

} // namespace ts::ui
