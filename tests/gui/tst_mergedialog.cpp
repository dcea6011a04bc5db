// File > Import Runs From Project (real widgets, offscreen): the dialog lists the other project's runs,
// the names that clash and the choices; importing copies the runs, and importing again copies nothing.
#include "MergeFixture.h"
#include "ProjectFixture.h"
#include "TempProject.h"

#include "explorer/MergeDialog.h"
#include "explorer/ProjectExplorer.h"
#include "main/MainWindow.h"
#include "project/Project.h"

#include <QApplication>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>
#include <QTimer>
#include <QTreeWidgetItem>

using namespace ts;

class TestMergeDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void listsRunsClashesAndChoices();
    void runningRunCannotBeChosen();
    void importThroughTheWindow();

private:
    /// Runs `act` on the merge dialog once it is shown modally.
    void onDialog(const std::function<void(ui::MergeDialog *)> &act);

    std::unique_ptr<test::TempFolder> m_dir;
    QString m_path;
    QString m_other;
};

void TestMergeDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("TransferStudioTest"));
    QApplication::setApplicationName(QStringLiteral("tst_mergedialog"));
}

void TestMergeDialog::init()
{
    QSettings().clear();
    m_dir = std::make_unique<test::TempFolder>();
    m_other = m_dir->path(QStringLiteral("other.tstudio"));
    {
        auto other = Project::create(m_other);
        QVERIFY(other);
        test::MergeFixture rows(*other.value());
        const qint64 music = rows.corpus(QStringLiteral("music"));
        const qint64 video = rows.corpus(QStringLiteral("video"));
        const qint64 model = rows.model(QStringLiteral("tiny"));
        const qint64 group = rows.group(QStringLiteral("seeds"));
        rows.run(music, video, model, 1, group);
        rows.run(music, video, model, 2, group);
        rows.run(video, video, model, 3);
    }
    m_path = m_dir->path(QStringLiteral("mine.tstudio"));
    auto mine = Project::create(m_path);
    QVERIFY(mine);
    test::MergeFixture(*mine.value()).corpus(QStringLiteral("music"), QStringLiteral(" of mine"));
}

void TestMergeDialog::onDialog(const std::function<void(ui::MergeDialog *)> &act)
{
    QTimer::singleShot(0, this, [act] {
        auto *dialog = qobject_cast<ui::MergeDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        act(dialog);
    });
}

void TestMergeDialog::listsRunsClashesAndChoices()
{
    auto mine = Project::open(m_path);
    QVERIFY(mine);
    ui::MergeDialog dialog(*mine.value(), m_other);
    QVERIFY2(dialog.isValid(), qPrintable(dialog.error()));
    auto *runs = dialog.findChild<QListWidget *>(QStringLiteral("mergeRuns"));
    auto *clashes = dialog.findChild<QLabel *>(QStringLiteral("mergeClashes"));
    auto *rename = dialog.findChild<QRadioButton *>(QStringLiteral("mergeRename"));
    auto *skip = dialog.findChild<QRadioButton *>(QStringLiteral("mergeSkip"));
    QVERIFY(runs && clashes && rename && skip);
    QCOMPARE(runs->count(), 3);
    QCOMPARE(dialog.params().runs, (QList<qint64>{1, 2, 3}));
    QVERIFY(!clashes->isHidden());
    QVERIFY2(clashes->text().contains(QLatin1String("corpus music (used by run(s) 1, 2)")), qPrintable(clashes->text()));
    QVERIFY(rename->text().contains(QLatin1String("music (2)")));
    QVERIFY(rename->isChecked());
    QCOMPARE(dialog.params().onClash, MergeClashChoice::Rename);
    skip->setChecked(true);
    QCOMPARE(dialog.params().onClash, MergeClashChoice::Skip);

    // Without the runs on music there is nothing to choose.
    runs->item(0)->setCheckState(Qt::Unchecked);
    runs->item(1)->setCheckState(Qt::Unchecked);
    QCOMPARE(dialog.params().runs, QList<qint64>{3});
    QVERIFY(clashes->isHidden());
    QVERIFY(skip->isHidden());
    runs->item(2)->setCheckState(Qt::Unchecked);
    QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("mergeImport"))->isEnabled());
}

void TestMergeDialog::runningRunCannotBeChosen()
{
    {
        auto other = Project::open(m_other);
        QVERIFY(other);
        test::MergeFixture(*other.value()).exec(QStringLiteral("UPDATE runs SET status = 'running' WHERE id = 3"), {});
    }
    auto mine = Project::open(m_path);
    QVERIFY(mine);
    ui::MergeDialog dialog(*mine.value(), m_other);
    QVERIFY(dialog.isValid());
    auto *runs = dialog.findChild<QListWidget *>(QStringLiteral("mergeRuns"));
    QVERIFY(!(runs->item(2)->flags() & Qt::ItemIsEnabled));
    QCOMPARE(dialog.params().runs, (QList<qint64>{1, 2}));
    QVERIFY(dialog.findChild<QPushButton *>(QStringLiteral("mergeImport"))->isEnabled());
}

void TestMergeDialog::importThroughTheWindow()
{
    ui::MainWindow window;
    QVERIFY(window.openProject(m_path));
    onDialog([](ui::MergeDialog *dialog) {
        dialog->findChild<QRadioButton *>(QStringLiteral("mergeRename"))->setChecked(true);
        dialog->findChild<QPushButton *>(QStringLiteral("mergeImport"))->click();
    });
    window.importRunsFrom(m_other);
    QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("Imported 3 run(s) from other.tstudio"));
    QStringList corpora;
    for (int i = 0; i < window.explorer()->corporaItem()->childCount(); ++i)
        corpora.append(window.explorer()->corporaItem()->child(i)->text(0));
    QVERIFY2(corpora.contains(QStringLiteral("music (2)")) && corpora.contains(QStringLiteral("video")),
             qPrintable(corpora.join(QLatin1Char(','))));
    for (qint64 run = 1; run <= 3; ++run)
        QVERIFY(window.explorer()->runItem(run));

    // Again: every run is already here; the dialog says so and offers nothing to import.
    QString summary;
    bool importEnabled = true;
    onDialog([&](ui::MergeDialog *dialog) {
        summary = dialog->findChild<QLabel *>(QStringLiteral("mergeSummary"))->text();
        importEnabled = dialog->findChild<QPushButton *>(QStringLiteral("mergeImport"))->isEnabled();
        dialog->reject();
    });
    window.importRunsFrom(m_other);
    QVERIFY2(summary.contains(QLatin1String("not copied again: run(s) 1, 2, 3")), qPrintable(summary));
    QVERIFY(!importEnabled);
    QCOMPARE(test::ProjectFixture(*const_cast<Project *>(window.project())).count(QStringLiteral("runs")), 3);
}

QTEST_MAIN(TestMergeDialog)
#include "tst_mergedialog.moc"
