// The main window with real widgets (offscreen): opening, creating and refusing projects, the
// project tree (whole names, groups of runs), recent projects, shortcuts, window state restored.
#include "TempProject.h"

#include "charts/MetricChart.h"
#include "corpus/DomainShiftView.h"
#include "explorer/ProjectExplorer.h"
#include "main/MainWindow.h"
#include "main/RecentProjects.h"
#include "main/WelcomePage.h"
#include "project/Project.h"
#include "project/RunRecord.h"
#include "runs/ComparisonView.h"
#include "runs/RunMonitor.h"

#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidgetItem>

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
    void panelKeepsItsWidthBesideWidePages();
    void runStatusWordsAgree();
    void tabsReopenWithTheProject();
    void iconIsLinked();
    void comparisonShowsKeyColumnsAndExplainsEmptyBudget();
    void comparisonRowsSayTheirTextsAndTargetLabels();
    void comparisonRowsAlikeSayWhatTellsThemApart();

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
    QCOMPARE(tree->corporaItem()->child(0)->text(1), QStringLiteral("1 document")); // not "1 documents"
    QCOMPARE(tree->modelsItem()->childCount(), 1);
    QCOMPARE(tree->modelsItem()->child(0)->text(1), QStringLiteral("bert"));
    QCOMPARE(tree->runsItem()->childCount(), 1);
    QVERIFY(tree->runsItem()->child(0)->text(1).contains(QLatin1String("dann")));
    // The overview says where the file's bytes go and what compaction would free.
    const auto *space = window.findChild<QLabel *>(QStringLiteral("projectSpace"));
    QVERIFY(space && !space->isHidden());
    for (const char *part : {"on disk", "Corpora ", "run weights ", "checkpoints ", "predictions ", "Compacting would free"})
        QVERIFY2(space->text().contains(QLatin1String(part)), qPrintable(space->text()));
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
                             "actionAddModel", "actionNewExperiment", "actionCompareRuns", "actionCloseTab",
                             "actionGoToExplorer"}) {
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

namespace {

/// A project with two corpora of a few documents and runs in the given states (`status` names
/// as stored), each with one metric value.
QString projectWithRuns(const test::TempFolder &dir, const QString &name, const QStringList &statuses)
{
    const QString path = dir.path(name);
    auto project = Project::create(path);
    if (!project)
        return QString();
    QSqlQuery q(project.value()->database());
    q.exec(QStringLiteral("INSERT INTO corpora(id, name, created_at) VALUES (1, 'music', 'now'), (2, 'video', 'now')"));
    for (int i = 0; i < 6; ++i) {
        q.exec(QStringLiteral("INSERT INTO documents(corpus_id, split, label, text) VALUES (1, 'train', '%1', "
                              "'great album number %2'), (2, 'train', '%1', 'a fine film number %2')")
                   .arg(i % 2)
                   .arg(i));
    }
    for (int i = 0; i < statuses.size(); ++i) {
        q.exec(QStringLiteral("INSERT INTO runs(id, name, strategy, source_corpus_id, target_corpus_id, init_seed, "
                              "data_seed, status, error_text, created_at) VALUES (%1, 'pre-train tiny-encoder from "
                              "scratch on books and restaurants run %1', 'dann', 1, 2, 1, 2, '%2', '', 'now')")
                   .arg(i + 1)
                   .arg(statuses.at(i)));
        q.exec(QStringLiteral("INSERT INTO metrics(run_id, step, epoch, split, metric, value, time) VALUES "
                              "(%1, 1, 0.1, 'train', 'loss', 0.7, 0), (%1, 2, 0.2, 'source/test', 'accuracy', 0.9, 0), "
                              "(%1, 2, 0.2, 'target/test', 'accuracy', 0.7, 0)")
                   .arg(i + 1));
    }
    return path;
}

// Shows `window`, opens `path` in it and compares its runs 1 and 2; null when something fails.
/// The texts of `column`, sorted: rows come in no promised order.
QStringList sortedColumn(const QTableWidget *table, int column)
{
    QStringList texts;
    for (int row = 0; row < table->rowCount(); ++row)
        texts << table->item(row, column)->text();
    texts.sort();
    return texts;
}

/// projectWithRuns with two finished runs, changed by `statements`; empty when one fails.
QString twoFinishedRuns(const test::TempFolder &dir, const QString &name, const QStringList &statements)
{
    const QString path = projectWithRuns(dir, name, {QStringLiteral("finished"), QStringLiteral("finished")});
    auto project = Project::open(path);
    if (path.isEmpty() || !project)
        return QString();
    QSqlQuery q(project.value()->database());
    for (const QString &statement : statements) {
        if (!q.exec(statement))
            return QString();
    }
    return path;
}

ui::ComparisonView *comparisonOfRuns12(ui::MainWindow &window, const QString &path)
{
    window.show();
    if (path.isEmpty() || !QTest::qWaitForWindowExposed(&window) || !window.openProject(path))
        return nullptr;
    ui::ComparisonView *view = window.showComparison();
    if (view)
        view->setSelectedRuns({1, 2});
    return view;
}

} // namespace

void TestMainWindow::panelKeepsItsWidthBesideWidePages()
{
    const QString path = projectWithRuns(*m_dir, QStringLiteral("wide.tstudio"), {QStringLiteral("finished"),
                                                                                  QStringLiteral("interrupted"),
                                                                                  QStringLiteral("cancelled")});
    QVERIFY(!path.isEmpty());
    ui::MainWindow window; // the default size: what a first start shows
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(path));
    auto *dock = window.findChild<QDockWidget *>(QStringLiteral("ProjectDock"));
    const int windowWidth = window.width();
    const int panelWidth = dock->width();
    QVERIFY(panelWidth >= ui::ProjectExplorer::kMinimumWidth);

    // Compare Domains > Compute, whose status line says a lot (here: the corpora are too small).
    ui::DomainShiftView *shift = window.showDomainShift();
    QVERIFY(shift);
    QSignalSpy computed(shift, &ui::DomainShiftView::computed);
    QTest::mouseClick(shift->findChild<QPushButton *>(QStringLiteral("compute")), Qt::LeftButton);
    QVERIFY(computed.wait(60000));
    auto *status = shift->findChild<QLabel *>(QStringLiteral("status"));
    status->setText(status->text() + QStringLiteral(" ") + QString(400, QLatin1Char('x')));
    QTest::qWait(50);
    QCOMPARE(window.width(), windowWidth);
    QVERIFY2(dock->width() >= panelWidth, qPrintable(QStringLiteral("%1 < %2").arg(dock->width()).arg(panelWidth)));

    // Run tabs with long titles and status lines leave it as wide as it was.
    for (const qint64 run : {1, 2, 3})
        QVERIFY(window.showRun(run));
    QTest::qWait(50);
    QCOMPARE(window.width(), windowWidth);
    QVERIFY2(dock->width() >= panelWidth, qPrintable(QStringLiteral("%1 < %2").arg(dock->width()).arg(panelWidth)));
}

void TestMainWindow::runStatusWordsAgree()
{
    const QStringList stored{QStringLiteral("queued"), QStringLiteral("finished"), QStringLiteral("failed"),
                             QStringLiteral("cancelled"), QStringLiteral("interrupted")};
    const QString path = projectWithRuns(*m_dir, QStringLiteral("states.tstudio"), stored);
    ui::MainWindow window;
    QVERIFY(window.openProject(path));
    for (int i = 0; i < stored.size(); ++i) {
        RunRecord::Status status = RunRecord::Status::Queued;
        QVERIFY(RunRecord::parseStatus(stored.at(i), &status));
        const QString word = RunRecord::displayName(status);
        QTreeWidgetItem *item = window.explorer()->runItem(i + 1);
        QVERIFY(item);
        QCOMPARE(item->text(1), QStringLiteral("dann · ") + word);
        ui::RunMonitor *monitor = window.showRun(i + 1);
        QVERIFY(monitor);
        QVERIFY2(monitor->statusText().startsWith(word, Qt::CaseInsensitive),
                 qPrintable(word + QStringLiteral(": ") + monitor->statusText()));
    }
    QCOMPARE(window.explorer()->runItem(4)->text(1), QStringLiteral("dann · stopped")); // not "cancelled"
    // What this process knows before the file does: training, held, waiting.
    window.explorer()->setRunStatus(1, RunRecord::Status::Running);
    QCOMPARE(window.explorer()->runItem(1)->text(1), QStringLiteral("dann · running"));
    window.explorer()->setRunStatus(1, RunRecord::Status::Running, true);
    QCOMPARE(window.explorer()->runItem(1)->text(1), QStringLiteral("dann · paused"));
}

void TestMainWindow::tabsReopenWithTheProject()
{
    const QString path = projectWithRuns(*m_dir, QStringLiteral("tabs.tstudio"), {QStringLiteral("finished")});
    QStringList titles;
    {
        ui::MainWindow window;
        QVERIFY(window.openProject(path));
        QVERIFY(window.showCorpus(QStringLiteral("video")));
        QVERIFY(window.showRun(1));
        QVERIFY(window.showComparison());
        window.tabs()->setCurrentIndex(2);
        for (int i = 0; i < window.tabs()->count(); ++i)
            titles << window.tabs()->tabText(i);
        window.closeProject();
        QCOMPARE(window.tabs()->count(), 1);
        QVERIFY(window.openProject(path));
        QCOMPARE(window.tabs()->count(), 4);
        QVERIFY(window.close());
    }
    ui::MainWindow window; // a new start of the program
    QVERIFY(window.openProject(path));
    QStringList reopened;
    for (int i = 0; i < window.tabs()->count(); ++i)
        reopened << window.tabs()->tabText(i);
    QCOMPARE(reopened, titles);
    QCOMPARE(window.tabs()->currentIndex(), 2);
}

void TestMainWindow::iconIsLinked()
{
    QVERIFY(QFile::exists(QStringLiteral(":/icons/transfer-studio.svg")));
    ui::MainWindow window;
    QVERIFY(!window.windowIcon().isNull());
    QVERIFY(!window.windowIcon().availableSizes().isEmpty() || !window.windowIcon().pixmap(32).isNull());
}

void TestMainWindow::comparisonShowsKeyColumnsAndExplainsEmptyBudget()
{
    const QString path = projectWithRuns(*m_dir, QStringLiteral("compare.tstudio"),
                                         {QStringLiteral("finished"), QStringLiteral("finished")});
    ui::MainWindow window; // at the default size
    ui::ComparisonView *view = comparisonOfRuns12(window, path);
    QVERIFY(view);
    auto *pages = view->findChild<QTabWidget *>();
    QVERIFY(pages);
    pages->setCurrentIndex(1);
    QTableWidget *summary = view->summaryTable();
    QTRY_VERIFY(summary->rowCount() > 0 && summary->isVisible());
    QCOMPARE(summary->horizontalHeaderItem(1)->text(), QStringLiteral("Target accuracy (test)")); // the split the values come from
    QCOMPARE(summary->horizontalHeaderItem(2)->text(), QStringLiteral("Transfer gap"));
    for (const int column : {1, 2}) {
        const int right = summary->columnViewportPosition(column) + summary->columnWidth(column);
        QVERIFY2(right <= summary->viewport()->width(),
                 qPrintable(QStringLiteral("column %1 ends at %2 of %3").arg(column).arg(right).arg(summary->viewport()->width())));
    }
    // No sweep among the runs: the Label budget page says so instead of an empty chart.
    pages->setCurrentIndex(3);
    QTRY_VERIFY(view->budgetNote()->isVisible());
    QVERIFY(view->budgetNote()->text().contains(QLatin1String("label-budget sweep")));
    QVERIFY(!view->budgetChart()->isVisible());
}

void TestMainWindow::comparisonRowsSayTheirTextsAndTargetLabels()
{
    // Run 2 trained on 8 target labels per class; both counted their texts, the target's differently.
    const QString path = twoFinishedRuns(*m_dir, QStringLiteral("scopes.tstudio"),
                                         {QStringLiteral("UPDATE runs SET config_json = '{\"target_labels\": 8}' WHERE id = 2"),
                                          QStringLiteral("INSERT INTO metrics(run_id, step, epoch, split, metric, value, time) VALUES "
                                                         "(1, 2, 0.2, 'source/test', 'examples', 300, 0), "
                                                         "(1, 2, 0.2, 'target/test', 'examples', 290, 0), "
                                                         "(2, 2, 0.2, 'source/test', 'examples', 300, 0), "
                                                         "(2, 2, 0.2, 'target/test', 'examples', 274, 0)")});
    ui::MainWindow window;
    ui::ComparisonView *view = comparisonOfRuns12(window, path);
    QVERIFY(view);
    QTableWidget *summary = view->summaryTable();
    QTRY_COMPARE(summary->rowCount(), 2);
    // Shared by both rows: in the header; not shared: after each value.
    QCOMPARE(summary->horizontalHeaderItem(1)->text(), QStringLiteral("Target accuracy"));
    QCOMPARE(summary->horizontalHeaderItem(3)->text(), QStringLiteral("Source accuracy (test, 300 texts)"));
    QCOMPARE(sortedColumn(summary, 0), (QStringList{QStringLiteral("dann"), QStringLiteral("dann · 8 target labels per class")}));
    QCOMPARE(sortedColumn(summary, 1), (QStringList{QStringLiteral("0.700 (test, 274 texts)"), QStringLiteral("0.700 (test, 290 texts)")}));
}

void TestMainWindow::comparisonRowsAlikeSayWhatTellsThemApart()
{
    // Two DANN experiments on the same corpora and model, four settings apart.
    const QString path = twoFinishedRuns(
        *m_dir, QStringLiteral("alike.tstudio"),
        {QStringLiteral("UPDATE runs SET config_json = '{\"epochs\": 3, \"batch_size\": 8, \"max_train_examples\": 640, "
                        "\"options\": {\"lambda\": 0.3}}' WHERE id = 1"),
         QStringLiteral("UPDATE runs SET config_json = '{\"epochs\": 5, \"batch_size\": 4, \"max_train_examples\": 0, "
                        "\"options\": {\"lambda\": 1}}' WHERE id = 2")});
    ui::MainWindow window;
    ui::ComparisonView *view = comparisonOfRuns12(window, path);
    QVERIFY(view);
    QTableWidget *summary = view->summaryTable();
    QTRY_COMPARE(summary->rowCount(), 2);
    const QStringList names{QStringLiteral("dann · max_train_examples=640, epochs=3, batch_size=8, lambda=0.3"),
                            QStringLiteral("dann · max_train_examples=all, epochs=5, batch_size=4, lambda=1")};
    QCOMPARE(sortedColumn(summary, 0), names);
    // They wrap under the strategy: the values stay in view at the default window size.
    auto *pages = view->findChild<QTabWidget *>();
    pages->setCurrentIndex(1);
    QTRY_VERIFY(summary->isVisible());
    QTRY_VERIFY(summary->rowHeight(0) >= 2 * QFontMetrics(summary->font()).lineSpacing());
    for (const int column : {1, 2}) {
        const int right = summary->columnViewportPosition(column) + summary->columnWidth(column);
        QVERIFY2(right <= summary->viewport()->width(),
                 qPrintable(QStringLiteral("column %1 ends at %2 of %3").arg(column).arg(right).arg(summary->viewport()->width())));
    }
    // Strategies × domains keeps them apart too, instead of averaging both into one "dann".
    QTableWidget *matrix = view->findChild<QTableWidget *>(QStringLiteral("matrixTable"));
    QCOMPARE(sortedColumn(matrix, 0), names);
    pages->setCurrentIndex(2);
    QTRY_VERIFY(matrix->isVisible());
    QTRY_VERIFY(matrix->rowHeight(0) >= 2 * QFontMetrics(matrix->font()).lineSpacing());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
