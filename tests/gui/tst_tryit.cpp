// The Try it panel (offscreen) on a project made with the CLI: a classifier run shows every
// label's probability, the same numbers `predict` gives; runs that classify through their prompt
// (prompt fine-tuning, zero-shot in-context with calibration) show, for a text of their result,
// the label and probabilities their evaluation stored; a decoder's continuation streams into
// the output piece by piece and equals what `generate` gives; Stop ends a generation; an encoder
// without a trained head is offered nothing; the run monitor and the explorer lead to it.
#include "CliRunner.h"

#include "jobs/RunPredictor.h"
#include "jobs/TextGenerator.h"
#include "project/PredictionStore.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "project/RunVocabulary.h"
#include "runs/RunMonitor.h"
#include "runs/TryItPanel.h"

#include <QDoubleSpinBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;
using namespace ts::ui;
using test::runCli;

namespace {

constexpr int kTrainTimeoutMs = 600000;
constexpr int kWaitMs = 60000;
const QString kText = QStringLiteral("the battery died after two days");

QString sample(const char *name)
{
    return QStringLiteral(TS_SOURCE_DIR "/resources/samples/") + QLatin1String(name);
}

} // namespace

class TestTryIt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void classifierShowsEveryLabel();
    void promptRunsClassifyThroughTheirPrompt();
    void decoderStreamsItsContinuation();
    void stopEndsAGeneration();
    void encoderIsOfferedNothing();
    void monitorLeadsToIt();

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Project> m_project;
};

void TestTryIt::initTestCase()
{
    m_path = m_dir.filePath(QStringLiteral("tryit.tstudio"));
    QCOMPARE(runCli({QStringLiteral("create"), m_path}).exitCode, 0);
    for (const char *domain : {"books", "electronics"}) {
        const auto r = runCli({QStringLiteral("import"), m_path, QStringLiteral("--corpus"), QLatin1String(domain),
                               QStringLiteral("--file"), sample(qPrintable(QStringLiteral("%1.train.tsv").arg(QLatin1String(domain)))),
                               QStringLiteral("--no-header"), QStringLiteral("--label-column"), QStringLiteral("0"),
                               QStringLiteral("--text-column"), QStringLiteral("1"), QStringLiteral("--split-name"),
                               QStringLiteral("train")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }
    QCOMPARE(runCli({QStringLiteral("import"), m_path, QStringLiteral("--corpus"), QStringLiteral("electronics"),
                     QStringLiteral("--file"), sample("electronics.unlabeled.txt"), QStringLiteral("--format"),
                     QStringLiteral("txt"), QStringLiteral("--unlabeled")}).exitCode, 0);
    for (const char *builtin : {"tiny-decoder", "tiny-encoder"})
        QCOMPARE(runCli({QStringLiteral("add-model"), m_path, QStringLiteral("--builtin"), QLatin1String(builtin)}).exitCode, 0);
    const QStringList common{QStringLiteral("--source"), QStringLiteral("books"), QStringLiteral("--target"),
                             QStringLiteral("electronics"), QStringLiteral("--epochs"), QStringLiteral("1"),
                             QStringLiteral("--max-eval"), QStringLiteral("16"), QStringLiteral("--max-length"),
                             QStringLiteral("32"), QStringLiteral("--seed"), QStringLiteral("1")};
    const auto lm = runCli(QStringList{QStringLiteral("run"), m_path, QStringLiteral("--model"), QStringLiteral("tiny-decoder"),
                                       QStringLiteral("--strategy"), QStringLiteral("continued-pretraining")} + common,
                           kTrainTimeoutMs); // run 1
    QVERIFY2(lm.exitCode == 0, qPrintable(lm.err.right(2000)));
    const auto classifier = runCli(QStringList{QStringLiteral("run"), m_path, QStringLiteral("--model"),
                                               QStringLiteral("tiny-encoder"), QStringLiteral("--strategy"),
                                               QStringLiteral("source-only")} + common,
                                   kTrainTimeoutMs); // run 2
    QVERIFY2(classifier.exitCode == 0, qPrintable(classifier.err.right(2000)));
    const QStringList prompt{QStringLiteral("run"), m_path, QStringLiteral("--model"), QStringLiteral("tiny-decoder"),
                             QStringLiteral("--source"), QStringLiteral("books"), QStringLiteral("--target"),
                             QStringLiteral("electronics"), QStringLiteral("--epochs"), QStringLiteral("1"),
                             QStringLiteral("--max-train"), QStringLiteral("48"), QStringLiteral("--max-eval"),
                             QStringLiteral("16"), QStringLiteral("--max-length"), QStringLiteral("96"),
                             QStringLiteral("--seed"), QStringLiteral("1"), QStringLiteral("--set"),
                             QStringLiteral("prompt={text} Verdict: {mask}"), QStringLiteral("--set"),
                             QStringLiteral("label_words=0=bad,1=good")};
    const auto fineTuned = runCli(prompt + QStringList{QStringLiteral("--strategy"), QStringLiteral("prompt-fine-tune")},
                                  kTrainTimeoutMs); // run 3
    QVERIFY2(fineTuned.exitCode == 0, qPrintable(fineTuned.err.right(2000)));
    const auto inContext = runCli(prompt + QStringList{QStringLiteral("--strategy"), QStringLiteral("zero-shot"),
                                                       QStringLiteral("--set"), QStringLiteral("demonstrations=1"),
                                                       QStringLiteral("--set"), QStringLiteral("calibrate=true")},
                                  kTrainTimeoutMs); // run 4
    QVERIFY2(inContext.exitCode == 0, qPrintable(inContext.err.right(2000)));
    auto project = Project::open(m_path, Project::Access::ReadOnly);
    QVERIFY2(project, qPrintable(project.error()));
    m_project = std::move(project.value());
}

void TestTryIt::classifierShowsEveryLabel()
{
    TryItPanel panel(*m_project, TryItPanel::Source::Run, 2);
    QCOMPARE(int(panel.mode()), int(TryItPanel::Mode::Classify));
    QVERIFY(!panel.runButton()->isEnabled()); // nothing typed yet
    QTest::keyClicks(panel.input(), kText);
    QVERIFY(panel.runButton()->isEnabled());
    QSignalSpy finished(&panel, &TryItPanel::finished);
    QTest::mouseClick(panel.runButton(), Qt::LeftButton);
    QVERIFY(finished.wait(kWaitMs));
    QVERIFY2(finished.first().first().toBool(), qPrintable(panel.statusLabel()->text()));

    PredictParams params;
    params.projectPath = m_path;
    params.runId = 2;
    params.texts = {LabelledText{kText, -1}};
    const auto expected = RunPredictor::predict(params);
    QVERIFY2(expected, qPrintable(expected.error()));
    const Prediction &p = expected->predictions.predictions.first();
    const QStringList &classes = expected->predictions.classes;
    QTableWidget *table = panel.probabilityTable();
    QCOMPARE(table->rowCount(), int(classes.size()));
    double sum = 0;
    for (int row = 0; row < table->rowCount(); ++row) {
        const int c = int(classes.indexOf(table->item(row, 0)->text()));
        QVERIFY(c >= 0);
        QCOMPARE(table->item(row, 1)->text(), QString::number(p.probabilities[c], 'f', 3));
        sum += table->item(row, 1)->text().toDouble();
        if (row > 0) // most likely first
            QVERIFY(table->item(row, 1)->text().toDouble() <= table->item(row - 1, 1)->text().toDouble());
    }
    QVERIFY(qAbs(sum - 1.0) < 0.01);
    QVERIFY2(panel.predictedLabel()->text().contains(classes[p.predicted]), qPrintable(panel.predictedLabel()->text()));
    QVERIFY2(panel.sourceLabel()->text().contains(QLatin1String("run 2's model (source-only, tiny-encoder)")),
             qPrintable(panel.sourceLabel()->text()));
}

void TestTryIt::promptRunsClassifyThroughTheirPrompt()
{
    for (const qint64 run : {qint64(3), qint64(4)}) {
        // A text of the run's result (electronics has no validation split: it was carved from train).
        PredictionStore store(m_project->database());
        const auto stored = store.load(run, QString(Splits::kTargetValidation));
        QVERIFY2(stored, qPrintable(stored.error()));
        QVERIFY(stored->examples() > 0);
        const Prediction &p = stored->predictions.first();
        const auto text = store.documentTexts({p.documentId});
        QVERIFY2(text, qPrintable(text.error()));

        TryItPanel panel(*m_project, TryItPanel::Source::Run, run);
        QCOMPARE(int(panel.mode()), int(TryItPanel::Mode::Classify));
        panel.input()->setPlainText(text->first());
        QSignalSpy finished(&panel, &TryItPanel::finished);
        QTest::mouseClick(panel.runButton(), Qt::LeftButton);
        QVERIFY(finished.wait(kWaitMs));
        QVERIFY2(finished.first().first().toBool(), qPrintable(panel.statusLabel()->text()));
        QTableWidget *table = panel.probabilityTable();
        QCOMPARE(table->rowCount(), int(stored->classes.size()));
        for (int row = 0; row < table->rowCount(); ++row) {
            const int c = int(stored->classes.indexOf(table->item(row, 0)->text()));
            QVERIFY(c >= 0);
            QCOMPARE(table->item(row, 1)->text(), QString::number(p.probabilities[c], 'f', 3));
        }
        QVERIFY2(panel.predictedLabel()->text().startsWith(QStringLiteral("Predicted: %1 (").arg(stored->classes[p.predicted])),
                 qPrintable(panel.predictedLabel()->text()));
    }
}

void TestTryIt::decoderStreamsItsContinuation()
{
    TryItPanel panel(*m_project, TryItPanel::Source::Run, 1);
    QCOMPARE(int(panel.mode()), int(TryItPanel::Mode::Generate));
    QVERIFY(panel.output()->isVisible() || !panel.isVisible());
    panel.input()->setPlainText(QStringLiteral("the battery"));
    panel.maxNewTokensBox()->setValue(16);
    int updates = 0;
    connect(panel.output(), &QPlainTextEdit::textChanged, this, [&] { ++updates; });
    QSignalSpy finished(&panel, &TryItPanel::finished);
    panel.start();
    QVERIFY(panel.isBusy());
    QVERIFY(panel.stopButton()->isEnabled());
    QVERIFY(finished.wait(kWaitMs));
    QVERIFY2(finished.first().first().toBool(), qPrintable(panel.statusLabel()->text()));
    QVERIFY2(updates > 3, qPrintable(QString::number(updates))); // the prompt, then piece by piece

    TextGenerationParams params;
    params.projectPath = m_path;
    params.runId = 1;
    params.prompt = QStringLiteral("the battery");
    params.sampling.maxNewTokens = 16;
    const auto expected = TextGenerator::generate(params);
    QVERIFY2(expected, qPrintable(expected.error()));
    QCOMPARE(panel.output()->toPlainText(), params.prompt + expected->text);
    const QString source = panel.sourceLabel()->text();
    QVERIFY2(source.contains(QLatin1String("from run 1's model (continued-pretraining, tiny-decoder), greedy")),
             qPrintable(source));
    QVERIFY(!panel.isBusy() && !panel.stopButton()->isEnabled());
}

void TestTryIt::stopEndsAGeneration()
{
    TryItPanel panel(*m_project, TryItPanel::Source::Model, 1); // tiny-decoder, untrained
    QCOMPARE(int(panel.mode()), int(TryItPanel::Mode::Generate));
    panel.input()->setPlainText(QStringLiteral("the battery"));
    panel.maxNewTokensBox()->setValue(200);
    panel.temperatureBox()->setValue(1.0);
    QVERIFY(panel.seedBox()->isEnabled());
    QSignalSpy finished(&panel, &TryItPanel::finished);
    panel.start();
    panel.stop(); // before the first step: the worker is still loading the model
    QVERIFY(finished.wait(kWaitMs));
    QVERIFY2(panel.sourceLabel()->text().contains(QLatin1String("stopped by you")), qPrintable(panel.sourceLabel()->text()));
    QVERIFY2(panel.sourceLabel()->text().contains(QLatin1String("0 new tokens")), qPrintable(panel.sourceLabel()->text()));
    QCOMPARE(panel.output()->toPlainText(), QStringLiteral("the battery"));
}

void TestTryIt::encoderIsOfferedNothing()
{
    TryItPanel panel(*m_project, TryItPanel::Source::Model, 2); // tiny-encoder
    QCOMPARE(int(panel.mode()), int(TryItPanel::Mode::Unavailable));
    panel.input()->setPlainText(kText);
    QVERIFY(!panel.runButton()->isEnabled());
    const auto help = panel.findChildren<QLabel *>();
    const bool explained = std::any_of(help.begin(), help.end(), [](const QLabel *label) {
        return label->text().contains(QLatin1String("encoder without a trained head"));
    });
    QVERIFY(explained);
}

void TestTryIt::monitorLeadsToIt()
{
    RunMonitor monitor;
    const auto run = RunStore(m_project->database()).load(2);
    QVERIFY(run);
    monitor.setRun(run.value());
    monitor.setStatus(RunRecord::Status::Finished);
    auto *button = monitor.findChild<QPushButton *>(QStringLiteral("tryItButton"));
    QVERIFY(button && button->isEnabled());
    QSignalSpy requested(&monitor, &RunMonitor::tryItRequested);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.first().first().toLongLong(), qint64(2));
    monitor.setStatus(RunRecord::Status::Running);
    QVERIFY(!button->isEnabled());
}

QTEST_MAIN(TestTryIt)
#include "tst_tryit.moc"
