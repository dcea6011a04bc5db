// The import wizard with real widgets (offscreen): a dropped file previewed with its columns
// guessed, an import end to end with its report and the explorer refreshed, rejected rows
// listed with file:line, a refused file and a cancelled import leaving the project unchanged.
#include "TempProject.h"

#include "corpus/ImportDestinationPage.h"
#include "corpus/ImportFileName.h"
#include "corpus/ImportRunPage.h"
#include "corpus/ImportSourcePage.h"
#include "corpus/ImportWizard.h"
#include "explorer/ProjectExplorer.h"
#include "main/MainWindow.h"
#include "project/Project.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDropEvent>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>
#include <QUrl>

using namespace ts;

namespace {

const QString kData = QStringLiteral(TS_TEST_DATA_DIR "/corpus/");
// Rows of the generated file of the cancellation test: enough batches for a click to land.
constexpr int kLargeRows = 400000;
// How long an import of a fixture may take, in milliseconds.
constexpr int kImportTimeoutMs = 20000;

qint64 scalar(const QString &projectPath, const QString &sql)
{
    const auto project = Project::open(projectPath, Project::Access::ReadOnly);
    if (!project)
        return -1;
    QSqlQuery query(project.value()->database());
    return query.exec(sql) && query.next() ? query.value(0).toLongLong() : -1;
}

void drop(QWidget *target, const QString &path)
{
    QMimeData data;
    data.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QDropEvent dropEvent(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &dropEvent);
}

// Presses Next (or Import, on the commit page) as a person would.
void pressNext(ui::ImportWizard &wizard)
{
    QAbstractButton *button = wizard.currentPage()->isCommitPage() ? wizard.button(QWizard::CommitButton)
                                                                   : wizard.button(QWizard::NextButton);
    QVERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
}

} // namespace

class TestImportWizard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void droppedFileIsPreviewed();
    void headerAndDelimiterChangeThePreview();
    void importsCsvAndRefreshesExplorer();
    void listsRejectedRows();
    void refusedFileChangesNothing();
    void cancelLeavesProjectUnchanged();
    void dropOnMainWindowOpensWizard();
    void returnInFileFieldPreviews();
    void fileNameChoosesCorpusAndSplit();
    void duplicatesSayWhereTheyAre();
    void backAfterRefusedImport();
    void opensWithinTheMainWindow();

private:
    std::unique_ptr<test::TempFolder> m_dir;
    QString m_project;
};

void TestImportWizard::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("TransferStudioTest"));
    QApplication::setApplicationName(QStringLiteral("tst_importwizard"));
}

void TestImportWizard::init()
{
    QSettings().clear();
    m_dir = std::make_unique<test::TempFolder>();
    m_project = m_dir->path(QStringLiteral("p.tstudio"));
    QVERIFY(Project::create(m_project).ok());
}

void TestImportWizard::droppedFileIsPreviewed()
{
    ui::ImportWizard wizard(m_project, {});
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    drop(&wizard, kData + QStringLiteral("tickets.csv"));

    auto *preview = wizard.findChild<QTableWidget *>(QStringLiteral("preview"));
    QCOMPARE(preview->columnCount(), 3);
    QCOMPARE(preview->rowCount(), 12);
    QCOMPARE(preview->horizontalHeaderItem(1)->text(), QStringLiteral("body"));
    QCOMPARE(preview->item(1, 1)->text(), QStringLiteral("The parcel tracking page has said in transit for nine days"));
    QCOMPARE(wizard.findChild<QComboBox *>(QStringLiteral("delimiter"))->currentData().toInt(), int(';'));
    QVERIFY(wizard.findChild<QCheckBox *>(QStringLiteral("hasHeader"))->isChecked());
    QCOMPARE(wizard.findChild<QComboBox *>(QStringLiteral("textColumn"))->currentText(), QStringLiteral("body"));
    QCOMPARE(wizard.findChild<QComboBox *>(QStringLiteral("labelColumn"))->currentText(), QStringLiteral("category"));
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
}

void TestImportWizard::headerAndDelimiterChangeThePreview()
{
    ui::ImportWizard wizard(m_project, {});
    wizard.show();
    wizard.setFile(kData + QStringLiteral("tickets.csv"));
    auto *preview = wizard.findChild<QTableWidget *>(QStringLiteral("preview"));
    wizard.findChild<QCheckBox *>(QStringLiteral("hasHeader"))->setChecked(false);
    QCOMPARE(preview->rowCount(), 13);
    QCOMPARE(preview->item(0, 1)->text(), QStringLiteral("body"));
    auto *text = wizard.findChild<QComboBox *>(QStringLiteral("textColumn"));
    QCOMPARE(text->currentText(), QStringLiteral("Column 2"));
    QCOMPARE(text->currentData().toString(), QStringLiteral("1"));

    auto *delimiter = wizard.findChild<QComboBox *>(QStringLiteral("delimiter"));
    delimiter->setCurrentIndex(delimiter->findData(int(',')));
    QCOMPARE(preview->columnCount(), 2); // the texts with a comma split in two
    delimiter->setCurrentIndex(delimiter->findData(int(';')));
    QCOMPARE(preview->columnCount(), 3);

    // The same column for text and label is refused before anything is imported.
    auto *label = wizard.findChild<QComboBox *>(QStringLiteral("labelColumn"));
    label->setCurrentIndex(label->findData(text->currentData()));
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    QVERIFY(wizard.findChild<QLabel *>(QStringLiteral("sourceMessage"))->text().contains(QLatin1String("two different")));
}

void TestImportWizard::importsCsvAndRefreshesExplorer()
{
    ui::MainWindow window;
    QVERIFY(window.openProject(m_project));
    ui::ImportWizard *wizard = window.showImportWizard(kData + QStringLiteral("reviews.csv"));
    QVERIFY(wizard);
    pressNext(*wizard);
    QCOMPARE(wizard->currentId(), int(ui::ImportWizard::DestinationPageId));
    QCOMPARE(wizard->findChild<QComboBox *>(QStringLiteral("corpusName"))->currentText(), QStringLiteral("reviews"));
    QVERIFY(wizard->findChild<QAbstractButton *>(QStringLiteral("splitAuto"))->isChecked());
    pressNext(*wizard);
    QCOMPARE(wizard->currentId(), int(ui::ImportWizard::RunPageId));
    QTRY_VERIFY_WITH_TIMEOUT(!wizard->runPage()->isRunning(), kImportTimeoutMs);
    QVERIFY2(wizard->runPage()->succeeded(),
             qPrintable(wizard->findChild<QLabel *>(QStringLiteral("importHeadline"))->text()));
    QCOMPARE(wizard->runPage()->report().documents, 4);
    QCOMPARE(wizard->runPage()->report().duplicates, 1);
    QCOMPARE(wizard->findChild<QProgressBar *>(QStringLiteral("importProgress"))->value(), 1000);
    QVERIFY(wizard->findChild<QLabel *>(QStringLiteral("importHeadline"))->text().contains(QLatin1String("4 documents imported")));
    QVERIFY(wizard->findChild<QLabel *>(QStringLiteral("importHeadline"))->text().contains(
        QLatin1String("1 duplicate skipped (1 repeat an earlier row of this file)")));
    QVERIFY(wizard->button(QWizard::FinishButton)->isEnabled());

    const ui::ProjectExplorer *tree = window.explorer();
    QCOMPARE(tree->corporaItem()->childCount(), 1);
    QCOMPARE(tree->corporaItem()->child(0)->text(0), QStringLiteral("reviews"));
    QCOMPARE(tree->corporaItem()->child(0)->text(1), QStringLiteral("4 documents"));
    QCOMPARE(scalar(m_project, QStringLiteral("SELECT count(*) FROM documents WHERE label = 'pos'")), 2);
}

void TestImportWizard::listsRejectedRows()
{
    ui::ImportWizard wizard(m_project, {});
    wizard.show();
    wizard.setFile(kData + QStringLiteral("tickets.csv"));
    pressNext(wizard);
    wizard.destinationPage()->setCorpus(QStringLiteral("tickets"));
    pressNext(wizard);
    QTRY_VERIFY_WITH_TIMEOUT(!wizard.runPage()->isRunning(), kImportTimeoutMs);
    QVERIFY(wizard.runPage()->succeeded());
    QCOMPARE(wizard.runPage()->report().documents, 11);
    auto *rejected = wizard.findChild<QTableWidget *>(QStringLiteral("rejectedRows"));
    QVERIFY(!rejected->isHidden());
    QCOMPARE(rejected->rowCount(), 1);
    QVERIFY(rejected->item(0, 0)->text().endsWith(QLatin1String("tickets.csv:7")));
    QCOMPARE(rejected->item(0, 1)->text(), QStringLiteral("the text is empty"));
    QCOMPARE(scalar(m_project, QStringLiteral("SELECT count(*) FROM documents WHERE label = 'shipping'")), 4);
}

void TestImportWizard::refusedFileChangesNothing()
{
    const QString path = m_dir->path(QStringLiteral("empty-texts.csv"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("text,label\nfine,a\n");
        for (int i = 0; i < 20; ++i)
            file.write(",b\n");
    }
    ui::ImportWizard wizard(m_project, {});
    wizard.show();
    wizard.setFile(path);
    pressNext(wizard);
    pressNext(wizard);
    QTRY_VERIFY_WITH_TIMEOUT(!wizard.runPage()->isRunning(), kImportTimeoutMs);
    QVERIFY(!wizard.runPage()->succeeded());
    QVERIFY(wizard.findChild<QLabel *>(QStringLiteral("importHeadline"))->text().contains(QLatin1String("refused")));
    QVERIFY(wizard.findChild<QLabel *>(QStringLiteral("importStatus"))->text().contains(QLatin1String("Nothing was changed")));
    QCOMPARE(scalar(m_project, QStringLiteral("SELECT count(*) FROM corpora")), 0);
    QCOMPARE(scalar(m_project, QStringLiteral("SELECT count(*) FROM documents")), 0);
}

void TestImportWizard::cancelLeavesProjectUnchanged()
{
    const QString path = m_dir->path(QStringLiteral("large.csv"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("text,label\n");
        for (int i = 0; i < kLargeRows; ++i)
            file.write(QStringLiteral("document number %1 about topic %2,%3\n").arg(i).arg(i % 97).arg(i % 2).toUtf8());
    }
    ui::ImportWizard wizard(m_project, {});
    wizard.show();
    wizard.setFile(path);
    pressNext(wizard);
    pressNext(wizard);
    auto *progress = wizard.findChild<QProgressBar *>(QStringLiteral("importProgress"));
    QTRY_VERIFY_WITH_TIMEOUT(progress->value() > 0, kImportTimeoutMs);
    QVERIFY2(wizard.runPage()->isRunning(), "the import ended before Cancel could be pressed");
    QTest::mouseClick(wizard.findChild<QPushButton *>(QStringLiteral("cancelImport")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!wizard.runPage()->isRunning(), kImportTimeoutMs);
    QVERIFY(!wizard.runPage()->succeeded());
    QCOMPARE(wizard.findChild<QLabel *>(QStringLiteral("importHeadline"))->text(), QStringLiteral("Cancelled."));
    QVERIFY(wizard.findChild<QLabel *>(QStringLiteral("importStatus"))->text().contains(QLatin1String("Nothing was changed")));
    QCOMPARE(scalar(m_project, QStringLiteral("SELECT count(*) FROM corpora")), 0);
    QCOMPARE(scalar(m_project, QStringLiteral("SELECT count(*) FROM documents")), 0);
    QCOMPARE(scalar(m_project, QStringLiteral("SELECT count(*) FROM imports")), 0);
}

void TestImportWizard::dropOnMainWindowOpensWizard()
{
    ui::MainWindow window;
    QVERIFY(window.openProject(m_project));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    drop(&window, kData + QStringLiteral("reviews.csv"));
    ui::ImportWizard *wizard = nullptr;
    QTRY_VERIFY((wizard = window.findChild<ui::ImportWizard *>()) != nullptr);
    QCOMPARE(wizard->sourcePage()->path(), kData + QStringLiteral("reviews.csv"));
    QCOMPARE(wizard->sourcePage()->columns(), (QStringList{QStringLiteral("text"), QStringLiteral("label")}));
    wizard->reject();
}

void TestImportWizard::returnInFileFieldPreviews()
{
    ui::ImportWizard wizard(m_project, {});
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    auto *field = wizard.findChild<QLineEdit *>(QStringLiteral("filePath"));
    QTRY_COMPARE(wizard.focusWidget(), field); // the keyboard starts in the File field
    QTest::keyClicks(field, kData + QStringLiteral("reviews.csv"));
    QTest::keyClick(field, Qt::Key_Return);
    QCOMPARE(wizard.currentId(), int(ui::ImportWizard::SourcePageId)); // the preview, not the next page
    QVERIFY(wizard.findChild<QTableWidget *>(QStringLiteral("preview"))->rowCount() > 0);
    // Once the preview shows the file, Return goes on as in any dialog.
    QTest::keyClick(field, Qt::Key_Return);
    QCOMPARE(wizard.currentId(), int(ui::ImportWizard::DestinationPageId));
}

void TestImportWizard::fileNameChoosesCorpusAndSplit()
{
    const ui::ImportFileName fdu(QStringLiteral("/data/music.task.test"), {QStringLiteral("music"), QStringLiteral("video")});
    QCOMPARE(fdu.corpus(), QStringLiteral("music"));
    QVERIFY(fdu.existingCorpus());
    QCOMPARE(fdu.split(), std::optional<ImportSplit>(ImportSplit::Test));
    QCOMPARE(ui::ImportFileName(QStringLiteral("music.task.unlabel"), {}).split(),
             std::optional<ImportSplit>(ImportSplit::Unlabeled));
    QCOMPARE(ui::ImportFileName(QStringLiteral("books.dev.tsv"), {}).corpus(), QStringLiteral("books"));
    QCOMPARE(ui::ImportFileName(QStringLiteral("books.dev.tsv"), {}).split(),
             std::optional<ImportSplit>(ImportSplit::Validation));
    QCOMPARE(ui::ImportFileName(QStringLiteral("reviews.csv"), {}).split(), std::nullopt);

    const QString path = m_dir->path(QStringLiteral("music.test.tsv"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("label\ttext\npos\tgreat record\nneg\tdull record\npos\tlovely songs\n");
    }
    ui::ImportWizard wizard(m_project, {QStringLiteral("music"), QStringLiteral("video")});
    wizard.show();
    wizard.setFile(path);
    pressNext(wizard);
    QCOMPARE(wizard.currentId(), int(ui::ImportWizard::DestinationPageId));
    QCOMPARE(wizard.findChild<QComboBox *>(QStringLiteral("corpusName"))->currentText(), QStringLiteral("music"));
    QVERIFY(wizard.findChild<QAbstractButton *>(QStringLiteral("splitNamed"))->isChecked());
    QCOMPARE(wizard.findChild<QComboBox *>(QStringLiteral("namedSplit"))->currentData().toInt(), int(ImportSplit::Test));
    QCOMPARE(wizard.params().split, ImportSplit::Test);
}

void TestImportWizard::duplicatesSayWhereTheyAre()
{
    ImportReport report;
    report.corpus = QStringLiteral("music");
    report.duplicates = 102;
    report.duplicatesBySplit = {{QStringLiteral("train"), 100}, {QString(), 2}};
    const QString text = ui::ImportRunPage::duplicatesText(report);
    QVERIFY2(text.contains(QLatin1String("102 duplicates skipped")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("100 already in the train split of 'music'")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("2 repeat an earlier row of this file")), qPrintable(text));
    report.duplicatesBySplit = {{QStringLiteral("unlabeled"), 1}};
    report.duplicates = 1;
    QVERIFY(ui::ImportRunPage::duplicatesText(report).contains(QLatin1String("the unlabelled split")));
}

void TestImportWizard::backAfterRefusedImport()
{
    const QString path = m_dir->path(QStringLiteral("empty-texts.csv"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("text,label\nfine,a\n");
        for (int i = 0; i < 20; ++i)
            file.write(",b\n");
    }
    ui::ImportWizard wizard(m_project, {});
    wizard.show();
    wizard.setFile(path);
    pressNext(wizard);
    QVERIFY(!wizard.button(QWizard::BackButton)->isHidden()); // on the destination page
    pressNext(wizard);
    QTRY_VERIFY_WITH_TIMEOUT(!wizard.runPage()->isRunning(), kImportTimeoutMs);
    QVERIFY(!wizard.runPage()->succeeded());
    QAbstractButton *back = wizard.button(QWizard::BackButton);
    QVERIFY(back->isVisible());
    QVERIFY(back->isEnabled());
    QTest::mouseClick(back, Qt::LeftButton);
    QCOMPARE(wizard.currentId(), int(ui::ImportWizard::DestinationPageId));
    QVERIFY(wizard.currentPage()->isCommitPage()); // Import commits again
    QTest::mouseClick(wizard.button(QWizard::BackButton), Qt::LeftButton);
    QCOMPARE(wizard.currentId(), int(ui::ImportWizard::SourcePageId));
}

void TestImportWizard::opensWithinTheMainWindow()
{
    // The reading options on one row made the wizard wider than the main window's default 1200
    // pixels; long column names in the pickers must not widen it either.
    const QString path = m_dir->path(QStringLiteral("long-names.csv"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("customer_feedback_free_text_as_entered_in_the_web_form_of_the_support_portal_2019_to_2024,"
               "assigned_sentiment_category_after_manual_review_by_the_quality_team_in_the_second_pass\n"
               "\"The parcel arrived a week late\",negative\n\"Great service\",positive\n");
    file.close();
    ui::ImportWizard wizard(m_project, {});
    wizard.setFile(path); // before it opens, as for a file dropped on the main window
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QCOMPARE(wizard.findChild<QTableWidget *>(QStringLiteral("preview"))->columnCount(), 2);
    QVERIFY2(wizard.minimumSizeHint().width() <= ui::ImportWizard::kOpeningSize.width(),
             qPrintable(QString::number(wizard.minimumSizeHint().width())));
    QCOMPARE(wizard.width(), ui::ImportWizard::kOpeningSize.width());
}

QTEST_MAIN(TestImportWizard)
#include "tst_importwizard.moc"
