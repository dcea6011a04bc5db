#include "main/MainWindow.h"

#include "corpus/CorpusView.h"
#include "corpus/DomainShiftView.h"
#include "corpus/ImportWizard.h"
#include "explorer/CompactionDialog.h"
#include "explorer/MergeDialog.h"
#include "explorer/ItemEditor.h"
#include "explorer/ProjectExplorer.h"
#include "main/ClusterActions.h"
#include "main/Plural.h"
#include "main/RecentProjects.h"
#include "main/WelcomePage.h"
#include "models/ModelPickerDialog.h"
#include "runs/BenchmarkDialog.h"
#include "runs/ClusterField.h"
#include "runs/ComparisonView.h"
#include "runs/ExperimentDialog.h"
#include "runs/RunController.h"
#include "runs/PredictDialog.h"
#include "runs/RunMonitor.h"
#include "runs/TryItPanel.h"
#include "theme/ThemeController.h"

#include "Version.h"
#include "jobs/BenchmarkRunner.h"
#include "project/Project.h"
#include "project/ProjectCatalog.h"
#include "project/SpaceMeter.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>

// The icon lives in the ui library's resources; a static library's resources are linked only
// when something names them (without this the window icon is missing and Qt warns at start-up).
static void initUiResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace ts::ui {

namespace {
const QString kOpenTabsKey = QStringLiteral("mainWindow/openTabs"); // project path -> its tabs, reopened with it
const QString kProjectFilter = QObject::tr("Transfer Studio projects (*.tstudio);;All files (*)");
const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kStateKey = QStringLiteral("mainWindow/state");
const QString kProjectFolderKey = QStringLiteral("paths/projects"); // last folder of a project dialog
constexpr int kExplorerWidth = 380; // first-run width of the project explorer, in pixels

/// "Run title (Ctrl+R)": a toolbar tooltip that also teaches the shortcut.
void setToolTipWithShortcut(QAction *action)
{
    QString text = action->text();
    text.remove(QLatin1Char('&'));
    text.remove(QStringLiteral("…"));
    if (!action->shortcut().isEmpty())
        text += QStringLiteral(" (%1)").arg(action->shortcut().toString(QKeySequence::NativeText));
    action->setToolTip(text);
}
} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    initUiResources();
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(QString::fromLatin1(kApplicationName));
    setWindowIcon(QIcon(QStringLiteral(":/icons/transfer-studio.svg")));

    m_welcome = new WelcomePage(this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("centralTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->addTab(m_welcome, tr("Project"));
    for (const auto side : {QTabBar::LeftSide, QTabBar::RightSide})
        m_tabs->tabBar()->setTabButton(0, side, nullptr);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    setCentralWidget(m_tabs);
    setAcceptDrops(true);
    connect(m_welcome, &WelcomePage::newProjectRequested, this, &MainWindow::newProjectDialog);
    connect(m_welcome, &WelcomePage::openProjectRequested, this, &MainWindow::openProjectDialog);
    connect(m_welcome, &WelcomePage::recentProjectRequested, this, &MainWindow::openProject);

    m_theme = new ThemeController(this);
    m_explorer = new ProjectExplorer(this);
    connect(m_explorer, &ProjectExplorer::itemActivatedFor, this,
            [this](ProjectExplorer::ItemKind kind, qint64, const QString &name) {
                if (kind == ProjectExplorer::ItemKind::Corpus)
                    showCorpus(name);
            });
    m_cluster = new ClusterActions(this);
    connect(m_explorer, &ProjectExplorer::jobCancelRequested, m_cluster, &ClusterActions::cancel);
    connect(m_explorer, &ProjectExplorer::jobResubmitRequested, m_cluster, &ClusterActions::resubmit);
    connect(m_explorer, &ProjectExplorer::jobsCollectRequested, m_cluster, &ClusterActions::collect);
    connect(m_explorer, &ProjectExplorer::jobWatchRequested, m_cluster, &ClusterActions::watch);
    connect(m_explorer, &ProjectExplorer::deleteRequested, this,
            [this](ProjectExplorer::ItemKind kind, qint64 id, const QString &name) { deleteItem(int(kind), id, name); });
    connect(m_explorer, &ProjectExplorer::renameRequested, this,
            [this](ProjectExplorer::ItemKind kind, qint64 id, const QString &name) { renameItem(int(kind), id, name); });
    connect(m_explorer, &ProjectExplorer::tryItRequested, this, [this](ProjectExplorer::ItemKind kind, qint64 id) {
        showTryIt(kind == ProjectExplorer::ItemKind::Run, id);
    });
    m_dock = new QDockWidget(tr("Project"), this);
    m_dock->setObjectName(QStringLiteral("ProjectDock"));
    m_dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable
                        | QDockWidget::DockWidgetClosable);
    m_dock->setWidget(m_explorer);
    addDockWidget(Qt::LeftDockWidgetArea, m_dock);
    resizeDocks({m_dock}, {kExplorerWidth}, Qt::Horizontal);

    m_statusProject = new QLabel(this);
    statusBar()->addWidget(m_statusProject, 1);

    m_runs = new RunController(this);
    connect(m_explorer, &ProjectExplorer::itemActivatedFor, this, [this](ProjectExplorer::ItemKind kind, qint64 id) {
        if (kind == ProjectExplorer::ItemKind::Run) {
            showRun(id);
        } else if (kind == ProjectExplorer::ItemKind::Group) {
            ComparisonView *view = showComparison();
            if (!view)
                return;
            // A benchmark opens on its table (pairs x strategies, the average row), as it does
            // when New Benchmark starts it; another group on its runs' curves.
            if (BenchmarkRunner::runsOf(m_project->database(), id))
                view->showBenchmark(id);
            else
                view->setSelectedRuns(m_explorer->groupRuns(id));
        }
    });
    connect(m_runs, &RunController::runsChanged, this, &MainWindow::refresh);
    connect(m_runs, &RunController::errorOccurred, this, [this](const QString &message) {
        statusBar()->showMessage(message, 10000);
    });

    createActions();
    QList<QAction *> projectActions;
    for (const char *name : {"actionImport", "actionAddModel", "actionNewExperiment", "actionCompareRuns"})
        projectActions.append(findChild<QAction *>(QLatin1String(name)));
    m_welcome->setProjectActions(projectActions);
    resize(1200, 780);
    const QSettings settings;
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    restoreState(settings.value(kStateKey).toByteArray());
    refresh();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newAction = file->addAction(tr("&New Project…"), this, &MainWindow::newProjectDialog);
    newAction->setShortcut(QKeySequence::New);
    newAction->setObjectName(QStringLiteral("actionNew"));
    QAction *openAction = file->addAction(tr("&Open Project…"), this, &MainWindow::openProjectDialog);
    openAction->setShortcut(QKeySequence::Open);
    openAction->setObjectName(QStringLiteral("actionOpen"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("menuRecent"));
    QAction *closeAction = file->addAction(tr("&Close Project"), this, &MainWindow::closeProject);
    closeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W));
    closeAction->setObjectName(QStringLiteral("actionCloseProject"));
    QAction *compactAction = file->addAction(tr("Co&mpact Project…"), this, &MainWindow::compactProject);
    compactAction->setObjectName(QStringLiteral("actionCompactProject"));
    compactAction->setStatusTip(tr("Show where the project's space goes and return the free space to the disk"));
    QAction *importRuns = file->addAction(tr("Import R&uns From Project…"), this, &MainWindow::importRunsDialog);
    importRuns->setObjectName(QStringLiteral("actionImportRuns"));
    importRuns->setStatusTip(tr("Copy runs of another project with their corpora, models and results"));
    file->addSeparator();
    QAction *quitAction = file->addAction(tr("&Quit"), this, &QWidget::close);
    quitAction->setShortcut(QKeySequence::Quit);
    quitAction->setMenuRole(QAction::QuitRole);

    createViewMenu();
    createCorporaMenu();
    QMenu *models = menuBar()->addMenu(tr("&Models"));
    QAction *addModel = models->addAction(tr("&Add Model…"), this, &MainWindow::addModelDialog);
    addModel->setObjectName(QStringLiteral("actionAddModel"));
    addModel->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    addModel->setStatusTip(tr("Add a base model: a Hugging Face folder on disk or a small built-in model"));
    createRunsMenu();

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Transfer Studio"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    rebuildRecentMenu();
}

void MainWindow::createCorporaMenu()
{
    QMenu *corpora = menuBar()->addMenu(tr("&Corpora"));
    QAction *import = corpora->addAction(tr("&Import…"), this, [this] { showImportWizard(); });
    import->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    import->setObjectName(QStringLiteral("actionImport"));
    import->setStatusTip(tr("Import documents from a CSV, TSV, JSON Lines or text file into a corpus"));
    QAction *compare = corpora->addAction(tr("&Compare Domains…"), this, [this] { showDomainShift(); });
    compare->setObjectName(QStringLiteral("actionCompareDomains"));
    compare->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    compare->setStatusTip(tr("Measure how far a target corpus is from a source corpus"));
    setToolTipWithShortcut(import);
    QToolBar *bar = addToolBar(tr("Corpora"));
    bar->setObjectName(QStringLiteral("CorporaToolBar"));
    bar->addAction(import);
}

void MainWindow::createViewMenu()
{
    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *explorer = m_dock->toggleViewAction();
    explorer->setText(tr("&Project Explorer"));
    explorer->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    explorer->setStatusTip(tr("Show or hide the list of corpora, models and runs"));
    view->addAction(explorer);
    QAction *goToExplorer = view->addAction(tr("&Go to Project Explorer"), this, [this] {
        m_dock->show();
        m_explorer->setFocus(Qt::ShortcutFocusReason);
        if (!m_explorer->currentItem())
            m_explorer->setCurrentItem(m_explorer->topLevelItem(0));
    });
    goToExplorer->setObjectName(QStringLiteral("actionGoToExplorer"));
    goToExplorer->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    goToExplorer->setStatusTip(tr("Move the keyboard focus to the project explorer: type a name to jump to it, "
                                  "Return opens it"));
    QMenu *theme = view->addMenu(tr("&Theme"));
    theme->setObjectName(QStringLiteral("menuTheme"));
    m_theme->populateMenu(theme);
    view->addSeparator();
    QAction *closeTabAction = view->addAction(tr("Close &Tab"), this, [this] { closeTab(m_tabs->currentIndex()); });
    closeTabAction->setShortcut(QKeySequence::Close);
    closeTabAction->setObjectName(QStringLiteral("actionCloseTab"));
    QAction *next = view->addAction(tr("&Next Tab"), this,
                                    [this] { m_tabs->setCurrentIndex((m_tabs->currentIndex() + 1) % m_tabs->count()); });
    next->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    QAction *previous = view->addAction(tr("&Previous Tab"), this, [this] {
        m_tabs->setCurrentIndex((m_tabs->currentIndex() + m_tabs->count() - 1) % m_tabs->count());
    });
    previous->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
}

void MainWindow::createRunsMenu()
{
    QMenu *runs = menuBar()->addMenu(tr("&Runs"));
    QAction *experiment = runs->addAction(tr("&New Experiment…"), this, &MainWindow::newExperiment);
    experiment->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    experiment->setObjectName(QStringLiteral("actionNewExperiment"));
    experiment->setStatusTip(tr("Train a model on a source corpus and measure it on a target corpus"));
    QAction *benchmark = runs->addAction(tr("New &Benchmark…"), this, &MainWindow::newBenchmark);
    benchmark->setObjectName(QStringLiteral("actionNewBenchmark"));
    benchmark->setStatusTip(tr("Run strategies × pairs of corpora × seeds as one group and show the table papers print"));
    QAction *compare = runs->addAction(tr("&Compare Runs…"), this, [this] { showComparison(); });
    compare->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    compare->setObjectName(QStringLiteral("actionCompareRuns"));
    compare->setStatusTip(tr("Compare the results of finished runs side by side"));
    QAction *predict = runs->addAction(tr("&Predict…"), this, [this] { showPredictDialog(0); });
    predict->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    predict->setObjectName(QStringLiteral("actionPredict"));
    predict->setStatusTip(tr("Apply a finished run's model to a corpus or a file and write its predictions as CSV"));
    setToolTipWithShortcut(experiment);
    setToolTipWithShortcut(compare);
    setToolTipWithShortcut(predict);
    QToolBar *bar = addToolBar(tr("Runs"));
    bar->setObjectName(QStringLiteral("RunsToolBar"));
    bar->addAction(experiment);
    bar->addAction(compare);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = RecentProjects::load();
    for (const QString &path : recent) {
        QAction *action = m_recentMenu->addAction(QDir::toNativeSeparators(path));
        connect(action, &QAction::triggered, this, [this, path] { openProject(path); });
    }
    if (!recent.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear List"), this, [this] {
            RecentProjects::clear();
            rebuildRecentMenu();
            refresh();
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

QString MainWindow::projectFolder() const
{
    const QString folder = QSettings().value(kProjectFolderKey).toString();
    return !folder.isEmpty() && QFileInfo(folder).isDir() ? folder : QDir::homePath();
}

void MainWindow::rememberProjectFolder(const QString &path)
{
    QSettings().setValue(kProjectFolderKey, QFileInfo(path).absolutePath());
}

void MainWindow::newProjectDialog()
{
    QString path = QFileDialog::getSaveFileName(this, tr("New Project"), projectFolder(), kProjectFilter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1Char('.') + QLatin1String(Project::kSuffix);
    rememberProjectFolder(path);
    createProject(path);
}

void MainWindow::openProjectDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), projectFolder(), kProjectFilter);
    if (path.isEmpty())
        return;
    rememberProjectFolder(path);
    openProject(path);
}

void MainWindow::addModelDialog()
{
    if (!m_project) {
        showError(tr("No project open"), tr("Open or create a project before adding models to it."));
        return;
    }
    ModelPickerDialog dialog(*m_project, HuggingFaceCache::defaultHubDir(), this);
    dialog.exec();
    refresh();
}

bool MainWindow::createProject(const QString &path)
{
    auto project = Project::create(path);
    if (!project) {
        showError(tr("Cannot create the project"), project.error());
        return false;
    }
    setProject(std::move(project.value()));
    return true;
}

bool MainWindow::openProject(const QString &path)
{
    auto project = Project::open(path);
    if (!project) {
        showError(tr("Cannot open the project"), project.error());
        if (!QFileInfo::exists(path)) {
            RecentProjects::remove(path);
            rebuildRecentMenu();
            refresh();
        }
        return false;
    }
    setProject(std::move(project.value()));
    return true;
}

void MainWindow::setProject(std::unique_ptr<Project> project)
{
    if (m_runs->isBusy()) {
        // Held until the runs have stopped; a shared_ptr because std::function needs a copyable capture.
        auto next = std::make_shared<std::unique_ptr<Project>>(std::move(project));
        stopRunsThen(tr("open %1").arg(QFileInfo((*next)->path()).fileName()),
                     [this, next] { setProject(std::move(*next)); });
        return;
    }
    closeViews();
    m_runs->closeProject();
    m_project = std::move(project);
    m_runs->openProject(m_project.get());
    RecentProjects::add(m_project->path());
    rebuildRecentMenu();
    refresh();
    restoreTabs();
}

void MainWindow::closeProject()
{
    stopRunsThen(tr("close the project"), [this] { closeProjectNow(); });
}

void MainWindow::closeProjectNow()
{
    closeViews();
    m_runs->closeProject();
    m_project.reset();
    refresh();
}

void MainWindow::stopRunsThen(const QString &action, std::function<void()> then)
{
    if (!m_runs->isBusy()) {
        then();
        return;
    }
    if (m_stopping || !askToStopRuns(action))
        return;
    m_stopping = new QProgressDialog(tr("Stopping run %1 after its current batch and saving a checkpoint…")
                                         .arg(m_runs->currentRun()),
                                     QString(), 0, 0, this);
    m_stopping->setObjectName(QStringLiteral("stoppingDialog"));
    m_stopping->setWindowTitle(tr("Stopping Training"));
    m_stopping->setWindowModality(Qt::WindowModal);
    m_stopping->setCancelButton(nullptr);
    m_stopping->setMinimumDuration(0);
    m_stopping->setAttribute(Qt::WA_DeleteOnClose);
    m_stopping->show();
    connect(
        m_runs, &RunController::idle, this,
        [this, then] {
            if (m_stopping)
                m_stopping->close();
            then();
        },
        Qt::SingleShotConnection);
    m_runs->stopAll();
}

bool MainWindow::askToStopRuns(const QString &action)
{
    const qint64 running = m_runs->currentRun();
    const int waiting = int(m_runs->pendingRuns().size());
    QString text = running != 0 ? tr("Run %1 is training.").arg(running) : QString();
    if (waiting > 0)
        text += (text.isEmpty() ? QString() : QStringLiteral(" "))
            + plural(waiting, tr("1 run waits its turn."), tr("%1 runs wait their turn."));
    QMessageBox box(QMessageBox::Warning, tr("Stop Training?"), text, QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("stopRunsDialog"));
    box.setInformativeText(tr("To %1, training must stop. The running run stops after its current batch and keeps "
                              "a checkpoint: Resume in its tab (or transfer-studio-cli resume) continues it later. "
                              "Waiting runs are stopped too and can be resumed the same way.")
                               .arg(action));
    QPushButton *stop = box.addButton(tr("Stop Training"), QMessageBox::AcceptRole);
    stop->setObjectName(QStringLiteral("stopTrainingButton"));
    QPushButton *keep = box.addButton(tr("Keep Training"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepTrainingButton"));
    box.setDefaultButton(keep);
    box.setEscapeButton(keep);
    box.exec();
    return box.clickedButton() == stop;
}

void MainWindow::refresh()
{
    if (!m_project) {
        setWindowTitle(QString::fromLatin1(kApplicationName));
        m_explorer->clearProject();
        m_welcome->showStart(RecentProjects::load());
        m_statusProject->setText(tr("No project open"));
        return;
    }
    setWindowTitle(QStringLiteral("%1 — %2").arg(QFileInfo(m_project->path()).fileName(),
                                                  QString::fromLatin1(kApplicationName)));
    QString error;
    const auto summary = m_project->summary();
    if (!summary || !m_explorer->showProject(*m_project, &error)) {
        showError(tr("Cannot read the project"), summary ? error : summary.error());
        return;
    }
    if (const qint64 running = m_runs->currentRun(); running != 0)
        m_explorer->setRunStatus(running, RunRecord::Status::Running, m_runs->isPaused());
    for (const qint64 waiting : m_runs->pendingRuns())
        m_explorer->setRunStatus(waiting, RunRecord::Status::Queued);
    m_welcome->showSummary(summary.value());
    if (const auto space = SpaceMeter::measure(m_project->database(), m_project->path()))
        m_welcome->showSpace(space.value());
    m_statusProject->setText(QStringList{QDir::toNativeSeparators(m_project->path()),
                                         plural(summary->corpora, tr("1 corpus"), tr("%1 corpora")),
                                         plural(summary->models, tr("1 model"), tr("%1 models")),
                                         plural(summary->runs, tr("1 run"), tr("%1 runs"))}
                                 .join(QStringLiteral(" · ")));
}

QStringList MainWindow::corpusNames() const
{
    QStringList names;
    const auto corpora = ProjectCatalog::corpora(m_project->database());
    for (const CorpusEntry &corpus : corpora ? corpora.value() : QList<CorpusEntry>())
        names.append(corpus.name);
    return names;
}

ImportWizard *MainWindow::showImportWizard(const QString &file)
{
    if (!m_project) {
        showError(tr("No project open"), tr("Open or create a project before importing a corpus into it."));
        return nullptr;
    }
    auto *wizard = new ImportWizard(m_project->path(), corpusNames(), this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &ImportWizard::imported, this, [this](const QString &corpus) {
        refresh();
        reloadCorpus(corpus);
    });
    if (!file.isEmpty())
        wizard->setFile(file);
    wizard->open();
    return wizard;
}

CorpusView *MainWindow::showCorpus(const QString &name)
{
    if (!m_project)
        return nullptr;
    for (int i = 1; i < m_tabs->count(); ++i) {
        auto *view = qobject_cast<CorpusView *>(m_tabs->widget(i));
        if (view && view->corpus() == name) {
            m_tabs->setCurrentIndex(i);
            return view;
        }
    }
    auto *view = new CorpusView(m_project->path(), name, m_tabs);
    addTab(view, name);
    return view;
}

DomainShiftView *MainWindow::showDomainShift()
{
    if (!m_project) {
        showError(tr("No project open"), tr("Open a project with two corpora to compare them."));
        return nullptr;
    }
    auto *view = new DomainShiftView(m_project->path(), corpusNames(), m_tabs);
    addTab(view, tr("Domain shift"));
    return view;
}

void MainWindow::showPredictDialog(qint64 runId)
{
    if (!m_project) {
        showError(tr("No project open"), tr("Open a project with a finished run to predict."));
        return;
    }
    PredictDialog dialog(*m_project, runId, this);
    dialog.exec();
}

void MainWindow::newExperiment()
{
    if (!m_project) {
        showError(tr("No project open"), tr("Open or create a project with corpora and a model to run an experiment."));
        return;
    }
    ExperimentDialog dialog(m_project->database(), this);
    dialog.restoreSettings();
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (dialog.clusterField()->onCluster()) {
        m_cluster->submitExperiment(dialog.plan(), *dialog.clusterField());
        return;
    }
    const auto ids = m_runs->start(dialog.plan());
    if (!ids) {
        showError(tr("Cannot start the experiment"), ids.error());
        return;
    }
    showRun(ids->first());
}

void MainWindow::newBenchmark()
{
    if (!m_project) {
        showError(tr("No project open"), tr("Open or create a project with corpora and a model to run a benchmark."));
        return;
    }
    BenchmarkDialog dialog(m_project->database(), this);
    dialog.clusterField()->restoreSettings();
    if (dialog.exec() != QDialog::Accepted)
        return;
    dialog.clusterField()->saveSettings();
    if (dialog.clusterField()->onCluster()) {
        m_cluster->submitBenchmark(dialog.plan(), *dialog.clusterField());
        return;
    }
    qint64 group = 0;
    const auto ids = m_runs->startBenchmark(dialog.plan(), &group);
    if (!ids) {
        showError(tr("Cannot start the benchmark"), ids.error());
        return;
    }
    if (ComparisonView *view = showComparison())
        view->showBenchmark(group);
}

RunMonitor *MainWindow::showRun(qint64 runId)
{
    if (!m_project)
        return nullptr;
    for (int i = 1; i < m_tabs->count(); ++i) {
        auto *monitor = qobject_cast<RunMonitor *>(m_tabs->widget(i));
        if (monitor && monitor->runId() == runId) {
            m_tabs->setCurrentIndex(i);
            return monitor;
        }
    }
    auto *monitor = new RunMonitor(m_tabs);
    QString error;
    if (!m_runs->attach(monitor, runId, &error)) {
        delete monitor;
        showError(tr("Cannot show the run"), error);
        return nullptr;
    }
    connect(monitor, &RunMonitor::tryItRequested, this, [this](qint64 id) { showTryIt(true, id); });
    addTab(monitor, tr("Run %1").arg(runId));
    return monitor;
}

TryItPanel *MainWindow::showTryIt(bool run, qint64 id)
{
    if (!m_project) {
        showError(tr("No project open"), tr("Open a project with a model or a finished run to try it."));
        return nullptr;
    }
    auto *panel = new TryItPanel(*m_project, run ? TryItPanel::Source::Run : TryItPanel::Source::Model, id, m_tabs);
    for (int i = 1; i < m_tabs->count(); ++i) {
        if (m_tabs->tabText(i) == panel->title() && qobject_cast<TryItPanel *>(m_tabs->widget(i))) {
            delete panel;
            m_tabs->setCurrentIndex(i);
            return qobject_cast<TryItPanel *>(m_tabs->widget(i));
        }
    }
    addTab(panel, panel->title());
    panel->setFocus(); // ready to type or paste
    return panel;
}

ComparisonView *MainWindow::showComparison()
{
    if (!m_project) {
        showError(tr("No project open"), tr("Open a project with finished runs to compare them."));
        return nullptr;
    }
    for (int i = 1; i < m_tabs->count(); ++i) {
        if (auto *open = qobject_cast<ComparisonView *>(m_tabs->widget(i))) {
            m_tabs->setCurrentIndex(i);
            return open;
        }
    }
    auto *view = new ComparisonView(m_project->database(), m_tabs);
    connect(m_runs, &RunController::runsChanged, view, &ComparisonView::scheduleReload);
    addTab(view, tr("Comparison"));
    return view;
}

void MainWindow::addTab(QWidget *page, const QString &title)
{
    m_tabs->setCurrentIndex(m_tabs->addTab(page, title));
}

void MainWindow::closeTab(int index)
{
    if (index <= 0)
        return;
    QWidget *page = m_tabs->widget(index);
    m_tabs->removeTab(index);
    delete page;
}

void MainWindow::closeTabsFor(const QStringList &tabs)
{
    for (int i = m_tabs->count() - 1; i > 0; --i) {
        QWidget *page = m_tabs->widget(i);
        const auto *corpus = qobject_cast<CorpusView *>(page);
        const auto *monitor = qobject_cast<RunMonitor *>(page);
        if ((corpus && tabs.contains(QStringLiteral("corpus:") + corpus->corpus()))
            || (monitor && tabs.contains(QStringLiteral("run:%1").arg(monitor->runId()))))
            closeTab(i);
    }
}

void MainWindow::deleteItem(int kind, qint64 id, const QString &name)
{
    if (!m_project)
        return;
    const auto itemKind = ProjectExplorer::ItemKind(kind);
    bool deleted = false;
    const QList<qint64> runs = ItemEditor::deleteItem(this, *m_project, itemKind, id, name, &deleted);
    if (!deleted)
        return;
    QStringList gone;
    for (const qint64 run : runs)
        gone.append(QStringLiteral("run:%1").arg(run));
    if (itemKind == ProjectExplorer::ItemKind::Corpus)
        gone.append(QStringLiteral("corpus:") + name);
    closeTabsFor(gone);
    refresh();
}

void MainWindow::renameItem(int kind, qint64 id, const QString &name)
{
    if (!m_project)
        return;
    const auto itemKind = ProjectExplorer::ItemKind(kind);
    if (!ItemEditor::renameItem(this, *m_project, itemKind, id, name))
        return;
    if (itemKind == ProjectExplorer::ItemKind::Corpus)
        closeTabsFor({QStringLiteral("corpus:") + name});
    refresh();
}

void MainWindow::compactProject()
{
    if (!m_project)
        return;
    if (m_runs->isBusy()) {
        showError(tr("Compact Project"), tr("Runs are training in this window; compact the project once they have "
                                             "finished or stopped."));
        return;
    }
    if (!CompactionDialog::confirm(this, *m_project))
        return;
    const QString path = m_project->path();
    saveTabs();
    closeProjectNow();
    const QString outcome = CompactionDialog::compact(this, path);
    openProject(path);
    statusBar()->showMessage(outcome, 10000);
}

void MainWindow::importRunsDialog()
{
    if (!m_project) {
        showError(tr("No project open"), tr("Open or create a project to import runs into."));
        return;
    }
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Runs From Project"), projectFolder(), kProjectFilter);
    if (!path.isEmpty())
        importRunsFrom(path);
}

void MainWindow::importRunsFrom(const QString &path)
{
    if (!m_project)
        return;
    if (m_runs->isBusy()) {
        showError(tr("Import Runs From Project"), tr("Runs are training in this window; import runs once they have "
                                                     "finished or stopped."));
        return;
    }
    MergeDialog dialog(*m_project, path, this);
    if (!dialog.isValid()) {
        showError(tr("Import Runs From Project"), dialog.error());
        return;
    }
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString outcome = MergeDialog::merge(this, *m_project, path, dialog.params());
    refresh();
    statusBar()->showMessage(outcome, 10000);
}

QStringList MainWindow::openTabs() const
{
    QStringList tabs;
    for (int i = 1; i < m_tabs->count(); ++i) {
        QWidget *page = m_tabs->widget(i);
        if (auto *corpus = qobject_cast<CorpusView *>(page))
            tabs << QStringLiteral("corpus:") + corpus->corpus();
        else if (auto *monitor = qobject_cast<RunMonitor *>(page))
            tabs << QStringLiteral("run:%1").arg(monitor->runId());
        else if (qobject_cast<ComparisonView *>(page))
            tabs << QStringLiteral("comparison:");
        else if (qobject_cast<DomainShiftView *>(page))
            tabs << QStringLiteral("domain-shift:");
    }
    return tabs;
}

void MainWindow::saveTabs()
{
    if (!m_project)
        return;
    QSettings settings;
    QVariantMap all = settings.value(kOpenTabsKey).toMap();
    all.insert(m_project->path(), QVariantList{openTabs(), m_tabs->currentIndex()});
    settings.setValue(kOpenTabsKey, all);
}

void MainWindow::restoreTabs()
{
    const QVariantList saved = QSettings().value(kOpenTabsKey).toMap().value(m_project->path()).toList();
    if (saved.size() != 2)
        return;
    const QStringList corpora = corpusNames();
    for (const QString &tab : saved.at(0).toStringList()) {
        const QString kind = tab.section(QLatin1Char(':'), 0, 0);
        const QString value = tab.section(QLatin1Char(':'), 1);
        if (kind == QLatin1String("corpus") && corpora.contains(value))
            showCorpus(value);
        else if (kind == QLatin1String("run") && m_explorer->runItem(value.toLongLong()))
            showRun(value.toLongLong());
        else if (kind == QLatin1String("comparison"))
            showComparison();
        else if (kind == QLatin1String("domain-shift"))
            showDomainShift();
    }
    m_tabs->setCurrentIndex(qBound(0, saved.at(1).toInt(), m_tabs->count() - 1));
}

void MainWindow::closeViews()
{
    saveTabs();
    while (m_tabs->count() > 1)
        closeTab(m_tabs->count() - 1);
}

void MainWindow::reloadCorpus(const QString &name)
{
    for (int i = 1; i < m_tabs->count(); ++i) {
        if (auto *view = qobject_cast<CorpusView *>(m_tabs->widget(i)); view && view->corpus() == name)
            view->reload();
    }
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!ImportWizard::droppedFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = ImportWizard::droppedFile(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    // After the drop has ended, so that no dialog opens inside it. A project file opens; any
    // other file is imported into the open project.
    QTimer::singleShot(0, this, [this, path] {
        if (QFileInfo(path).suffix() == QLatin1String(Project::kSuffix))
            openProject(path);
        else
            showImportWizard(path);
    });
}

void MainWindow::showError(const QString &title, const QString &message)
{
    QMessageBox box(QMessageBox::Critical, title, message, QMessageBox::Ok, this);
    box.setObjectName(QStringLiteral("errorDialog"));
    box.exec();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Transfer Studio"),
                       tr("<h3>Transfer Studio %1</h3>"
                          "<p>A workbench for cross-domain transfer learning with pretrained language "
                          "models: compare source and target domains, fine-tune with domain adaptation "
                          "strategies, and watch source and target metrics side by side.</p>"
                          "<p>Built with Qt %2, libtorch and QCustomPlot.</p>")
                           .arg(QString::fromLatin1(kVersion), QString::fromLatin1(qVersion())));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_runs->isBusy()) {
        event->ignore();
        stopRunsThen(tr("close the window"), [this] { close(); });
        return;
    }
    saveTabs();
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    event->accept();
}

} // namespace ts::ui
