#include "main/MainWindow.h"

#include "explorer/ProjectExplorer.h"
#include "main/RecentProjects.h"
#include "main/WelcomePage.h"

#include "Version.h"
#include "project/Project.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace ts::ui {

namespace {
const QString kProjectFilter = QObject::tr("Transfer Studio projects (*.tstudio);;All files (*)");
}

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(QString::fromLatin1(kApplicationName));
    setWindowIcon(QIcon(QStringLiteral(":/icons/transfer-studio.svg")));

    m_welcome = new WelcomePage(this);
    setCentralWidget(m_welcome);
    connect(m_welcome, &WelcomePage::newProjectRequested, this, &MainWindow::newProjectDialog);
    connect(m_welcome, &WelcomePage::openProjectRequested, this, &MainWindow::openProjectDialog);
    connect(m_welcome, &WelcomePage::recentProjectRequested, this, &MainWindow::openProject);

    m_explorer = new ProjectExplorer(this);
    auto *dock = new QDockWidget(tr("Project"), this);
    dock->setObjectName(QStringLiteral("ProjectDock"));
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    dock->setWidget(m_explorer);
    addDockWidget(Qt::LeftDockWidgetArea, dock);

    m_statusProject = new QLabel(this);
    statusBar()->addWidget(m_statusProject, 1);

    createActions();
    resize(1100, 720);
    const QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
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
    closeAction->setShortcut(QKeySequence::Close);
    file->addSeparator();
    QAction *quitAction = file->addAction(tr("&Quit"), this, &QWidget::close);
    quitAction->setShortcut(QKeySequence::Quit);
    quitAction->setMenuRole(QAction::QuitRole);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Transfer Studio"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    rebuildRecentMenu();
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

void MainWindow::newProjectDialog()
{
    QString path = QFileDialog::getSaveFileName(this, tr("New Project"), QDir::homePath(), kProjectFilter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1Char('.') + QLatin1String(Project::kSuffix);
    createProject(path);
}

void MainWindow::openProjectDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), QDir::homePath(), kProjectFilter);
    if (!path.isEmpty())
        openProject(path);
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
    m_project = std::move(project);
    RecentProjects::add(m_project->path());
    rebuildRecentMenu();
    refresh();
}

void MainWindow::closeProject()
{
    m_project.reset();
    refresh();
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
    m_welcome->showSummary(summary.value());
    const QLocale locale;
    m_statusProject->setText(tr("%1 · %2 corpora · %3 models · %4 runs")
                                 .arg(QDir::toNativeSeparators(m_project->path()), locale.toString(summary->corpora),
                                      locale.toString(summary->models), locale.toString(summary->runs)));
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
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    event->accept();
}

} // namespace ts::ui
