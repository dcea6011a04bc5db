// Deleting and renaming from the project explorer (real widgets, offscreen): Delete asks with a
// confirmation naming what goes with the item, Cancel keeps everything, F2 renames; File > Compact
// Project shows the space by kind and compacts with a progress dialog.
#include "ProjectFixture.h"
#include "TempProject.h"

#include "explorer/ProjectExplorer.h"
#include "main/MainWindow.h"
#include "project/Project.h"

#include <QAction>
#include <QApplication>
#include <QFileInfo>
#include <QProgressDialog>
#include <QStatusBar>
#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>
#include <QTreeWidgetItem>

using namespace ts;

namespace {

constexpr int kCheckpointBytes = 1000000; // of the runs on corpus video, which compaction frees

} // namespace

class TestProjectEdit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void deleteAsksNamingTheRuns();
    void cancelKeepsEverything();
    void renameWithF2();
    void compactWithProgress();

private:
    /// The explorer item titled `text` under `branch`, null when there is none.
    static QTreeWidgetItem *child(QTreeWidgetItem *branch, const QString &text);
    /// Answers the next message box with the button titled `button`; its text lands in `text`.
    void answerBox(const QString &button, QString *text);

    std::unique_ptr<test::TempFolder> m_dir;
    QString m_path;
};

void TestProjectEdit::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("TransferStudioTest"));
    QApplication::setApplicationName(QStringLiteral("tst_projectedit"));
}

void TestProjectEdit::init()
{
    QSettings().clear();
    m_dir = std::make_unique<test::TempFolder>();
    m_path = m_dir->path(QStringLiteral("p.tstudio"));
    auto project = Project::create(m_path);
    QVERIFY(project);
    test::ProjectFixture rows(*project.value());
    const qint64 music = rows.corpus(QStringLiteral("music"));
    const qint64 video = rows.corpus(QStringLiteral("video"));
    const qint64 model = rows.model(QStringLiteral("tiny"));
    const qint64 seeds = rows.group(QStringLiteral("seeds"));
    rows.run(music, video, model, QStringLiteral("finished"), seeds);
    rows.run(music, video, model, QStringLiteral("finished"), seeds);
    rows.run(video, music, model, QStringLiteral("finished"), 0, kCheckpointBytes);
    rows.run(video, video, model, QStringLiteral("finished"), 0, kCheckpointBytes);
}

QTreeWidgetItem *TestProjectEdit::child(QTreeWidgetItem *branch, const QString &text)
{
    for (int i = 0; i < branch->childCount(); ++i) {
        if (branch->child(i)->text(0) == text)
            return branch->child(i);
    }
    return nullptr;
}

void TestProjectEdit::answerBox(const QString &button, QString *text)
{
    QTimer::singleShot(0, this, [button, text] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        *text = box->text();
        for (QAbstractButton *b : box->buttons()) {
            if (b->text() == button)
                b->click();
        }
    });
}

void TestProjectEdit::deleteAsksNamingTheRuns()
{
    ui::MainWindow window;
    QVERIFY(window.openProject(m_path));
    ui::ProjectExplorer *explorer = window.explorer();
    QTreeWidgetItem *music = child(explorer->corporaItem(), QStringLiteral("music"));
    QVERIFY(music);
    explorer->setCurrentItem(music);
    explorer->setFocus();

    QString asked;
    answerBox(QStringLiteral("Delete"), &asked);
    QTest::keyClick(explorer, Qt::Key_Delete);
    QVERIFY2(asked.startsWith(QLatin1String("Deleting corpus music also deletes its 3 runs (1, 2, 3)")), qPrintable(asked));
    QVERIFY(!child(explorer->corporaItem(), QStringLiteral("music")));
    QCOMPARE(explorer->runsItem()->childCount(), 1); // run 4; the group lost its runs and went
    QVERIFY(explorer->runItem(4));
    QVERIFY(!explorer->runItem(1));
    QCOMPARE(test::ProjectFixture(const_cast<Project &>(*window.project())).integrity(), QStringLiteral("ok"));
}

void TestProjectEdit::cancelKeepsEverything()
{
    ui::MainWindow window;
    QVERIFY(window.openProject(m_path));
    ui::ProjectExplorer *explorer = window.explorer();
    QTreeWidgetItem *group = explorer->runsItem()->child(0);
    QCOMPARE(group->text(0), QStringLiteral("Group 1 · seeds"));
    explorer->setCurrentItem(group);

    QString asked;
    answerBox(QStringLiteral("Cancel"), &asked);
    QTest::keyClick(explorer, Qt::Key_Delete);
    QVERIFY2(asked.startsWith(QLatin1String("Deleting group 1 also deletes its 2 runs")), qPrintable(asked));
    QCOMPARE(explorer->runsItem()->childCount(), 3);
    QCOMPARE(explorer->groupRuns(1), (QList<qint64>{1, 2}));
}

void TestProjectEdit::renameWithF2()
{
    ui::MainWindow window;
    QVERIFY(window.openProject(m_path));
    ui::ProjectExplorer *explorer = window.explorer();
    explorer->setCurrentItem(child(explorer->modelsItem(), QStringLiteral("tiny")));

    QString label;
    QTimer::singleShot(0, this, [&label] {
        if (auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget())) {
            label = dialog->labelText();
            dialog->setTextValue(QStringLiteral("tiny-v2"));
            dialog->accept();
        }
    });
    QTest::keyClick(explorer, Qt::Key_F2);
    QCOMPARE(label, QStringLiteral("New name of model tiny:"));
    QVERIFY(child(explorer->modelsItem(), QStringLiteral("tiny-v2")));
    QVERIFY(!child(explorer->modelsItem(), QStringLiteral("tiny")));

    // A corpus name in use is refused, with the reason.
    explorer->setCurrentItem(child(explorer->corporaItem(), QStringLiteral("music")));
    QString refusal;
    QTimer::singleShot(0, this, [this, &refusal] {
        if (auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget())) {
            dialog->setTextValue(QStringLiteral("video"));
            answerBox(QStringLiteral("OK"), &refusal);
            dialog->accept();
        }
    });
    QTest::keyClick(explorer, Qt::Key_F2);
    QVERIFY2(refusal.contains(QLatin1String("already has a corpus named video")), qPrintable(refusal));
    QVERIFY(child(explorer->corporaItem(), QStringLiteral("music")));
}

void TestProjectEdit::compactWithProgress()
{
    ui::MainWindow window;
    QVERIFY(window.openProject(m_path));
    ui::ProjectExplorer *explorer = window.explorer();
    QString asked;
    answerBox(QStringLiteral("Delete"), &asked);
    explorer->setCurrentItem(child(explorer->corporaItem(), QStringLiteral("video")));
    QTest::keyClick(explorer, Qt::Key_Delete);
    QVERIFY2(asked.contains(QLatin1String("its 4 runs")), qPrintable(asked));
    const qint64 before = QFileInfo(m_path).size() + QFileInfo(m_path + QStringLiteral("-wal")).size();

    QString overview;
    answerBox(QStringLiteral("Compact"), &overview);
    int progressShown = 0;
    QTimer watch;
    connect(&watch, &QTimer::timeout, this, [&progressShown] {
        if (qobject_cast<QProgressDialog *>(QApplication::activeModalWidget()))
            ++progressShown;
    });
    watch.start(0);
    window.findChild<QAction *>(QStringLiteral("actionCompactProject"))->trigger();
    watch.stop();
    QVERIFY2(overview.contains(QLatin1String("Checkpoints")) && overview.contains(QLatin1String("free space")),
             qPrintable(overview));
    QVERIFY(progressShown > 0);
    QVERIFY2(window.statusBar()->currentMessage().startsWith(QLatin1String("Compacted: ")),
             qPrintable(window.statusBar()->currentMessage()));
    QVERIFY(window.project());
    QVERIFY(QFileInfo(m_path).size() <= before - 2 * kCheckpointBytes);
    QVERIFY(child(window.explorer()->corporaItem(), QStringLiteral("music")));
    QCOMPARE(test::ProjectFixture(const_cast<Project &>(*window.project())).integrity(), QStringLiteral("ok"));
}

QTEST_MAIN(TestProjectEdit)
#include "tst_projectedit.moc"
