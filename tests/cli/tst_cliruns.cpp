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
    void keepChoosesWhatAFinishedRunKeeps();
    void strategyOptionsAreChecked();
    void preflightRecordsNothing();
    void strategiesJsonListsSchemas();
    void gradAccumulationIsSaidAndRecorded();
    void oneLogKeepsTheOrderOfEvents();

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
    QVERIFY2(m_demo.out.contains(QLatin1String("books -> electronics: source test, 300 texts and target test, 300 texts")),
             qPrintable(m_demo.out));
    for (const char *strategy : {"zero-shot", "source-only", "dapt", "dann", "majority class"})
        QVERIFY2(m_demo.out.contains(QLatin1String(strategy)), strategy);
    QVERIFY(m_demo.out.contains(QLatin1String("target acc")));
    // The demo prints what `runs --json` reports for the same run (RunSummary, the one definition).
    const QJsonArray runs = runsOf(m_project);
    for (const QJsonValue &v : runs) {
        const QJsonObject run = v.toObject();
        const QJsonObject target = run.value(QLatin1String("final")).toObject().value(QLatin1String("target")).toObject();
        if (target.isEmpty())
            continue;
        const QString strategy = run.value(QLatin1String("strategy")).toString();
        const QString accuracy = QString::number(target.value(QLatin1String("accuracy")).toDouble(), 'f', 3);
        bool printed = false;
        for (const QString &line : m_demo.out.split(QLatin1Char('\n'))) {
            if (line.startsWith(strategy + QLatin1Char(' ')) && line.contains(QLatin1Char(' ') + accuracy + QLatin1Char(' ')))
                printed = true;
        }
        QVERIFY2(printed, qPrintable(QStringLiteral("%1 %2 not in\n%3").arg(strategy, accuracy, m_demo.out)));
    }
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
    QCOMPARE(process.exitCode(), 130); // stopped by Ctrl+C: not a success, resumable
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
                                  QStringLiteral("--out"), out.filePath(QStringLiteral("zero-shot"))});
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
    QVERIFY2(range.err.contains(QLatin1String("--batch-size: \"0\" is not a whole number from 1 to 65536")),
             qPrintable(range.err));
    const auto model = runCli(base.mid(0, 7) + QStringList{QStringLiteral("nope"), QStringLiteral("--strategy"),
                                                           QStringLiteral("source-only")});
    QCOMPARE(model.exitCode, 1);
    QVERIFY(model.err.contains(QLatin1String("no model called \"nope\"")));
}

void TestCliRuns::keepChoosesWhatAFinishedRunKeeps()
{
    const QStringList base{QStringLiteral("run"), m_project, QStringLiteral("--source"), QStringLiteral("books"),
                           QStringLiteral("--target"), QStringLiteral("electronics"), QStringLiteral("--model"),
                           QStringLiteral("tiny-encoder"), QStringLiteral("--strategy"), QStringLiteral("source-only"),
                           QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--max-train"),
                           QStringLiteral("32"), QStringLiteral("--max-eval"), QStringLiteral("16"),
                           QStringLiteral("--max-length"), QStringLiteral("32"), QStringLiteral("--keep")};
    const auto wrong = runCli(base + QStringList{QStringLiteral("everything")});
    QCOMPARE(wrong.exitCode, 2);
    QVERIFY2(wrong.err.contains(QLatin1String("--keep is \"everything\"; use final, best-and-final, none")),
             qPrintable(wrong.err));
    // benchmark shares the flag (RunFlags).
    QVERIFY(runCli({QStringLiteral("benchmark"), QStringLiteral("--help")}).out.contains(QLatin1String("--keep")));

    const auto none = runCli(base + QStringList{QStringLiteral("none")}, kDemoTimeoutMs);
    QVERIFY2(none.exitCode == 0, qPrintable(none.err.right(1000)));
    const QJsonObject run = runsOf(m_project).last().toObject();
    QCOMPARE(run.value(QLatin1String("status")).toString(), QStringLiteral("finished"));
    const QString id = QString::number(run.value(QLatin1String("id")).toInt());
    QTemporaryDir out;
    const auto exported = runCli({QStringLiteral("export"), m_project, QStringLiteral("--run"), id, QStringLiteral("--out"),
                                  out.filePath(QStringLiteral("none"))});
    QCOMPARE(exported.exitCode, 1);
    QVERIFY2(exported.err.contains(QStringLiteral("run %1 kept no weights").arg(id)) &&
                 exported.err.contains(QLatin1String("--keep none")),
             qPrintable(exported.err));
    const auto predicted = runCli({QStringLiteral("predict"), m_project, QStringLiteral("--run"), id, QStringLiteral("--corpus"),
                                   QStringLiteral("electronics"), QStringLiteral("--split"), QStringLiteral("test"),
                                   QStringLiteral("--out"), out.filePath(QStringLiteral("p.csv"))});
    QCOMPARE(predicted.exitCode, 1);
    QVERIFY2(predicted.err.contains(QStringLiteral("run %1 kept no weights").arg(id)), qPrintable(predicted.err));
}

void TestCliRuns::strategyOptionsAreChecked()
{
    const QStringList base{QStringLiteral("run"), m_project, QStringLiteral("--source"), QStringLiteral("books"),
                           QStringLiteral("--target"), QStringLiteral("electronics"), QStringLiteral("--model"),
                           QStringLiteral("tiny-encoder"), QStringLiteral("--strategy")};
    const qsizetype before = runsOf(m_project).size();
    struct Case
    {
        const char *strategy;
        const char *set;
        QStringList expected;
    };
    const QList<Case> cases{
        {"dann", "domain_weight=nan", {QStringLiteral("option \"domain_weight\""), QStringLiteral("from 0 to 100")}},
        {"dann", "domain_weight=inf", {QStringLiteral("option \"domain_weight\""), QStringLiteral("from 0 to 100")}},
        {"dann", "domain_weight=101", {QStringLiteral("101 is not allowed"), QStringLiteral("from 0 to 100")}},
        {"lora", "rank=2.5", {QStringLiteral("option \"rank\""), QStringLiteral("a whole number from 1 to 1024")}},
        {"freeze", "freeze_embeddings=maybe", {QStringLiteral("\"maybe\" is not allowed"), QStringLiteral("true or false")}},
        {"lora", "rank", {QStringLiteral("--set rank: use the form KEY=VALUE")}},
    };
    for (const Case &c : cases) {
        const auto r = runCli(base + QStringList{QLatin1String(c.strategy), QStringLiteral("--set"), QLatin1String(c.set)});
        QCOMPARE(r.exitCode, 2);
        for (const QString &expected : c.expected)
            QVERIFY2(r.err.contains(expected), qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(c.set), r.err)));
    }
    QCOMPARE(runsOf(m_project).size(), before);
}

void TestCliRuns::preflightRecordsNothing()
{
    // issue 16, item 7: --max-length beyond the model's 256 positions used to fail inside training,
    // after the run was recorded.
    const qsizetype before = runsOf(m_project).size();
    const auto r = runCli({QStringLiteral("run"), m_project, QStringLiteral("--source"), QStringLiteral("books"),
                           QStringLiteral("--target"), QStringLiteral("electronics"), QStringLiteral("--model"),
                           QStringLiteral("tiny-encoder"), QStringLiteral("--strategy"), QStringLiteral("source-only"),
                           QStringLiteral("--max-length"), QStringLiteral("300")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QLatin1String("error: max_length (--max-length) is 300, but model \"tiny-encoder\" has "
                                          "positions for 256 tokens")),
             qPrintable(r.err));
    QCOMPARE(runsOf(m_project).size(), before);
}

void TestCliRuns::strategiesJsonListsSchemas()
{
    const auto r = runCli({QStringLiteral("strategies"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray strategies = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QVERIFY(strategies.size() >= 9);
    int numeric = 0;
    for (const QJsonValue &value : strategies) {
        const QJsonObject s = value.toObject();
        QVERIFY(!s.value(QLatin1String("name")).toString().isEmpty());
        QVERIFY(!s.value(QLatin1String("description")).toString().isEmpty());
        QVERIFY(s.value(QLatin1String("phases")).isArray());
        QVERIFY(s.value(QLatin1String("needs_unlabelled_target")).isBool());
        for (const QJsonValue &option : s.value(QLatin1String("options")).toArray()) {
            const QJsonObject o = option.toObject();
            const QString type = o.value(QLatin1String("type")).toString();
            QVERIFY2(QStringList({QStringLiteral("integer"), QStringLiteral("real"), QStringLiteral("text"),
                                  QStringLiteral("choice"), QStringLiteral("flag"), QStringLiteral("prompt"),
                                  QStringLiteral("label_words")}).contains(type), qPrintable(type));
            QVERIFY(o.contains(QLatin1String("default")));
            if (type == QLatin1String("integer") || type == QLatin1String("real")) {
                QVERIFY(o.value(QLatin1String("minimum")).toDouble() <= o.value(QLatin1String("default")).toDouble());
                QVERIFY(o.value(QLatin1String("default")).toDouble() <= o.value(QLatin1String("maximum")).toDouble());
                ++numeric;
            }
        }
    }
    QVERIFY(numeric > 5);
    const auto text = runCli({QStringLiteral("strategies")});
    QVERIFY2(text.out.contains(QLatin1String("--set rank=8")), qPrintable(text.out));
    QVERIFY(text.out.contains(QLatin1String("unlabelled target text")));
}

void TestCliRuns::gradAccumulationIsSaidAndRecorded()
{
    const QStringList base{QStringLiteral("run"), m_project, QStringLiteral("--source"), QStringLiteral("books"),
                           QStringLiteral("--target"), QStringLiteral("electronics"), QStringLiteral("--model"),
                           QStringLiteral("tiny-encoder"), QStringLiteral("--strategy"), QStringLiteral("source-only"),
                           QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--max-train"),
                           QStringLiteral("32"), QStringLiteral("--max-eval"), QStringLiteral("16"),
                           QStringLiteral("--max-length"), QStringLiteral("32"), QStringLiteral("--batch-size"),
                           QStringLiteral("8"), QStringLiteral("--grad-accumulation")};
    const auto wrong = runCli(base + QStringList{QStringLiteral("often")});
    QCOMPARE(wrong.exitCode, 2);
    QVERIFY2(wrong.err.contains(QLatin1String("--grad-accumulation is \"often\"; use auto or a number")), qPrintable(wrong.err));
    const auto tooMany = runCli(base + QStringList{QStringLiteral("9")});
    QVERIFY(tooMany.exitCode != 0);
    QVERIFY2(tooMany.err.contains(QLatin1String("\"gradient_accumulation\" is 9")), qPrintable(tooMany.err));
    QVERIFY(runCli({QStringLiteral("run"), QStringLiteral("--help")}).out.contains(QLatin1String("--grad-accumulation")));

    const auto split = runCli(base + QStringList{QStringLiteral("2")}, kDemoTimeoutMs);
    QVERIFY2(split.exitCode == 0, qPrintable(split.err.right(1000)));
    QVERIFY2(split.err.contains(QLatin1String("each batch of 8 in 2 micro-batches of up to 4")), qPrintable(split.err.right(2000)));
    const QJsonObject run = runsOf(m_project).last().toObject();
    QCOMPARE(run.value(QLatin1String("status")).toString(), QStringLiteral("finished"));
    const auto metrics = runCli({QStringLiteral("metrics"), m_project, QStringLiteral("--run"),
                                 QString::number(run.value(QLatin1String("id")).toInt()), QStringLiteral("--csv")});
    QCOMPARE(metrics.exitCode, 0);
    QVERIFY2(metrics.out.contains(QLatin1String(",train,grad_accumulation,2")), qPrintable(metrics.out.left(2000)));
}

void TestCliRuns::oneLogKeepsTheOrderOfEvents()
{
    // stdout and stderr into one log, as `run ... > log 2>&1` does: the settings line printed
    // before training comes before the training's progress (stdout was block-buffered and the
    // line landed at the end).
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral(TS_CLI_PATH),
                  {QStringLiteral("run"), m_project, QStringLiteral("--source"), QStringLiteral("books"),
                   QStringLiteral("--target"), QStringLiteral("electronics"), QStringLiteral("--model"),
                   QStringLiteral("tiny-encoder"), QStringLiteral("--strategy"), QStringLiteral("source-only"),
                   QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--max-train"), QStringLiteral("32"),
                   QStringLiteral("--max-eval"), QStringLiteral("16"), QStringLiteral("--max-length"),
                   QStringLiteral("32")});
    QVERIFY(process.waitForFinished(kDemoTimeoutMs));
    QCOMPARE(process.exitCode(), 0);
    const QString log = QString::fromUtf8(process.readAll());
    const qsizetype settings = log.indexOf(QLatin1String("tiny-encoder: using --lr"));
    const qsizetype progress = log.indexOf(QLatin1String("[fine-tuning] step 1/"));
    QVERIFY2(settings >= 0 && progress >= 0, qPrintable(log.left(2000)));
    QVERIFY2(settings < progress, qPrintable(log.left(2000)));
    QVERIFY2(log.contains(QLatin1String("for 1 epoch\n")), qPrintable(log.left(2000)));
    QVERIFY2(log.contains(QLatin1String("new best source/validation accuracy = ")), qPrintable(log.left(2000)));
    QVERIFY2(log.contains(QLatin1String(" (16 texts) at step ")), qPrintable(log.left(2000)));
}

QTEST_GUILESS_MAIN(TestCliRuns)
#include "tst_cliruns.moc"
