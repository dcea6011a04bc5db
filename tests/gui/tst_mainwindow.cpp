// The main window with real widgets (offscreen): opening, creating and refusing projects, the
// project tree, recent projects.
#include "TempProject.h"

#include "explorer/ProjectExplorer.h"
#include "main/MainWindow.h"
#include "main/RecentProjects.h"
#include "project/Project.h"

#include <QApplication>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

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

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
