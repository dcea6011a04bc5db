// The benchmark table from hand-made run summaries: mean and std over seeds, unfinished runs left
// out, the average row, the best cell of each row, and the exact text, CSV and LaTeX renderings.
#include "project/BenchmarkTable.h"

#include <QTest>

#include <cmath>

using namespace ts;

namespace {

constexpr qint64 kBooks = 1;
constexpr qint64 kDvd = 2;

RunSummary summary(qint64 id, const QString &strategy, qint64 source, qint64 target, double accuracy,
                   RunRecord::Status status = RunRecord::Status::Finished, qint64 initSeed = 0)
{
    RunSummary s;
    s.run.id = id;
    s.run.initSeed = initSeed;
    s.run.strategy = strategy;
    s.run.sourceCorpusId = source;
    s.run.targetCorpusId = target;
    s.run.status = status;
    s.target.split = QStringLiteral("target/test");
    s.target.examples = 100;
    s.target.available = 100;
    s.target.accuracy = accuracy;
    return s;
}

BenchmarkTable sampleTable()
{
    const QString so = QStringLiteral("source-only");
    const QString dann = QStringLiteral("dann");
    const QList<RunSummary> runs = {
        summary(1, so, kBooks, kDvd, 0.80),   summary(2, so, kBooks, kDvd, 0.84),
        summary(3, dann, kBooks, kDvd, 0.85), summary(4, dann, kBooks, kDvd, 0.87),
        summary(5, so, kDvd, kBooks, 0.70),   summary(6, so, kDvd, kBooks, 0.74),
        summary(7, dann, kDvd, kBooks, 0.60), summary(8, dann, kDvd, kBooks, 0.64),
        // A stopped run keeps no cell value even though its summary has an accuracy.
        summary(9, dann, kDvd, kBooks, 0.99, RunRecord::Status::Cancelled),
    };
    return BenchmarkTable::build(runs, {{kBooks, QStringLiteral("books")}, {kDvd, QStringLiteral("dvd")}});
}

} // namespace

class TestBenchmarkTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cellsAreMeanAndStdOverSeeds();
    void averageRowAndBestCells();
    void averageNeedsEveryPair();
    void averageSpreadIsOverTheSeedsAverages();
    void textIsExact();
    void csvIsExact();
    void latexIsExact();
};

void TestBenchmarkTable::cellsAreMeanAndStdOverSeeds()
{
    const BenchmarkTable table = sampleTable();
    QCOMPARE(table.strategies(), (QStringList{QStringLiteral("source-only"), QStringLiteral("dann")}));
    QCOMPARE(table.rows().size(), 2);
    QCOMPARE(table.seeds(), 2);
    const BenchmarkTable::Row &first = table.rows().at(0);
    QCOMPARE(first.source, QStringLiteral("books"));
    QCOMPARE(first.target, QStringLiteral("dvd"));
    QCOMPARE(first.evaluatedOn, QStringLiteral("target test, 100 texts"));
    QCOMPARE(first.cells.at(0).accuracy.n, 2);
    QVERIFY(qAbs(first.cells.at(0).accuracy.mean - 0.82) < 1e-12);
    QVERIFY(qAbs(first.cells.at(0).accuracy.std - std::sqrt(0.0008)) < 1e-12);
    QCOMPARE(first.cells.at(0).runIds, (QList<qint64>{1, 2}));
    const BenchmarkTable::Cell &stopped = table.rows().at(1).cells.at(1);
    QCOMPARE(stopped.runIds, (QList<qint64>{7, 8}));
    QVERIFY(qAbs(stopped.accuracy.mean - 0.62) < 1e-12);
}

void TestBenchmarkTable::averageRowAndBestCells()
{
    const BenchmarkTable table = sampleTable();
    QVERIFY(!table.rows().at(0).cells.at(0).best);
    QVERIFY(table.rows().at(0).cells.at(1).best);
    QVERIFY(table.rows().at(1).cells.at(0).best);
    QVERIFY(!table.rows().at(1).cells.at(1).best);
    QVERIFY(qAbs(table.average().at(0).accuracy.mean - 0.77) < 1e-12);
    QVERIFY(qAbs(table.average().at(1).accuracy.mean - 0.74) < 1e-12);
    QVERIFY(table.average().at(0).best);
    QVERIFY(!table.average().at(1).best);
}

void TestBenchmarkTable::averageNeedsEveryPair()
{
    const QList<RunSummary> runs = {summary(1, QStringLiteral("a"), kBooks, kDvd, 0.8),
                                    summary(2, QStringLiteral("b"), kBooks, kDvd, 0.7),
                                    summary(3, QStringLiteral("a"), kDvd, kBooks, 0.6),
                                    summary(4, QStringLiteral("b"), kDvd, kBooks, 0.9, RunRecord::Status::Queued)};
    const BenchmarkTable table = BenchmarkTable::build(runs, {});
    QCOMPARE(table.rows().at(1).cells.at(1).accuracy.n, 0);
    QCOMPARE(table.average().at(1).accuracy.n, 0);
    QVERIFY(table.average().at(0).best);
    QCOMPARE(table.rows().at(0).source, QStringLiteral("corpus 1"));
}

void TestBenchmarkTable::averageSpreadIsOverTheSeedsAverages()
{
    constexpr auto done = RunRecord::Status::Finished;
    const QString a = QStringLiteral("a");
    const QString b = QStringLiteral("b");
    // a: seeds 13 and 14 on both pairs; seed 13 averages 0.75 over the pairs, seed 14 0.72.
    // b: seed 14 on one pair, seed 15 on the other: its seeds cannot be matched.
    const QList<RunSummary> runs = {summary(1, a, kBooks, kDvd, 0.80, done, 13), summary(2, a, kBooks, kDvd, 0.84, done, 14),
                                    summary(3, a, kDvd, kBooks, 0.70, done, 13), summary(4, a, kDvd, kBooks, 0.60, done, 14),
                                    summary(5, b, kBooks, kDvd, 0.70, done, 13), summary(6, b, kBooks, kDvd, 0.72, done, 14),
                                    summary(7, b, kDvd, kBooks, 0.70, done, 13), summary(8, b, kDvd, kBooks, 0.72, done, 15)};
    const BenchmarkTable table = BenchmarkTable::build(runs, {{kBooks, QStringLiteral("books")}, {kDvd, QStringLiteral("dvd")}});
    const BenchmarkTable::Cell &average = table.average().at(0);
    QVERIFY(qAbs(average.accuracy.mean - 0.735) < 1e-12);
    QCOMPARE(average.accuracy.n, 2);
    QVERIFY(qAbs(average.seedSpread - 0.03 / std::sqrt(2.0)) < 1e-12);
    // The std of the pairs' means (0.82 and 0.65) is not the spread over seeds.
    QVERIFY(qAbs(average.accuracy.std - average.seedSpread) > 0.05);
    QCOMPARE(table.average().at(1).seedSpread, -1.0);
    QVERIFY(table.toText().endsWith(QStringLiteral("average                               0.735 ± 0.021*   0.710\n")));
    QVERIFY(table.toCsv().endsWith(QStringLiteral("average,,,,0.7350,0.0212,2,0.7100,,2,a\n")));
    QVERIFY(table.toLatex().contains(QStringLiteral("Average & \\textbf{0.735 $\\pm$ 0.021} & 0.710 \\\\")));
    // A cell whose runs share a seed has no per-seed values: no spread.
    const QList<RunSummary> repeated = {summary(1, a, kBooks, kDvd, 0.8, done, 13), summary(2, a, kBooks, kDvd, 0.9, done, 13),
                                        summary(3, a, kDvd, kBooks, 0.8, done, 13), summary(4, a, kDvd, kBooks, 0.9, done, 14)};
    QCOMPARE(BenchmarkTable::build(repeated, {}).average().at(0).seedSpread, -1.0);
}

void TestBenchmarkTable::textIsExact()
{
    const QString expected = QStringLiteral(
        "Target accuracy, mean ± std over 2 seed(s) (the average row: mean of the pairs' means ± its std over the seeds); * marks the best cell "
        "of each row; each pair's target split and number of texts in its row\n"
        "pair          evaluated on            source-only      dann\n"
        "books -> dvd  target test, 100 texts  0.820 ± 0.028    0.860 ± 0.014*\n"
        "dvd -> books  target test, 100 texts  0.720 ± 0.028*   0.620 ± 0.028\n"
        "average                               0.770*           0.740\n");
    QCOMPARE(sampleTable().toText(), expected);
}

void TestBenchmarkTable::csvIsExact()
{
    const QString expected = QStringLiteral(
        "pair,source,target,evaluated_on,source-only_mean,source-only_std,source-only_n,dann_mean,dann_std,dann_n,best\n"
        "books -> dvd,books,dvd,\"target test, 100 texts\",0.8200,0.0283,2,0.8600,0.0141,2,dann\n"
        "dvd -> books,dvd,books,\"target test, 100 texts\",0.7200,0.0283,2,0.6200,0.0283,2,source-only\n"
        "average,,,,0.7700,,2,0.7400,,2,source-only\n");
    QCOMPARE(sampleTable().toCsv(), expected);
}

void TestBenchmarkTable::latexIsExact()
{
    const QString expected = QStringLiteral(
        "\\begin{table}[t]\n"
        "\\centering\n"
        "\\caption{Target accuracy, mean $\\pm$ std over 2 seed(s); the average row is the mean of the pairs' means $\\pm$ its std "
        "over the seeds; best of each row in bold. Evaluated on books $\\to$ dvd: target test, 100 texts; dvd $\\to$ books: target "
        "test, 100 texts.}\n"
        "\\begin{tabular}{lcc}\n"
        "\\toprule\n"
        "Source $\\to$ target & source-only & dann \\\\\n"
        "\\midrule\n"
        "books $\\to$ dvd & 0.820 $\\pm$ 0.028 & \\textbf{0.860 $\\pm$ 0.014} \\\\\n"
        "dvd $\\to$ books & \\textbf{0.720 $\\pm$ 0.028} & 0.620 $\\pm$ 0.028 \\\\\n"
        "\\midrule\n"
        "Average & \\textbf{0.770} & 0.740 \\\\\n"
        "\\bottomrule\n"
        "\\end{tabular}\n"
        "\\end{table}\n");
    QCOMPARE(sampleTable().toLatex(), expected);
}

QTEST_APPLESS_MAIN(TestBenchmarkTable)
#include "tst_benchmarktable.moc"
