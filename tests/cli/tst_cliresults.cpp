// Results a domain expert can trust, from the command line: the final evaluation uses every text
// of the test split whatever --max-eval says, `runs --json` and the run's own report agree,
// "learned nothing" is flagged for a model that learned nothing and not for one that learned,
// stored predictions and `predict` give the same accuracy, and `compare` groups only runs with
// identical settings.
#include "CliProject.h"
#include "CliRunner.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;
using test::runCli;

namespace {

constexpr int kTrainTimeoutMs = 600000;

int lineCount(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    return int(file.readAll().count('\n'));
}

QJsonObject runJson(const QString &project, int id)
{
    const auto r = runCli({QStringLiteral("runs"), project, QStringLiteral("--json")});
    for (const QJsonValue &v : QJsonDocument::fromJson(r.out.toUtf8()).array()) {
        if (v.toObject().value(QLatin1String("id")).toInt() == id)
            return v.toObject();
    }
    return {};
}

} // namespace

class TestCliResults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void finalEvaluationUsesEveryTestText();
    void runReportMatchesRunsJson();
    void learnedNothingIsFlagged();
    void predictionsAndPredictAgree();
    void compareGroupsOnlyIdenticalSettings();

private:
    QStringList train(const QStringList &extra, const QString &seed);

    QTemporaryDir m_dir;
    QString m_project;
    test::CliResult m_learning; // run 1: learns
    test::CliResult m_frozen;   // run 2: learning rate 0
};

QStringList TestCliResults::train(const QStringList &extra, const QString &seed)
{
    return QStringList{QStringLiteral("run"),        m_project,
                       QStringLiteral("--source"),   QStringLiteral("books"),
                       QStringLiteral("--target"),   QStringLiteral("electronics"),
                       QStringLiteral("--model"),    QStringLiteral("tiny-encoder"),
                       QStringLiteral("--strategy"), QStringLiteral("source-only"),
                       QStringLiteral("--epochs"),   QStringLiteral("3"),
                       QStringLiteral("--max-eval"), QStringLiteral("32"),
                       QStringLiteral("--max-length"), QStringLiteral("48"),
                       QStringLiteral("--seed"),     seed} +
           extra;
}

void TestCliResults::initTestCase()
{
    m_project = m_dir.filePath(QStringLiteral("results.tstudio"));
    QCOMPARE(runCli({QStringLiteral("create"), m_project}, kTrainTimeoutMs).exitCode, 0);
    for (const char *domain : {"books", "electronics"}) {
        for (const char *split : {"train", "test"}) {
            const auto r = runCli({QStringLiteral("import"), m_project, QStringLiteral("--corpus"), QLatin1String(domain),
                                   QStringLiteral("--file"), test::sampleFile(QStringLiteral("%1.%2.tsv").arg(QLatin1String(domain), QLatin1String(split))),
                                   QStringLiteral("--no-header"), QStringLiteral("--label-column"), QStringLiteral("0"),
                                   QStringLiteral("--text-column"), QStringLiteral("1"), QStringLiteral("--split-name"),
                                   QLatin1String(split)},
                                  kTrainTimeoutMs);
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        }
    }
    const auto model = runCli({QStringLiteral("add-model"), m_project, QStringLiteral("--builtin"), QStringLiteral("tiny-encoder")},
                              kTrainTimeoutMs);
    QVERIFY2(model.exitCode == 0, qPrintable(model.err));
    m_learning = runCli(train({QStringLiteral("--lr"), QStringLiteral("1e-3")}, QStringLiteral("1")), kTrainTimeoutMs);
    QVERIFY2(m_learning.exitCode == 0, qPrintable(m_learning.err.right(2000)));
    m_frozen = runCli(train({QStringLiteral("--lr"), QStringLiteral("0")}, QStringLiteral("1")), kTrainTimeoutMs);
    QVERIFY2(m_frozen.exitCode == 0, qPrintable(m_frozen.err.right(2000)));
}

void TestCliResults::finalEvaluationUsesEveryTestText()
{
    const QJsonObject run = runJson(m_project, 1);
    const QJsonObject final = run.value(QLatin1String("final")).toObject();
    const QJsonObject target = final.value(QLatin1String("target")).toObject();
    QCOMPARE(target.value(QLatin1String("split")).toString(), QStringLiteral("target/test"));
    // --max-eval 32 caps measurements while training, never the result.
    QCOMPARE(target.value(QLatin1String("examples")).toInt(), lineCount(test::sampleFile("electronics.test.tsv")));
    QCOMPARE(final.value(QLatin1String("source")).toObject().value(QLatin1String("examples")).toInt(),
             lineCount(test::sampleFile("books.test.tsv")));
    for (const char *key : {"accuracy", "macro_f1", "ece", "majority_accuracy", "confusion"})
        QVERIFY2(target.contains(QLatin1String(key)), key);
    const QJsonArray confusion = target.value(QLatin1String("confusion")).toArray();
    int total = 0;
    for (const QJsonValue &row : confusion) {
        for (const QJsonValue &cell : row.toArray())
            total += cell.toInt();
    }
    QCOMPARE(total, lineCount(test::sampleFile("electronics.test.tsv")));
    QVERIFY(run.value(QLatin1String("warnings")).isArray());
}

void TestCliResults::runReportMatchesRunsJson()
{
    const QJsonObject target =
        runJson(m_project, 1).value(QLatin1String("final")).toObject().value(QLatin1String("target")).toObject();
    const QString accuracy = QString::number(target.value(QLatin1String("accuracy")).toDouble(), 'f', 3);
    const QString examples = QString::number(target.value(QLatin1String("examples")).toInt());
    // What `run` printed at the end: the same split, number of texts and accuracy.
    QVERIFY2(m_learning.out.contains(QStringLiteral("target test, %1 texts").arg(examples)), qPrintable(m_learning.out));
    QVERIFY2(m_learning.out.contains(accuracy), qPrintable(m_learning.out));
    const auto table = runCli({QStringLiteral("runs"), m_project});
    QVERIFY(table.out.contains(accuracy));
}

void TestCliResults::learnedNothingIsFlagged()
{
    const QJsonArray frozen = runJson(m_project, 2).value(QLatin1String("warnings")).toArray();
    QVERIFY2(frozen.contains(QStringLiteral("learned-nothing")), qPrintable(m_frozen.out));
    QVERIFY(m_frozen.out.contains(QLatin1String("warning: learned nothing")));
    const QJsonArray learning = runJson(m_project, 1).value(QLatin1String("warnings")).toArray();
    QVERIFY2(!learning.contains(QStringLiteral("learned-nothing")), qPrintable(m_learning.out));
}

void TestCliResults::predictionsAndPredictAgree()
{
    const QJsonObject target =
        runJson(m_project, 1).value(QLatin1String("final")).toObject().value(QLatin1String("target")).toObject();
    const auto errors = runCli({QStringLiteral("predictions"), m_project, QStringLiteral("--run"), QStringLiteral("1"),
                                QStringLiteral("--errors"), QStringLiteral("--csv")});
    QCOMPARE(errors.exitCode, 0);
    const QStringList lines = errors.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY(lines.first().startsWith(QLatin1String("id,label,predicted,confidence,p_0,p_1,truncated,text")));
    const int examples = target.value(QLatin1String("examples")).toInt();
    const int wrong = int(std::lround((1.0 - target.value(QLatin1String("accuracy")).toDouble()) * examples));
    QCOMPARE(int(lines.size()) - 1, wrong);

    const QString out = m_dir.filePath(QStringLiteral("electronics-test.csv"));
    const auto predict = runCli({QStringLiteral("predict"), m_project, QStringLiteral("--run"), QStringLiteral("1"),
                                 QStringLiteral("--corpus"), QStringLiteral("electronics"), QStringLiteral("--split"),
                                 QStringLiteral("test"), QStringLiteral("--out"), out},
                                kTrainTimeoutMs);
    QVERIFY2(predict.exitCode == 0, qPrintable(predict.err));
    QVERIFY2(predict.out.contains(QStringLiteral("accuracy on the %1 labelled texts: %2")
                                      .arg(examples)
                                      .arg(target.value(QLatin1String("accuracy")).toDouble(), 0, 'f', 3)),
             qPrintable(predict.out));
    QCOMPARE(lineCount(out), examples + 1);
    // The same texts as a file of the user's, read as `import` reads it: the same accuracy; ids are lines.
    const QString fromFile = m_dir.filePath(QStringLiteral("electronics-file.csv"));
    const auto file = runCli({QStringLiteral("predict"), m_project, QStringLiteral("--run"), QStringLiteral("1"),
                              QStringLiteral("--file"), test::sampleFile("electronics.test.tsv"), QStringLiteral("--no-header"),
                              QStringLiteral("--label-column"), QStringLiteral("0"), QStringLiteral("--text-column"),
                              QStringLiteral("1"), QStringLiteral("--out"), fromFile},
                             kTrainTimeoutMs);
    QVERIFY2(file.exitCode == 0, qPrintable(file.err));
    QVERIFY2(file.out.contains(QStringLiteral("accuracy on the %1 labelled texts: %2")
                                   .arg(examples)
                                   .arg(target.value(QLatin1String("accuracy")).toDouble(), 0, 'f', 3)),
             qPrintable(file.out));
    QFile written(fromFile);
    QVERIFY(written.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = written.readAll().split('\n');
    QVERIFY(rows.at(0).startsWith("id,label,predicted,confidence,p_0,p_1,truncated"));
    QVERIFY(rows.at(1).startsWith("1,"));
    QVERIFY(rows.at(examples).startsWith(QByteArray::number(examples) + ','));
    // --file and --corpus exclude each other.
    QCOMPARE(runCli({QStringLiteral("predict"), m_project, QStringLiteral("--run"), QStringLiteral("1"),
                     QStringLiteral("--file"), test::sampleFile("electronics.test.tsv"), QStringLiteral("--corpus"),
                     QStringLiteral("electronics"), QStringLiteral("--out"), m_dir.filePath(QStringLiteral("x.csv"))})
                 .exitCode,
             2);
    // Never over an existing file.
    const auto again = runCli({QStringLiteral("predict"), m_project, QStringLiteral("--run"), QStringLiteral("1"),
                               QStringLiteral("--corpus"), QStringLiteral("electronics"), QStringLiteral("--out"), out});
    QCOMPARE(again.exitCode, 1);
    QVERIFY(again.err.contains(QLatin1String("already exists")));
}

void TestCliResults::compareGroupsOnlyIdenticalSettings()
{
    const auto r = runCli({QStringLiteral("compare"), m_project, QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray groups = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QLatin1String("groups")).toArray();
    QCOMPARE(groups.size(), 2); // the learning rates differ: never seeds of one experiment
    for (const QJsonValue &g : groups) {
        QCOMPARE(g.toObject().value(QLatin1String("n")).toInt(), 1);
        QVERIFY(g.toObject().value(QLatin1String("key")).toString().contains(QLatin1String("learning_rate=")));
        // Which weights are the result, and whether choosing them read target labels.
        const QJsonObject selection = g.toObject().value(QLatin1String("selection")).toObject();
        QCOMPARE(selection.value(QLatin1String("criterion")).toString(), QStringLiteral("last"));
        QCOMPARE(selection.value(QLatin1String("uses_target_labels")).toBool(), false);
    }
    const auto text = runCli({QStringLiteral("compare"), m_project});
    QCOMPARE(text.exitCode, 0);
    QCOMPARE(text.out.count(QStringLiteral("  result weights: last step\n")), 2);
    // Two source-only groups: each says, beside its long key, what tells it from the other.
    QVERIFY2(text.out.contains(QLatin1String("  differs from the other source-only groups in: learning_rate=0.001\n")),
             qPrintable(text.out));
    QVERIFY2(text.out.contains(QLatin1String("  differs from the other source-only groups in: learning_rate=0\n")),
             qPrintable(text.out));
    QCOMPARE(groups.at(0).toObject().value(QLatin1String("differences")).toArray(),
             QJsonArray({QStringLiteral("learning_rate=0.001")}));
}

QTEST_GUILESS_MAIN(TestCliResults)
#include "tst_cliresults.moc"
