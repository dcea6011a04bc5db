// The charts the demo writes next to its project (RunChartReport): no empty chart for a run that
// did not train, and an overlay whose legend says which runs are seeds of one experiment and how
// many validation texts each value stands for.
#include "TempProject.h"

#include "charts/RunChartReport.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "project/RunVocabulary.h"

#include <QFileInfo>
#include <QSqlQuery>
#include <QTest>

using namespace ts;

class TestRunChartReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void runWithoutTrainingGetsNoEmptyCharts();
    void seedsShareOneLegendEntryAndColour();

private:
    qint64 addRun(const QString &strategy, qint64 seed, const QString &config = QStringLiteral("{}"));
    // Target validation accuracy at `steps` (99 texts each), with training loss and lr when the
    // run trained (more than one step).
    void addCurve(qint64 run, const QList<int> &steps, double accuracy);
    QString overlaySvg(QStringList *written = nullptr);

    std::unique_ptr<test::TempFolder> m_dir;
    QString m_path;
};

void TestRunChartReport::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    m_path = m_dir->path(QStringLiteral("charts.tstudio"));
    auto project = Project::create(m_path);
    QVERIFY2(project.ok(), qPrintable(project.error()));
    QSqlQuery q(project.value()->database());
    QVERIFY(q.exec(QStringLiteral("INSERT INTO corpora(id, name, created_at) VALUES (1, 'books', 'now'), (2, 'electronics', 'now')")));
}

void TestRunChartReport::cleanup()
{
    m_dir.reset();
}

qint64 TestRunChartReport::addRun(const QString &strategy, qint64 seed, const QString &config)
{
    auto project = Project::open(m_path);
    if (!project)
        qFatal("%s", qPrintable(project.error()));
    RunStore store(project.value()->database());
    RunRecord run;
    run.strategy = strategy;
    run.sourceCorpusId = 1;
    run.targetCorpusId = 2;
    run.configJson = config;
    run.initSeed = seed;
    run.dataSeed = seed;
    const auto id = store.create(run);
    if (!id || !store.markEnded(id.value(), RunRecord::Status::Finished))
        qFatal("cannot record the run");
    return id.value();
}

void TestRunChartReport::addCurve(qint64 run, const QList<int> &steps, double accuracy)
{
    MetricPoints points;
    const auto add = [&points, run](int step, const QString &split, const QString &metric, double value) {
        points.append({run, step, step / 10.0, split, metric, value, 0});
    };
    for (int step : steps) {
        if (steps.size() > 1) {
            add(step, Splits::kTrain, Metrics::kLoss, 1.0 / (step + 1));
            add(step, Splits::kTrain, QStringLiteral("lr"), 1e-3);
        }
        add(step, Splits::kTargetValidation, Metrics::kAccuracy, accuracy + step / 1000.0);
        add(step, Splits::kTargetValidation, Metrics::kExamples, 99);
    }
    auto project = Project::open(m_path);
    QVERIFY(project.ok());
    QVERIFY(RunStore(project.value()->database()).appendMetrics(points).ok());
}

QString TestRunChartReport::overlaySvg(QStringList *written)
{
    const QString folder = m_dir->path(QStringLiteral("charts"));
    const auto files = ui::RunChartReport::write(m_path, {}, folder, QStringLiteral("svg"));
    if (!files)
        qFatal("%s", qPrintable(files.error()));
    if (written)
        *written = files.value();
    QFile svg(QDir(folder).filePath(QStringLiteral("target-accuracy-by-run.svg")));
    return svg.open(QIODevice::ReadOnly) ? QString::fromUtf8(svg.readAll()) : QString();
}

void TestRunChartReport::runWithoutTrainingGetsNoEmptyCharts()
{
    const qint64 zeroShot = addRun(QStringLiteral("zero-shot"), 1);
    addCurve(zeroShot, {0}, 0.52); // evaluated once, before any training
    const qint64 trained = addRun(QStringLiteral("source-only"), 1);
    addCurve(trained, {0, 10, 20}, 0.7);

    QStringList written;
    overlaySvg(&written);
    QStringList names;
    for (const QString &path : std::as_const(written))
        names << QFileInfo(path).fileName();
    names.sort();
    QStringList expected{QStringLiteral("run%1-loss.svg").arg(trained), QStringLiteral("run%1-lr.svg").arg(trained),
                         QStringLiteral("run%1-source-vs-target.svg").arg(trained),
                         QStringLiteral("run%1-source-vs-target.svg").arg(zeroShot),
                         QStringLiteral("target-accuracy-by-run.svg")};
    expected.sort();
    QCOMPARE(names, expected); // no loss or learning-rate chart of the zero-shot run: it has neither
}

void TestRunChartReport::seedsShareOneLegendEntryAndColour()
{
    for (qint64 seed = 1; seed <= 2; ++seed)
        addCurve(addRun(QStringLiteral("zero-shot"), seed), {0}, 0.52);
    for (qint64 seed = 1; seed <= 3; ++seed)
        addCurve(addRun(QStringLiteral("source-only"), seed), {0, 10, 20}, 0.7 + seed / 100.0);
    // Another learning rate is another experiment: its own entry and colour, though the same strategy.
    addCurve(addRun(QStringLiteral("source-only"), 1, QStringLiteral(R"({"learning_rate":0.01})")), {0, 10, 20}, 0.6);

    const QString svg = overlaySvg();
    QVERIFY(svg.contains(QLatin1String("Target validation accuracy, 99 texts")));
    QCOMPARE(svg.count(QStringLiteral("zero-shot · runs 1-2")), 1);
    QCOMPARE(svg.count(QStringLiteral("source-only · runs 3-5")), 1);
    QCOMPARE(svg.count(QStringLiteral("source-only · run 6")), 1);
    // The zero-shot runs' single values are drawn as labelled markers (a line of one point shows nothing).
    QVERIFY(svg.contains(QLatin1String("0.520")));
}

QTEST_MAIN(TestRunChartReport)
#include "tst_runchartreport.moc"
