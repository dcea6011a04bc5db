// The results a user reads in the workbench are the command line's: a run trained by the CLI,
// opened in a monitor, shows in its Results tab the numbers `runs --json` reports; the error
// browser lists the target texts the run gets wrong; Runs > Predict… writes the CSV `predict`
// would, with the same accuracy, refuses to overwrite a file, and Cancel stops it.
#include "CliRunner.h"
#include "TempProject.h"

#include "project/Project.h"
#include "runs/PredictDialog.h"
#include "runs/PredictionBrowser.h"
#include "runs/RunController.h"
#include "runs/RunMonitor.h"
#include "runs/RunResultsPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace ts;
using namespace ts::ui;
using test::runCli;

namespace {

constexpr int kTrainTimeoutMs = 600000;

QString sample(const QString &name)
{
    return QStringLiteral(TS_SOURCE_DIR "/resources/samples/") + name;
}

} // namespace

class TestResultsFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void monitorShowsWhatCliReports();
    void predictDialogWritesCsv();

private:
    test::TempFolder m_dir;
    QString m_project;
    QJsonObject m_run; // `runs --json` of run 1
};

void TestResultsFlow::initTestCase()
{
    m_project = m_dir.path(QStringLiteral("flow.tstudio"));
    QCOMPARE(runCli({QStringLiteral("create"), m_project}, kTrainTimeoutMs).exitCode, 0);
    for (const QString &domain : {QStringLiteral("books"), QStringLiteral("electronics")}) {
        for (const QString &split : {QStringLiteral("train"), QStringLiteral("test")}) {
            const auto r = runCli({QStringLiteral("import"), m_project, QStringLiteral("--corpus"), domain,
                                   QStringLiteral("--file"), sample(domain + QLatin1Char('.') + split + QStringLiteral(".tsv")),
                                   QStringLiteral("--no-header"), QStringLiteral("--label-column"), QStringLiteral("0"),
                                   QStringLiteral("--text-column"), QStringLiteral("1"), QStringLiteral("--split-name"), split},
                                  kTrainTimeoutMs);
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        }
    }
    QCOMPARE(runCli({QStringLiteral("add-model"), m_project, QStringLiteral("--builtin"), QStringLiteral("tiny-encoder")},
                    kTrainTimeoutMs).exitCode,
             0);
    const auto run = runCli({QStringLiteral("run"), m_project, QStringLiteral("--source"), QStringLiteral("books"),
                             QStringLiteral("--target"), QStringLiteral("electronics"), QStringLiteral("--model"),
                             QStringLiteral("tiny-encoder"), QStringLiteral("--strategy"), QStringLiteral("source-only"),
                             QStringLiteral("--epochs"), QStringLiteral("2"), QStringLiteral("--lr"), QStringLiteral("1e-3"),
                             QStringLiteral("--max-length"), QStringLiteral("48")},
                            kTrainTimeoutMs);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err.right(1000)));
    const auto json = runCli({QStringLiteral("runs"), m_project, QStringLiteral("--json")}, kTrainTimeoutMs);
    m_run = QJsonDocument::fromJson(json.out.toUtf8()).array().at(0).toObject();
    QVERIFY(!m_run.isEmpty());
}

void TestResultsFlow::monitorShowsWhatCliReports()
{
    auto project = Project::open(m_project);
    QVERIFY2(project.ok(), qPrintable(project.error()));
    RunController controller;
    controller.openProject(project.value().get());
    RunMonitor monitor;
    QString error;
    QVERIFY2(controller.attach(&monitor, 1, &error), qPrintable(error));
    QTableWidget *table = monitor.resultsPanel()->resultsTable();
    QCOMPARE(table->rowCount(), 2);
    const QJsonObject final = m_run.value(QLatin1String("final")).toObject();
    for (int row = 0; row < 2; ++row) {
        const QJsonObject domain = final.value(table->item(row, 0)->text()).toObject();
        QCOMPARE(table->item(row, 2)->text(), QString::number(domain.value(QLatin1String("examples")).toInt()));
        QCOMPARE(table->item(row, 3)->text(), QString::number(domain.value(QLatin1String("accuracy")).toDouble(), 'f', 3));
        QCOMPARE(table->item(row, 4)->text(), QString::number(domain.value(QLatin1String("macro_f1")).toDouble(), 'f', 3));
        QCOMPARE(table->item(row, 6)->text(),
                 QString::number(domain.value(QLatin1String("majority_accuracy")).toDouble(), 'f', 3));
    }
    // The error browser: every wrongly predicted target text, and all of them without the filter.
    const QJsonObject target = final.value(QLatin1String("target")).toObject();
    const int examples = target.value(QLatin1String("examples")).toInt();
    const int wrong = int(std::lround((1.0 - target.value(QLatin1String("accuracy")).toDouble()) * examples));
    QCOMPARE(monitor.predictionBrowser()->shownCount(), wrong);
    monitor.predictionBrowser()->setFilter(-1, -1, false);
    QCOMPARE(monitor.predictionBrowser()->shownCount(), examples);
    QVERIFY(!monitor.predictionBrowser()->table()->item(0, 4)->text().isEmpty()); // the text itself
    controller.closeProject();
}

void TestResultsFlow::predictDialogWritesCsv()
{
    auto project = Project::open(m_project);
    QVERIFY(project.ok());
    PredictDialog dialog(*project.value(), 1);
    QCOMPARE(dialog.runBox()->currentData().toLongLong(), 1);
    dialog.corpusBox()->setCurrentIndex(dialog.corpusBox()->findData(QStringLiteral("electronics")));
    const QString out = m_dir.path(QStringLiteral("predicted.csv"));
    dialog.outputEdit()->setText(out);
    QSignalSpy done(&dialog, &PredictDialog::finished);
    dialog.start();
    QVERIFY(done.wait(kTrainTimeoutMs));
    QVERIFY2(done.first().first().toBool(), qPrintable(dialog.message()));
    const QJsonObject target = m_run.value(QLatin1String("final")).toObject().value(QLatin1String("target")).toObject();
    QVERIFY2(dialog.message().contains(
                 QStringLiteral("Accuracy on the %1 labelled texts: %2")
                     .arg(target.value(QLatin1String("examples")).toInt())
                     .arg(target.value(QLatin1String("accuracy")).toDouble(), 0, 'f', 3)),
             qPrintable(dialog.message()));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), target.value(QLatin1String("examples")).toInt() + 1);
    file.close();
    // The same file again is refused without touching it.
    const QByteArray before = test::fileDigest(out);
    done.clear();
    dialog.start();
    QCOMPARE(done.size(), 1);
    QVERIFY(!done.first().first().toBool());
    QVERIFY(dialog.message().contains(QLatin1String("already exists")));
    QCOMPARE(test::fileDigest(out), before);
    // A file of the user's, read as an import reads it; its lines are the ids.
    dialog.fileChoice()->setChecked(true);
    dialog.fileEdit()->setText(sample(QStringLiteral("electronics.test.tsv")));
    dialog.headerBox()->setChecked(false);
    dialog.textColumnEdit()->setText(QStringLiteral("1"));
    dialog.labelColumnEdit()->setText(QStringLiteral("0"));
    dialog.outputEdit()->setText(m_dir.path(QStringLiteral("from-file.csv")));
    done.clear();
    dialog.start();
    QVERIFY(done.wait(kTrainTimeoutMs));
    QVERIFY2(done.first().first().toBool(), qPrintable(dialog.message()));
    // The stored predictions, the corpus and the file agree (the file holds the same test texts).
    QVERIFY2(dialog.message().contains(QStringLiteral("Accuracy on the %1 labelled texts: %2")
                                           .arg(target.value(QLatin1String("examples")).toInt())
                                           .arg(target.value(QLatin1String("accuracy")).toDouble(), 0, 'f', 3)),
             qPrintable(dialog.message()));
    QFile fromFile(m_dir.path(QStringLiteral("from-file.csv")));
    QVERIFY(fromFile.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = fromFile.readAll().split('\n');
    QVERIFY(lines.at(1).startsWith("1,")); // the file's first line
    QVERIFY(lines.at(2).startsWith("2,"));
}

QTEST_MAIN(TestResultsFlow)
#include "tst_resultsflow.moc"
