// The run verbs as a user runs them: the quick demo, run / runs / metrics / export, Ctrl+C and
// resume, and the usage errors.
#include "CliRunner.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace ts;
using test::runCli;

namespace {

// Generous: on a busy 2-core machine the quick demo takes a minute or two.
constexpr int kDemoTimeoutMs = 900000;

QJsonArray runsOf(const QString &project)
{
    const auto r = runCli({QStringLiteral("runs"), project, QStringLiteral("--json")});
    return QJsonDocument::fromJson(r.out.toUtf8()).array();
}

} // namespace

class TestCliRuns : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void demoPrintsTableAndCharts();
    void runsJsonReportsFinalMetrics();
    void metricsCsv();
    void interruptThenResume();
    void exportWritesHuggingFaceFolder();
    void usageErrors();

private:
    QTemporaryDir m_dir;
    QString m_project;
    test::CliResult m_demo;
};

void TestCliRuns::initTestCase()
{
    m_project = m_dir.filePath(QStringLiteral("demo.tstudio"));
    m_demo = runCli({QStringLiteral("demo"), m_project, QStringLiteral("--quick")}, kDemoTimeoutMs);
    QVERIFY2(m_demo.exitCode == 0, qPrintable(m_demo.err.right(2000)));
}

void TestCliRuns::demoPrintsTableAndCharts()
{
    QVERIFY(m_demo.out.contains(QLatin1String("books -> electronics (test splits)")));
    for (const char *strategy : {"zero-shot", "source-only", "dapt", "dann"})
        QVERIFY2(m_demo.out.contains(QLatin1String(strategy)), strategy);
    QVERIFY(m_demo.out.contains(QLatin1String("target acc")));
    QVERIFY(m_demo.out.contains(QStringLiteral("transfer-studio %1").arg(m_project)));
    const QDir charts(m_dir.filePath(QStringLiteral("demo-charts")));
    if (!QFileInfo::exists(QFileInfo(QStringLiteral(TS_CLI_PATH)).dir().filePath(QStringLiteral("transfer-studio"))))
        QSKIP("the GUI binary that draws the charts is not built");
    QVERIFY2(charts.entryList({QStringLiteral("*.png")}).size() >= 12, qPrintable(m_demo.out));
    QVERIFY(charts.exists(QStringLiteral("target-accuracy-by-run.png")));
    // Running the demo again on the same file is refused, leaving it alone.
    const auto again = runCli({QStringLiteral("demo"), m_project, QStringLiteral("--quick")});
    QCOMPARE(again.exitCode, 1);
    QVERIFY(again.err.contains(QLatin1String("already exists")));
}

void TestCliRuns::runsJsonReportsFinalMetrics()
{
    const QJsonArray runs = runsOf(m_project);
    QCOMPARE(runs.size(), 5); // pre-training + four strategies
    QStringList strategies;
    for (const QJsonValue &v : runs) {
        const QJsonObject run = v.toObject();
        QCOMPARE(run.value(QLatin1String("status")).toString(), QStringLiteral("finished"));
        strategies << run.value(QLatin1String("strategy")).toString();
        for (const char *key : {"id", "source", "target", "model", "init_seed", "data_seed", "device", "metrics"})
            QVERIFY2(run.contains(QLatin1String(key)), key);
    }
    QCOMPARE(strategies, (QStringList{QStringLiteral("continued-pretraining"), QStringLiteral("zero-shot"),
                                      QStringLiteral("source-only"), QStringLiteral("dapt"), QStringLiteral("dann")}));
    const QJsonObject sourceOnly = runs.at(2).toObject().value(QLatin1String("metrics")).toObject();
    const double accuracy = sourceOnly.value(QLatin1String("target/test")).toObject().value(QLatin1String("accuracy")).toDouble(-1);
    QVERIFY(accuracy >= 0.0 && accuracy <= 1.0);
    const auto text = runCli({QStringLiteral("runs"), m_project});
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains(QLatin1String("books -> electronics")));
}

void TestCliRuns::metricsCsv()
{
    const auto r = runCli({QStringLiteral("metrics"), m_project, QStringLiteral("--run"), QStringLiteral("5"),
                           QStringLiteral("--csv")});
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), QStringLiteral("run,step,epoch,split,metric,value"));
    QVERIFY(lines.size() > 10);
    bool domainAccuracy = false;
    for (const QString &line : lines.mid(1)) {
        const QStringList cells = line.split(QLatin1Char(','));
        QCOMPARE(cells.size(), 6);
        QCOMPARE(cells[0], QStringLiteral("5"));
        bool number = false;
        cells[5].toDouble(&number);
        QVERIFY2(number, qPrintable(line));
        domainAccuracy = domainAccuracy || cells[4] == QLatin1String("domain_accuracy");
    }
    QVERIFY(domainAccuracy); // run 5 is dann
    QCOMPARE(runCli({QStringLiteral("metrics"), m_project, QStringLiteral("--run"), QStringLiteral("99")}).exitCode, 1);
}

void TestCliRuns::interruptThenResume()
{
    QProcess process;
    process.start(QStringLiteral(TS_CLI_PATH),
                  {QStringLiteral("run"), m_project, QStringLiteral("--source"), QStringLiteral("books"),
                   QStringLiteral("--target"), QStringLiteral("electronics"), QStringLiteral("--model"),
                   QStringLiteral("tiny-encoder-pretrained"), QStringLiteral("--strategy"), QStringLiteral("source-only"),
                   QStringLiteral("--epochs"), QStringLiteral("20"), QStringLiteral("--max-train"), QStringLiteral("64"),
                   QStringLiteral("--max-eval"), QStringLiteral("32"), QStringLiteral("--max-length"), QStringLiteral("32"),
                   QStringLiteral("--eval-every"), QStringLiteral("4")});
    QVERIFY(process.waitForStarted());
    QString err;
    QTRY_VERIFY_WITH_TIMEOUT((err += QString::fromUtf8(process.readAllStandardError())).contains(QLatin1String("[fine-tuning] step")),
                             300000);
    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(process.waitForFinished(120000));
    QCOMPARE(process.exitCode(), 0);
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(out.contains(QLatin1String("stopped; continue with")), qPrintable(out));
    // No --lr or --batch-size: the built-in model's own, said once with the reason.
    QCOMPARE(out.count(QLatin1String("tiny-encoder-pretrained: using --lr 0.001, --batch-size 32 (built-in model "
                                     "trained from scratch")),
             1);
    const QJsonObject cancelled = runsOf(m_project).last().toObject();
    QCOMPARE(cancelled.value(QLatin1String("status")).toString(), QStringLiteral("cancelled"));
    const QString id = QString::number(cancelled.value(QLatin1String("id")).toInt());

    const auto resumed = runCli({QStringLiteral("resume"), m_project, QStringLiteral("--run"), id}, kDemoTimeoutMs);
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err.right(1000)));
    QVERIFY(resumed.err.contains(QLatin1String("resuming from the checkpoint")));
    QCOMPARE(runsOf(m_project).last().toObject().value(QLatin1String("status")).toString(), QStringLiteral("finished"));
}

void TestCliRuns::exportWritesHuggingFaceFolder()
{
    QTemporaryDir out;
    const auto r = runCli({QStringLiteral("export"), m_project, QStringLiteral("--run"), QStringLiteral("3"),
                           QStringLiteral("--out"), out.path()});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    for (const char *file : {"config.json", "model.safetensors", "tokenizer.json"})
        QVERIFY2(QFile::exists(out.filePath(QLatin1String(file))), file);
    const auto zeroShot = runCli({QStringLiteral("export"), m_project, QStringLiteral("--run"), QStringLiteral("2"),
                                  QStringLiteral("--out"), out.path()});
    QCOMPARE(zeroShot.exitCode, 1);
    QVERIFY(zeroShot.err.contains(QLatin1String("zero-shot trains nothing")));
}

void TestCliRuns::usageErrors()
{
    const auto missing = runCli({QStringLiteral("run"), m_project, QStringLiteral("--source"), QStringLiteral("books")});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY(missing.err.contains(QLatin1String("--target is required")));
    const QStringList base{QStringLiteral("run"), m_project, QStringLiteral("--source"), QStringLiteral("books"),
                           QStringLiteral("--target"), QStringLiteral("electronics"), QStringLiteral("--model"),
                           QStringLiteral("tiny-encoder")};
    const auto strategy = runCli(base + QStringList{QStringLiteral("--strategy"), QStringLiteral("magic")});
    QCOMPARE(strategy.exitCode, 2);
    QVERIFY(strategy.err.contains(QLatin1String("use one of: zero-shot")));
    const auto option = runCli(base + QStringList{QStringLiteral("--strategy"), QStringLiteral("dann"),
                                                  QStringLiteral("--set"), QStringLiteral("rank=4")});
    QCOMPARE(option.exitCode, 2);
    QVERIFY(option.err.contains(QLatin1String("its options are domain_weight")));
    const auto range = runCli(base + QStringList{QStringLiteral("--strategy"), QStringLiteral("source-only"),
                                                 QStringLiteral("--batch-size"), QStringLiteral("0")});
    QCOMPARE(range.exitCode, 2);
    QVERIFY(range.err.contains(QLatin1String("\"batch_size\" is 0")));
    const auto model = runCli(base.mid(0, 7) + QStringList{QStringLiteral("nope"), QStringLiteral("--strategy"),
                                                           QStringLiteral("source-only")});
    QCOMPARE(model.exitCode, 1);
    QVERIFY(model.err.contains(QLatin1String("no model called \"nope\"")));
}

QTEST_GUILESS_MAIN(TestCliRuns)
#include "tst_cliruns.moc"
