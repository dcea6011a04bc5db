// `run --processes 2` (RankLauncher, TransferRunner as two ranks) trains every registered strategy
// for a few steps on the CPU: each run finishes, records its final result, and holds exactly one
// set of training metrics and predictions (rank 1 opens the project read-only and writes nothing).
// Sharded evaluation: with weights that do not move (learning rate 0), the predictions, the
// evaluation metrics during training (classification; a dapt pre-training phase's language-model
// loss) and the selected step that a 2-process run stores equal a 1-process run's, on splits of a
// size that does not divide into the ranks' batches evenly.
#include "DistributedFixture.h"

#include "CliRunner.h"
#include "transfer/StrategyRegistry.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;
using test::runCli;

namespace {

constexpr int kTimeoutMs = 300000;

/// Rows of `sql` on `path` (read-only), each one line of its values joined by '|'.
QStringList rowsOf(const QString &path, const QString &sql)
{
    QStringList rows;
    auto project = Project::open(path, Project::Access::ReadOnly);
    if (!project)
        return {project.error()};
    QSqlQuery q(project.value()->database());
    if (!q.exec(sql))
        return {sql};
    while (q.next()) {
        QStringList values;
        for (int c = 0; c < q.record().count(); ++c)
            values << q.value(c).toString();
        rows << values.join(QLatin1Char('|'));
    }
    return rows;
}

} // namespace

class TestProcessesStrategies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyStrategyTrainsOnTwoProcesses();
    void processesIsValidated();
    void predictionsOfTwoProcessesEqualOne_data();
    void predictionsOfTwoProcessesEqualOne();

private:
    QTemporaryDir m_dir;
    QString m_path;
};

void TestProcessesStrategies::initTestCase()
{
    m_path = m_dir.filePath(QStringLiteral("dp.tstudio"));
    const QString error = test::createSampleProject(m_path);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestProcessesStrategies::everyStrategyTrainsOnTwoProcesses()
{
    // Settings a strategy cannot run without, by option name (as tests/transfer/tst_strategies).
    const QJsonObject required{{QStringLiteral("extra_corpora"), QStringLiteral("restaurants")}};
    qint64 runId = 0;
    for (const StrategyDescriptor &d : StrategyRegistry::all()) {
        QStringList arguments{QStringLiteral("run"),         m_path,
                              QStringLiteral("--source"),    QStringLiteral("books"),
                              QStringLiteral("--target"),    QStringLiteral("electronics"),
                              QStringLiteral("--model"),     QStringLiteral("tiny"),
                              QStringLiteral("--strategy"),  d.name,
                              QStringLiteral("--device"),    QStringLiteral("cpu"),
                              QStringLiteral("--epochs"),    QStringLiteral("1"),
                              QStringLiteral("--lr"),        QStringLiteral("0.001"),
                              QStringLiteral("--batch-size"), QStringLiteral("16"),
                              QStringLiteral("--max-length"), QStringLiteral("32"),
                              QStringLiteral("--max-train"), QStringLiteral("32"),
                              QStringLiteral("--max-eval"),  QStringLiteral("16"),
                              QStringLiteral("--processes"), QStringLiteral("2")};
        for (const StrategyOption &o : d.options) {
            if (required.contains(o.name))
                arguments << QStringLiteral("--set") << QStringLiteral("%1=%2").arg(o.name, required.value(o.name).toString());
        }
        QElapsedTimer timer;
        timer.start();
        const auto result = runCli(arguments, kTimeoutMs);
        ++runId;
        qInfo("%s: %lld ms on 2 processes", qPrintable(d.name), timer.elapsed());
        QVERIFY2(result.exitCode == 0, qPrintable(d.name + QLatin1Char('\n') + result.err.right(3000)));
        QVERIFY2(result.out.contains(QStringLiteral("run %1 (").arg(runId)), qPrintable(result.out));
        QCOMPARE(test::statusOf(m_path, runId), RunRecord::Status::Finished);
        QVERIFY2(result.err.contains(QLatin1String("data-parallel: rank 0 of 2")), qPrintable(d.name + result.err.right(2000)));
        QCOMPARE(test::repeatedMetrics(m_path, runId), 0);
        QCOMPARE(test::repeatedEvaluations(m_path, runId), 0);
        // Prompt strategies classify through the language-model head: measured like classifiers.
        const bool classifies = d.output == StrategyDescriptor::Output::Classifier || d.usesPrompt;
        const QString finalMetric = classifies ? QStringLiteral("accuracy") : QStringLiteral("perplexity");
        QVERIFY2(test::countOf(m_path, QStringLiteral("SELECT COUNT(*) FROM metrics WHERE run_id = %1 AND metric = '%2' "
                                                      "AND split LIKE 'target/%'")
                                           .arg(runId)
                                           .arg(finalMetric)) > 0,
                 qPrintable(d.name));
        if (d.trainsWeights()) {
            QVERIFY2(test::countOf(m_path, QStringLiteral("SELECT COUNT(*) FROM metrics WHERE run_id = %1 AND metric = 'loss' "
                                                          "AND split IN ('train', 'pretrain')")
                                               .arg(runId)) > 0,
                     qPrintable(d.name));
        }
    }
}

void TestProcessesStrategies::processesIsValidated()
{
    const auto zero = runCli({QStringLiteral("resume"), m_path, QStringLiteral("--run"), QStringLiteral("1"),
                              QStringLiteral("--processes"), QStringLiteral("0")});
    QCOMPARE(zero.exitCode, 2);
    QVERIFY2(zero.err.contains(QLatin1String("--processes")), qPrintable(zero.err));
    // A rank's environment that is incomplete is refused, naming the missing variable.
    qputenv("TS_DIST_WORLD_SIZE", "2");
    const auto incomplete = runCli({QStringLiteral("resume"), m_path, QStringLiteral("--run"), QStringLiteral("1")});
    qunsetenv("TS_DIST_WORLD_SIZE");
    QCOMPARE(incomplete.exitCode, 1);
    QVERIFY2(incomplete.err.contains(QLatin1String("TS_DIST_RANK")), qPrintable(incomplete.err));
    const auto help = runCli({QStringLiteral("run"), QStringLiteral("--help")});
    QVERIFY2(help.out.contains(QLatin1String("--processes")) && help.out.contains(QLatin1String("TS_DIST_RANK")),
             qPrintable(help.out));
}

void TestProcessesStrategies::predictionsOfTwoProcessesEqualOne_data()
{
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<int>("texts");
    QTest::addColumn<QString>("metric");
    // Evaluation batches of 8 (twice the batch size): 21 texts make batches of 8, 8 and 5, of
    // which rank 0 scores one and rank 1 two; 37 texts five batches, two and three.
    QTest::newRow("source-only, 21 texts") << QStringLiteral("source-only") << 21 << QStringLiteral("accuracy");
    QTest::newRow("dapt, 37 texts") << QStringLiteral("dapt") << 37 << QStringLiteral("lm_loss");
}

void TestProcessesStrategies::predictionsOfTwoProcessesEqualOne()
{
    QFETCH(QString, strategy);
    QFETCH(int, texts);
    QFETCH(QString, metric);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("shards.tstudio"));
    const QString error = test::createSampleProject(path);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QStringList common{QStringLiteral("run"),          path,
                             QStringLiteral("--source"),     QStringLiteral("books"),
                             QStringLiteral("--target"),     QStringLiteral("electronics"),
                             QStringLiteral("--model"),      QStringLiteral("tiny"),
                             QStringLiteral("--strategy"),   strategy,
                             QStringLiteral("--device"),     QStringLiteral("cpu"),
                             QStringLiteral("--epochs"),     QStringLiteral("1"),
                             QStringLiteral("--lr"),         QStringLiteral("0"),
                             QStringLiteral("--batch-size"), QStringLiteral("4"),
                             QStringLiteral("--max-length"), QStringLiteral("32"),
                             QStringLiteral("--max-train"),  QStringLiteral("8"),
                             QStringLiteral("--max-eval"),   QString::number(texts),
                             QStringLiteral("--select"),     QStringLiteral("best-source")};
    const auto one = runCli(common, kTimeoutMs);
    QVERIFY2(one.exitCode == 0, qPrintable(one.err.right(3000)));
    const auto two = runCli(common + QStringList{QStringLiteral("--processes"), QStringLiteral("2")}, kTimeoutMs);
    QVERIFY2(two.exitCode == 0, qPrintable(two.err.right(3000)));
    QVERIFY2(two.err.contains(QLatin1String("data-parallel: rank 0 of 2")), qPrintable(two.err.right(2000)));
    const QString predictions = QStringLiteral(
        "SELECT e.split, e.step, e.examples, e.available, e.classes_json, p.ordinal, p.document_id, p.label, "
        "p.predicted, hex(p.probabilities), p.truncated FROM predictions p JOIN run_evaluations e "
        "ON e.id = p.evaluation_id WHERE e.run_id = %1 ORDER BY e.split, p.ordinal");
    const QStringList first = rowsOf(path, predictions.arg(1));
    const QStringList second = rowsOf(path, predictions.arg(2));
    QVERIFY2(first.size() >= 2 * texts, qPrintable(first.join(QLatin1Char('\n')).left(2000)));
    QCOMPARE(second, first);
    const QString evaluations = QStringLiteral("SELECT step, split, metric, printf('%.17g', value) FROM metrics WHERE run_id = %1 "
                                               "AND split NOT IN ('train', 'pretrain') ORDER BY step, split, metric");
    const QStringList metricsOne = rowsOf(path, evaluations.arg(1));
    QVERIFY(metricsOne.size() > 8);
    QVERIFY2(metricsOne.filter(QStringLiteral("/validation|%1|").arg(metric)).size() >= 2,
             qPrintable(metricsOne.join(QLatin1Char('\n')).left(2000)));
    QCOMPARE(rowsOf(path, evaluations.arg(2)), metricsOne);
    const QString selected = QStringLiteral("SELECT step, value FROM metrics WHERE run_id = %1 AND split = 'train' "
                                            "AND metric = 'selected_step' ORDER BY step");
    const QStringList selectedOne = rowsOf(path, selected.arg(1));
    QCOMPARE(selectedOne.size(), 1);
    QCOMPARE(rowsOf(path, selected.arg(2)), selectedOne);
}

QTEST_GUILESS_MAIN(TestProcessesStrategies)
#include "tst_processesstrategies.moc"
