// The main window with real widgets (offscreen): opening, creating and refusing projects, the
// project tree (whole names, groups of runs), recent projects, shortcuts, window state restored.
#include "TempProject.h"

#include "explorer/ProjectExplorer.h"
#include "main/MainWindow.h"
#include "main/RecentProjects.h"
#include "main/WelcomePage.h"
#include "project/Project.h"
#include "runs/ComparisonView.h"

#include <QApplication>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace ts;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void startsWithoutProject();
    void createShowsEmptyTree();
    void openFillsTree();
    void badFileShowsErrorAndKeepsProject();
    void recentMenuListsOpenedProjects();
    void explorerShowsWholeNamesAndGroups();
    void shortcutsAreSetAndDistinct();
    void windowStateIsRestored();

private:
    std::unique_ptr<test::TempFolder> m_dir;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("TransferStudioTest"));
    QApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
}

void TestMainWindow::init()
{
    QSettings().clear();
    m_dir = std::make_unique<test::TempFolder>();
}

void TestMainWindow::startsWithoutProject()
{
    ui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(!window.project());
    QVERIFY(!window.explorer()->isEnabled());
    QCOMPARE(window.windowTitle(), QStringLiteral("Transfer Studio"));
}

void TestMainWindow::createShowsEmptyTree()
{
    ui::MainWindow window;
    const QString path = m_dir->path(QStringLiteral("new.tstudio"));
    QVERIFY(window.createProject(path));
    QVERIFY(window.project());
    QVERIFY(window.explorer()->isEnabled());
    QCOMPARE(window.explorer()->corporaItem()->childCount(), 0);
    QVERIFY(window.windowTitle().startsWith(QLatin1String("new.tstudio")));
    auto *welcome = qobject_cast<ui::WelcomePage *>(window.tabs()->widget(0));
    QVERIFY(welcome);
    QVERIFY2(welcome->nextStep().contains(QLatin1String("import")), qPrintable(welcome->nextStep()));
    QVERIFY(!welcome->findChildren<QToolButton *>().isEmpty()); // the main actions as buttons
}

void TestMainWindow::openFillsTree()
{
    const QString path = m_dir->path(QStringLiteral("filled.tstudio"));
    {
        auto project = Project::create(path);
        QVERIFY(project.ok());
        QSqlQuery q(project.value()->database());
        QVERIFY(q.exec(QStringLiteral("INSERT INTO corpora(id, name, created_at) VALUES (1, 'music', 'now')")));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO corpora(id, name, created_at) VALUES (2, 'video', 'now')")));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO documents(corpus_id, split, label, text) VALUES (1, 'train', '1', 'good')")));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO models(id, name, kind, architecture, created_at) "
                                      "VALUES (1, 'tiny-encoder', 'builtin', 'bert', 'now')")));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO runs(strategy, model_id, init_seed, data_seed, status, created_at) "
                                      "VALUES ('dann', 1, 1, 2, 'finished', 'now')")));
    }
    ui::MainWindow window;
    QVERIFY(window.openProject(path));
    const ui::ProjectExplorer *tree = window.explorer();
    QCOMPARE(tree->corporaItem()->childCount(), 2);
    QCOMPARE(tree->corporaItem()->child(0)->text(0), QStringLiteral("music"));
    QCOMPARE(tree->corporaItem()->child(0)->text(1), QStringLiteral("1 documents"));
    QCOMPARE(tree->modelsItem()->childCount(), 1);
    QCOMPARE(tree->modelsItem()->child(0)->text(1), QStringLiteral("bert"));
    QCOMPARE(tree->runsItem()->childCount(), 1);
    QVERIFY(tree->runsItem()->child(0)->text(1).contains(QLatin1String("dann")));
}

void TestMainWindow::badFileShowsErrorAndKeepsProject()
{
    ui::MainWindow window;
    const QString good = m_dir->path(QStringLiteral("good.tstudio"));
    QVERIFY(window.createProject(good));

    const QString bad = m_dir->path(QStringLiteral("bad.tstudio"));
    {
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not a project");
    }
    QString dialogText;
    QTimer::singleShot(0, this, [&dialogText] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            dialogText = box->text();
            box->accept();
        }
    });
    QVERIFY(!window.openProject(bad));
    QVERIFY2(dialogText.contains(bad), qPrintable(dialogText));
    QVERIFY(dialogText.contains(QLatin1String("not an SQLite database")));
    QVERIFY(window.project());
    QCOMPARE(window.project()->path(), good);
}

void TestMainWindow::recentMenuListsOpenedProjects()
{
    const QString a = m_dir->path(QStringLiteral("a.tstudio"));
    const QString b = m_dir->path(QStringLiteral("b.tstudio"));
    {
        ui::MainWindow window;
        QVERIFY(window.createProject(a));
        QVERIFY(window.createProject(b));
    }
    QCOMPARE(ui::RecentProjects::load(), (QStringList{b, a}));
    ui::MainWindow window;
    auto *recent = window.menuBar()->findChild<QMenu *>(QStringLiteral("menuRecent"));
    QVERIFY(recent);
    QVERIFY(recent->isEnabled());
    QAction *first = recent->actions().first();
    QCOMPARE(first->text(), b);
    first->trigger();
    QVERIFY(window.project());
    QCOMPARE(window.project()->path(), b);
}

void TestMainWindow::explorerShowsWholeNamesAndGroups()
{
    const QString longName = QStringLiteral("customer-support-tickets-2023-english");
    const QString path = m_dir->path(QStringLiteral("groups.tstudio"));
    {
        auto project = Project::create(path);
        QVERIFY(project.ok());
        QSqlQuery q(project.value()->database());
        QVERIFY(q.exec(QStringLiteral("INSERT INTO corpora(id, name, created_at) VALUES (1, '%1', 'now')").arg(longName)));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO run_groups(id, name, created_at) VALUES (1, 'seeds', 'now')")));
        for (int run = 1; run <= 3; ++run) {
            QVERIFY(q.exec(QStringLiteral("INSERT INTO runs(id, name, strategy, init_seed, data_seed, status, created_at, "
                                          "group_id) VALUES (%1, 'dann books -> electronics seed %1', 'dann', %1, 1, "
                                          "'finished', 'now', %2)")
                               .arg(run)
                               .arg(run < 3 ? QStringLiteral("1") : QStringLiteral("NULL"))));
        }
    }
    ui::MainWindow window;
    window.resize(1400, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.resizeDocks({window.findChild<QDockWidget *>(QStringLiteral("ProjectDock"))}, {480}, Qt::Horizontal);
    QVERIFY(window.openProject(path));
    ui::ProjectExplorer *tree = window.explorer();

    QTreeWidgetItem *corpus = tree->corporaItem()->child(0);
    const int nameWidth = tree->fontMetrics().horizontalAdvance(longName) + 2 * tree->indentation();
    QTRY_VERIFY2(tree->columnWidth(0) >= nameWidth,
                 qPrintable(QStringLiteral("%1 < %2").arg(tree->columnWidth(0)).arg(nameWidth)));
    QVERIFY(corpus->toolTip(0).contains(longName));
    QVERIFY(corpus->toolTip(1).contains(QLatin1String("documents")));

    QCOMPARE(tree->runsItem()->childCount(), 2); // the group, then the run recorded alone
    QTreeWidgetItem *group = tree->runsItem()->child(0);
    QCOMPARE(group->childCount(), 2);
    QCOMPARE(group->text(1), QStringLiteral("2 runs"));
    QVERIFY(group->isExpanded());
    QCOMPARE(tree->runItem(2), group->child(1));
    QCOMPARE(tree->runItem(3), tree->runsItem()->child(1));
    QVERIFY(tree->runItem(3)->text(0).contains(QLatin1String("seed 3")));
    QCOMPARE(tree->groupRuns(1), (QList<qint64>{1, 2}));

    // A folded group stays folded when the tree is read again.
    group->setExpanded(false);
    window.refresh();
    QVERIFY(!tree->runsItem()->child(0)->isExpanded());

    // Double-clicking the group compares its runs.
    Q_EMIT tree->itemActivated(tree->runsItem()->child(0), 0);
    auto *comparison = qobject_cast<ui::ComparisonView *>(window.tabs()->currentWidget());
    QVERIFY(comparison);
    QCOMPARE(comparison->selectedRuns(), (QList<qint64>{1, 2}));

    // In a narrow panel the names give the details a third of the width; tooltips keep every word.
    tree->resize(220, tree->height());
    QVERIFY(tree->columnWidth(0) <= tree->viewport()->width() * 2 / 3 + 1);
    QVERIFY(tree->runItem(1)->toolTip(0).contains(QLatin1String("dann books -> electronics seed 1")));
    QVERIFY(tree->runItem(1)->toolTip(0).contains(QLatin1String("finished")));
}

void TestMainWindow::shortcutsAreSetAndDistinct()
{
    ui::MainWindow window;
    for (const char *name : {"actionNew", "actionOpen", "actionCloseProject", "actionImport", "actionCompareDomains",
                             "actionAddModel", "actionNewExperiment", "actionCompareRuns", "actionCloseTab"}) {
        auto *action = window.findChild<QAction *>(QLatin1String(name));
        QVERIFY2(action, name);
        QVERIFY2(!action->shortcut().isEmpty(), name);
    }
    // An ambiguous shortcut triggers nothing: every key sequence belongs to one action.
    QHash<QKeySequence, QString> owners;
    for (QAction *action : window.findChildren<QAction *>()) {
        for (const QKeySequence &key : action->shortcuts()) {
            QVERIFY2(!owners.contains(key) || owners.value(key) == action->text(),
                     qPrintable(QStringLiteral("%1: %2 and %3").arg(key.toString(), owners.value(key), action->text())));
            owners.insert(key, action->text());
        }
    }
}

void TestMainWindow::windowStateIsRestored()
{
    {
        ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resize(900, 640);
        window.findChild<QDockWidget *>(QStringLiteral("ProjectDock"))->hide();
        QVERIFY(window.close());
    }
    ui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.size(), QSize(900, 640));
    QVERIFY(window.findChild<QDockWidget *>(QStringLiteral("ProjectDock"))->isHidden());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
