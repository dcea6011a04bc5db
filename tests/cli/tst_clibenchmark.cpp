// `benchmark`: a 2 pairs x 2 strategies x 2 seeds matrix with the tiny built-in model on the
// embedded sample corpora records one group of 8 runs and prints the table; Ctrl+C mid-matrix
// exits 130, and `--resume GROUP` runs only the cells that had not finished; the table files are
// never written over an existing file.
#include "CliProject.h"
#include "CliRunner.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace ts;
using test::runCli;

namespace {

constexpr int kTrainTimeoutMs = 600000;
constexpr int kCells = 8;

/// Run id -> status of every run of the project.
QMap<int, QString> statuses(const QString &project)
{
    QMap<int, QString> all;
    const auto r = runCli({QStringLiteral("runs"), project, QStringLiteral("--json")});
    for (const QJsonValue &v : QJsonDocument::fromJson(r.out.toUtf8()).array())
        all.insert(v.toObject().value(QLatin1String("id")).toInt(), v.toObject().value(QLatin1String("status")).toString());
    return all;
}

/// The run ids of the progress lines "[k/8 done] run ID: ..." in `out`.
QList<int> executedRuns(const QString &out)
{
    QList<int> ids;
    static const QRegularExpression line(QStringLiteral("^\\[\\d+/\\d+ done\\] run (\\d+): "),
                                         QRegularExpression::MultilineOption);
    for (auto it = line.globalMatch(out); it.hasNext();)
        ids.append(it.next().captured(1).toInt());
    return ids;
}

} // namespace

class TestCliBenchmark : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void usageErrors();
    void interruptThenResumeFinishesTheRest();

private:
    QTemporaryDir m_dir;
    QString m_project;
};

void TestCliBenchmark::initTestCase()
{
    m_project = m_dir.filePath(QStringLiteral("bench.tstudio"));
    QCOMPARE(runCli({QStringLiteral("create"), m_project}).exitCode, 0);
    for (const QString domain : {QStringLiteral("books"), QStringLiteral("electronics")}) {
        for (const QString split : {QStringLiteral("train"), QStringLiteral("test")}) {
            const auto r = runCli({QStringLiteral("import"), m_project, QStringLiteral("--corpus"), domain,
                                   QStringLiteral("--file"), test::sampleFile(QStringLiteral("%1.%2.tsv").arg(domain, split)),
                                   QStringLiteral("--no-header"), QStringLiteral("--label-column"), QStringLiteral("0"),
                                   QStringLiteral("--text-column"), QStringLiteral("1"), QStringLiteral("--split-name"),
                                   split});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        }
    }
    const auto model = runCli({QStringLiteral("add-model"), m_project, QStringLiteral("--builtin"), QStringLiteral("tiny-encoder")},
                              kTrainTimeoutMs);
    QVERIFY2(model.exitCode == 0, qPrintable(model.err));
}

void TestCliBenchmark::usageErrors()
{
    const QStringList base{QStringLiteral("benchmark"), m_project, QStringLiteral("--model"), QStringLiteral("tiny-encoder"),
                           QStringLiteral("--strategies"), QStringLiteral("source-only")};
    const auto pair = runCli(base + QStringList{QStringLiteral("--pairs"), QStringLiteral("books-electronics")});
    QCOMPARE(pair.exitCode, 2);
    QVERIFY2(pair.err.contains(QLatin1String("is not SOURCE:TARGET")), qPrintable(pair.err));
    const auto strategy = runCli({QStringLiteral("benchmark"), m_project, QStringLiteral("--model"), QStringLiteral("tiny-encoder"),
                                  QStringLiteral("--strategies"), QStringLiteral("magic"), QStringLiteral("--pairs"),
                                  QStringLiteral("all")});
    QCOMPARE(strategy.exitCode, 2);
    const auto option = runCli(base + QStringList{QStringLiteral("--pairs"), QStringLiteral("all"), QStringLiteral("--set"),
                                                  QStringLiteral("rank=4")});
    QCOMPARE(option.exitCode, 2);
    QVERIFY2(option.err.contains(QLatin1String("none of the strategies source-only has an option rank")), qPrintable(option.err));
    const auto group = runCli({QStringLiteral("benchmark"), m_project, QStringLiteral("--resume"), QStringLiteral("99")});
    QCOMPARE(group.exitCode, 1);
    QVERIFY(group.err.contains(QLatin1String("there is no run group 99")));
    QVERIFY(statuses(m_project).isEmpty()); // nothing was recorded
}

void TestCliBenchmark::interruptThenResumeFinishesTheRest()
{
    QProcess process;
    // --pairs all: the two corpora give books -> electronics and electronics -> books.
    process.start(QStringLiteral(TS_CLI_PATH),
                  {QStringLiteral("benchmark"), m_project, QStringLiteral("--pairs"), QStringLiteral("all"),
                   QStringLiteral("--strategies"), QStringLiteral("source-only,freeze"), QStringLiteral("--seeds"),
                   QStringLiteral("2"), QStringLiteral("--model"), QStringLiteral("tiny-encoder"), QStringLiteral("--epochs"),
                   QStringLiteral("2"), QStringLiteral("--max-train"), QStringLiteral("64"), QStringLiteral("--max-eval"),
                   QStringLiteral("32"), QStringLiteral("--max-length"), QStringLiteral("32")});
    QVERIFY(process.waitForStarted());
    QString out;
    QTRY_VERIFY_WITH_TIMEOUT((out += QString::fromUtf8(process.readAllStandardOutput())).contains(QLatin1String("[3/8 done]")),
                             300000);
    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(process.waitForFinished(120000));
    out += QString::fromUtf8(process.readAllStandardOutput());
    QCOMPARE(process.exitCode(), 130);
    QVERIFY2(out.contains(QStringLiteral("benchmark group 1: 2 pair(s) × 2 strategies × 2 seed(s) = 8 runs")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("--resume 1")), qPrintable(out));

    const QMap<int, QString> before = statuses(m_project);
    QCOMPARE(before.size(), kCells); // every cell recorded up front
    QList<int> unfinished;
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        if (it.value() != QLatin1String("finished"))
            unfinished.append(it.key());
    }
    QVERIFY2(unfinished.size() >= 1 && unfinished.size() <= kCells - 3, qPrintable(out));

    const QString csv = m_dir.filePath(QStringLiteral("table.csv"));
    const QString latex = m_dir.filePath(QStringLiteral("table.tex"));
    const auto resumed = runCli({QStringLiteral("benchmark"), m_project, QStringLiteral("--resume"), QStringLiteral("1"),
                                 QStringLiteral("--csv"), csv, QStringLiteral("--latex"), latex},
                                kTrainTimeoutMs);
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err.right(2000)));
    QCOMPARE(executedRuns(resumed.out), unfinished); // only the remaining cells ran, in order
    const QMap<int, QString> after = statuses(m_project);
    QCOMPARE(after.size(), kCells); // no run was added
    for (const QString &status : after)
        QCOMPARE(status, QStringLiteral("finished"));

    // The table: both pairs, both strategies, the average row, the split and number of texts.
    for (const char *text : {"books -> electronics", "electronics -> books", "source-only", "freeze", "average",
                             "target test, 300 texts", "over 2 seed(s)"})
        QVERIFY2(resumed.out.contains(QLatin1String(text)), text);
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    const QStringList rows = QString::fromUtf8(csvFile.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(rows.size(), 4); // header, 2 pairs, average
    QVERIFY(rows.first().startsWith(QLatin1String("pair,source,target,evaluated_on,source-only_mean")));
    QFile latexFile(latex);
    QVERIFY(latexFile.open(QIODevice::ReadOnly));
    const QString tex = QString::fromUtf8(latexFile.readAll());
    QVERIFY(tex.contains(QLatin1String("\\toprule")) && tex.contains(QLatin1String("\\textbf{")));

    // Nothing left to run, and an existing file is never written over.
    const auto again = runCli({QStringLiteral("benchmark"), m_project, QStringLiteral("--resume"), QStringLiteral("1"),
                               QStringLiteral("--csv"), csv});
    QCOMPARE(again.exitCode, 1);
    QVERIFY(again.err.contains(QLatin1String("exists already")));
    const auto table = runCli({QStringLiteral("benchmark"), m_project, QStringLiteral("--resume"), QStringLiteral("1")});
    QCOMPARE(table.exitCode, 0);
    QVERIFY(executedRuns(table.out).isEmpty());
    QVERIFY(table.out.contains(QLatin1String("[8/8 done]")));
}

QTEST_GUILESS_MAIN(TestCliBenchmark)
#include "tst_clibenchmark.moc"
