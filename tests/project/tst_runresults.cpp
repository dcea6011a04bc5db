// The one definition of a run's result: metrics from stored predictions (checked against values
// computed by hand, as scikit-learn defines them), the majority baseline, "learned nothing",
// the source-only baseline and negative transfer, seed grouping by settings, bootstrap intervals.
#include "TempProject.h"

#include "project/ClassificationReport.h"
#include "project/PredictionCsv.h"
#include "project/PredictionStore.h"
#include "project/Project.h"
#include "project/RunGrouping.h"
#include "project/RunSettingsKey.h"
#include "project/RunStore.h"
#include "project/RunSummary.h"

#include <QBuffer>
#include <QJsonArray>
#include <QSqlQuery>
#include <QTest>

using namespace ts;

namespace {
// The strategy runs are judged against (the registry's plain fine-tuning).
const QString kBaseline = QStringLiteral("source-only");
} // namespace

class TestRunResults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void reportMatchesHandComputedValues();
    void calibrationError();
    void majorityBaseline();
    void predictionsRoundTrip();
    void summaryReadsTestElseValidation();
    void learnedNothingWhenAtMajority();
    void learnedNothingWhenLossFlat();
    void normalRunHasNoWarning();
    void selectionInWords();
    void domainGameWarnings_data();
    void domainGameWarnings();
    void baselineAndNegativeTransfer();
    void groupsOnlyIdenticalSettings();
    void keyHasThePrecisionARunTrainedIn();
    void differencesNameSettingsAndOptions();
    void seedStatistics();
    void pairedDifferences();
    void csvQuotesAndErrors();

private:
    qint64 addRun(const QString &strategy, const QString &config, qint64 seed, RunRecord::Status status);
    void addPredictions(qint64 run, const QString &split, const QList<int> &labels, const QList<int> &predicted,
                        int available = -1);
    void addLosses(qint64 run, const QList<double> &losses);

    std::unique_ptr<test::TempFolder> m_dir;
    std::unique_ptr<Project> m_project;
};

void TestRunResults::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    auto project = Project::create(m_dir->path(QStringLiteral("results.tstudio")));
    QVERIFY2(project.ok(), qPrintable(project.error()));
    m_project = std::move(project.value());
    QSqlQuery q(m_project->database());
    QVERIFY(q.exec(QStringLiteral("INSERT INTO corpora(id, name, created_at) VALUES (1, 'music', 'now'), (2, 'video', 'now')")));
}

qint64 TestRunResults::addRun(const QString &strategy, const QString &config, qint64 seed, RunRecord::Status status)
{
    RunStore store(m_project->database());
    RunRecord run;
    run.strategy = strategy;
    run.sourceCorpusId = 1;
    run.targetCorpusId = 2;
    run.configJson = config;
    run.initSeed = seed;
    run.dataSeed = seed + 4;
    const auto id = store.create(run);
    if (!id)
        qFatal("%s", qPrintable(id.error()));
    if (status != RunRecord::Status::Queued && !store.markEnded(id.value(), status))
        qFatal("cannot mark the run");
    return id.value();
}

void TestRunResults::addPredictions(qint64 run, const QString &split, const QList<int> &labels,
                                    const QList<int> &predicted, int available)
{
    PredictionSet set;
    set.split = split;
    set.classes = {QStringLiteral("neg"), QStringLiteral("pos")};
    for (int i = 0; i < labels.size(); ++i) {
        Prediction p;
        p.documentId = 100 + i;
        p.label = labels[i];
        p.predicted = predicted[i];
        p.probabilities = predicted[i] == 0 ? QList<float>{0.8f, 0.2f} : QList<float>{0.3f, 0.7f};
        set.predictions.append(p);
    }
    set.available = available < 0 ? int(labels.size()) : available;
    const Status s = PredictionStore(m_project->database()).save(run, set);
    QVERIFY2(s.ok(), qPrintable(s.error()));
}

void TestRunResults::addLosses(qint64 run, const QList<double> &losses)
{
    MetricPoints points;
    for (int i = 0; i < losses.size(); ++i)
        points.append({run, i + 1, 0.0, QStringLiteral("train"), QStringLiteral("loss"), losses[i], 0.0});
    QVERIFY(RunStore(m_project->database()).appendMetrics(points).ok());
}

void TestRunResults::reportMatchesHandComputedValues()
{
    // 3 classes; true [0,0,0,1,1,2], predicted [0,0,1,1,2,2].
    ClassificationReport report(3);
    const QList<int> truth = {0, 0, 0, 1, 1, 2};
    const QList<int> predicted = {0, 0, 1, 1, 2, 2};
    for (int i = 0; i < truth.size(); ++i)
        report.add(truth[i], predicted[i], 0.9);
    QCOMPARE(report.count(), 6);
    QCOMPARE(report.accuracy(), 4.0 / 6.0);
    // Class 0: P 1, R 2/3, F1 0.8; class 1: P 1/2, R 1/2, F1 0.5; class 2: P 1/2, R 1, F1 2/3.
    QCOMPARE(report.figures(0).recall, 2.0 / 3.0);
    QCOMPARE(report.figures(1).precision, 0.5);
    QVERIFY(qAbs(report.macroF1() - (0.8 + 0.5 + 2.0 / 3.0) / 3.0) < 1e-12);
    QCOMPARE(report.confusion()[0][1], 1);
    QCOMPARE(report.confusion()[1][2], 1);
    QCOMPARE(report.confusion()[2][2], 1);
    report.add(-1, 0, 0.5); // unknown labels are not counted
    QCOMPARE(report.count(), 6);
}

void TestRunResults::calibrationError()
{
    // Two texts at confidence 0.9 (one right), two at 0.6 (both right):
    // ECE = 0.5 * |0.5 - 0.9| + 0.5 * |1.0 - 0.6| = 0.4.
    ClassificationReport report(2);
    report.add(0, 0, 0.9);
    report.add(1, 0, 0.9);
    report.add(0, 0, 0.6);
    report.add(1, 1, 0.6);
    QVERIFY(qAbs(report.expectedCalibrationError() - 0.4) < 1e-9);
    int used = 0;
    for (const auto &bin : report.calibration())
        used += bin.count > 0 ? 1 : 0;
    QCOMPARE(used, 2);
}

void TestRunResults::majorityBaseline()
{
    ClassificationReport report(2);
    for (int i = 0; i < 7; ++i)
        report.add(1, 1, 0.6);
    for (int i = 0; i < 3; ++i)
        report.add(0, 1, 0.6);
    QCOMPARE(report.majorityClass(), 1);
    QCOMPARE(report.majorityAccuracy(), 0.7);
    // Always "1": F1 of class 1 = 2 * 0.7 / 1.7, class 0 scores 0; two classes present.
    QVERIFY(qAbs(report.majorityMacroF1() - (2 * 0.7 / 1.7) / 2) < 1e-12);
    // The model here is that constant answer: its macro-F1 equals the baseline's.
    QVERIFY(qAbs(report.macroF1() - report.majorityMacroF1()) < 1e-12);
}

void TestRunResults::predictionsRoundTrip()
{
    const qint64 run = addRun(QStringLiteral("source-only"), QStringLiteral("{}"), 1, RunRecord::Status::Finished);
    addPredictions(run, QStringLiteral("target/test"), {0, 1, 1}, {0, 1, 0});
    addPredictions(run, QStringLiteral("target/test"), {0, 1}, {0, 1}); // replaces, never duplicates
    PredictionStore store(m_project->database());
    const auto set = store.load(run, QStringLiteral("target/test"));
    QVERIFY(set.ok());
    QCOMPARE(set->examples(), 2);
    QCOMPARE(set->classes, (QStringList{QStringLiteral("neg"), QStringLiteral("pos")}));
    QCOMPARE(set->predictions[1].documentId, 101);
    QCOMPARE(set->predictions[1].probabilities, (QList<float>{0.3f, 0.7f}));
    QCOMPARE(store.splits(run).value(), QStringList{QStringLiteral("target/test")});
    // Deleting the run deletes its predictions.
    QSqlQuery q(m_project->database());
    QVERIFY(q.exec(QStringLiteral("DELETE FROM runs WHERE id = %1").arg(run)));
    QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM predictions")) && q.next());
    QCOMPARE(q.value(0).toInt(), 0);
}

void TestRunResults::summaryReadsTestElseValidation()
{
    const qint64 run = addRun(QStringLiteral("dann"), QStringLiteral("{}"), 1, RunRecord::Status::Finished);
    addPredictions(run, QStringLiteral("source/validation"), {0, 1, 0, 1}, {0, 1, 0, 0});
    addPredictions(run, QStringLiteral("target/validation"), {0, 1}, {1, 1});
    addPredictions(run, QStringLiteral("target/test"), {0, 1, 0, 1, 1}, {0, 1, 0, 1, 0}, 5);
    const auto summary = RunSummary::load(m_project->database(), run, kBaseline);
    QVERIFY2(summary.ok(), qPrintable(summary.error()));
    QCOMPARE(summary->target.split, QStringLiteral("target/test"));
    QCOMPARE(summary->target.examples, 5);
    QCOMPARE(summary->target.accuracy, 0.8);
    QCOMPARE(summary->source.split, QStringLiteral("source/validation"));
    QCOMPARE(summary->source.accuracy, 0.75);
    QVERIFY(qAbs(summary->gap() - (0.75 - 0.8)) < 1e-12);
    const QJsonObject json = summary->toJson();
    const QJsonObject target = json.value(QLatin1String("final")).toObject().value(QLatin1String("target")).toObject();
    QCOMPARE(target.value(QLatin1String("examples")).toInt(), 5);
    QCOMPARE(target.value(QLatin1String("split")).toString(), QStringLiteral("target/test"));
    QCOMPARE(target.value(QLatin1String("confusion")).toArray().at(1).toArray().at(0).toInt(), 1);
    QVERIFY(json.value(QLatin1String("warnings")).toArray().isEmpty());
}

void TestRunResults::learnedNothingWhenAtMajority()
{
    const qint64 run = addRun(QStringLiteral("dann"), QStringLiteral("{}"), 1, RunRecord::Status::Finished);
    addPredictions(run, QStringLiteral("target/test"), {0, 1, 0, 1, 0, 1}, {1, 1, 1, 1, 1, 1});
    const auto summary = RunSummary::load(m_project->database(), run, kBaseline);
    QVERIFY(summary.ok());
    QVERIFY(summary->warnings.contains(QLatin1String(RunSummary::kLearnedNothing)));
    QCOMPARE(summary->target.majorityAccuracy, 0.5);
}

void TestRunResults::learnedNothingWhenLossFlat()
{
    const qint64 run = addRun(QStringLiteral("source-only"), QStringLiteral("{}"), 1, RunRecord::Status::Finished);
    addPredictions(run, QStringLiteral("target/test"), {0, 1, 0, 1}, {0, 1, 0, 0});
    QList<double> losses;
    for (int i = 0; i < 40; ++i)
        losses.append(0.693 + ((i % 3) - 1) * 0.04); // noise around ln 2: single steps dip below 95%
    addLosses(run, losses);
    const auto summary = RunSummary::load(m_project->database(), run, kBaseline);
    QVERIFY(summary.ok());
    QVERIFY(summary->warnings.contains(QLatin1String(RunSummary::kLearnedNothing)));
}

void TestRunResults::normalRunHasNoWarning()
{
    const qint64 run = addRun(QStringLiteral("source-only"), QStringLiteral("{}"), 1, RunRecord::Status::Finished);
    addPredictions(run, QStringLiteral("target/test"), {0, 1, 0, 1}, {0, 1, 0, 0});
    QList<double> losses;
    for (int i = 0; i < 40; ++i)
        losses.append(0.7 * std::exp(-i / 15.0));
    addLosses(run, losses);
    const auto summary = RunSummary::load(m_project->database(), run, kBaseline);
    QVERIFY(summary.ok());
    QVERIFY2(summary->warnings.isEmpty(), qPrintable(summary->warningTexts.join(QLatin1Char(';'))));
}

void TestRunResults::selectionInWords()
{
    RunSummary::Selection selection;
    QCOMPARE(selection.describe(), QStringLiteral("last step"));
    selection.criterion = QStringLiteral("best-source");
    QCOMPARE(selection.describe(), QStringLiteral("best source validation"));
    selection.criterion = QStringLiteral("best-target");
    selection.usesTargetLabels = true;
    QCOMPARE(selection.describe(), QStringLiteral("best target validation (uses target labels)"));
}

void TestRunResults::domainGameWarnings_data()
{
    QTest::addColumn<double>("early");
    QTest::addColumn<double>("late");
    QTest::addColumn<QString>("says"); // empty: no warning
    // The issue-14 MiniLM run: the encoder flipped its features past a slow domain classifier.
    QTest::newRow("beaten") << 0.5 << 0.03 << QStringLiteral("beaten outright");
    QTest::newRow("never fooled") << 0.9 << 0.995 << QStringLiteral("never fooled");
    QTest::newRow("a game") << 0.95 << 0.6 << QString();
    // The first half does not count: a classifier that starts beaten and recovers plays.
    QTest::newRow("recovered") << 0.05 << 0.55 << QString();
}

void TestRunResults::domainGameWarnings()
{
    QFETCH(double, early);
    QFETCH(double, late);
    QFETCH(QString, says);
    const qint64 run = addRun(QStringLiteral("dann"), QStringLiteral("{}"), 1, RunRecord::Status::Finished);
    addPredictions(run, QStringLiteral("target/test"), {0, 1, 0, 1}, {0, 1, 0, 0});
    MetricPoints points;
    for (int i = 0; i < 40; ++i) {
        points.append({run, i + 1, 0.0, QStringLiteral("train"), QStringLiteral("loss"), 0.7 * std::exp(-i / 15.0), 0.0});
        points.append({run, i + 1, 0.0, QStringLiteral("train"), QStringLiteral("domain_accuracy"), i < 20 ? early : late,
                       0.0});
    }
    QVERIFY(RunStore(m_project->database()).appendMetrics(points).ok());
    const auto summary = RunSummary::load(m_project->database(), run, kBaseline);
    QVERIFY2(summary.ok(), qPrintable(summary.error()));
    QCOMPARE(summary->warnings.contains(QLatin1String(RunSummary::kDomainGameBroken)), !says.isEmpty());
    if (!says.isEmpty())
        QVERIFY2(summary->warningTexts.join(QLatin1Char(' ')).contains(says), qPrintable(summary->warningTexts.join(';')));
}

void TestRunResults::baselineAndNegativeTransfer()
{
    const QString config = QStringLiteral("{\"epochs\":2,\"strategy\":\"x\",\"init_seed\":1}");
    const qint64 baseline = addRun(QStringLiteral("source-only"), config, 1, RunRecord::Status::Finished);
    addPredictions(baseline, QStringLiteral("target/test"), {0, 1, 0, 1}, {0, 1, 0, 1});
    const qint64 other = addRun(QStringLiteral("source-only"), QStringLiteral("{\"epochs\":5}"), 1,
                                RunRecord::Status::Finished);
    addPredictions(other, QStringLiteral("target/test"), {0, 1, 0, 1}, {0, 0, 0, 0});
    const qint64 dann = addRun(QStringLiteral("dann"), config, 1, RunRecord::Status::Finished);
    addPredictions(dann, QStringLiteral("target/test"), {0, 1, 0, 1}, {0, 1, 0, 0});
    const auto summary = RunSummary::load(m_project->database(), dann, kBaseline);
    QVERIFY(summary.ok());
    QCOMPARE(summary->baselineRunId, baseline); // not the run with other settings
    QCOMPARE(summary->baselineTargetAccuracy, 1.0);
    QVERIFY(summary->warnings.contains(QLatin1String(RunSummary::kNegativeTransfer)));
    const auto all = RunSummary::loadAll(m_project->database(), kBaseline);
    QVERIFY(all.ok());
    QCOMPARE(all->size(), 3);
    QCOMPARE(all->at(2).baselineRunId, baseline);
    QCOMPARE(all->at(0).baselineRunId, 0); // a baseline has none
}

void TestRunResults::groupsOnlyIdenticalSettings()
{
    const QString small = QStringLiteral("{\"epochs\":1,\"max_train_examples\":200}");
    const QString large = QStringLiteral("{\"epochs\":2,\"max_train_examples\":1000}");
    for (qint64 seed : {1, 2}) {
        addPredictions(addRun(QStringLiteral("source-only"), small, seed, RunRecord::Status::Finished),
                       QStringLiteral("target/test"), {0, 1}, {0, 1});
    }
    addPredictions(addRun(QStringLiteral("source-only"), large, 3, RunRecord::Status::Finished),
                   QStringLiteral("target/test"), {0, 1}, {0, 0});
    addRun(QStringLiteral("source-only"), small, 4, RunRecord::Status::Failed);
    const auto all = RunSummary::loadAll(m_project->database(), kBaseline);
    QVERIFY(all.ok());
    const QList<RunGroupResult> groups = RunGrouping::group(all.value());
    QCOMPARE(groups.size(), 2);
    QCOMPARE(groups[0].runs.size(), 2);
    QCOMPARE(groups[1].runs.size(), 1);
    QVERIFY(groups[0].key != groups[1].key);
    QVERIFY(groups[0].key.contains(QLatin1String("epochs=1")));
    QVERIFY(!groups[0].key.contains(QLatin1String("seed")));
    QCOMPARE(groups[0].targetAccuracy.mean, 1.0);
    QCOMPARE(groups[0].targetSplit, QStringLiteral("target/test"));
    QCOMPARE(groups[0].targetExamples, 2);
    // Two groups of one strategy: each says what tells it from the other.
    QCOMPARE(groups[0].differences, QStringList({QStringLiteral("max_train_examples=200"), QStringLiteral("epochs=1")}));
    QCOMPARE(groups[1].differences, QStringList({QStringLiteral("max_train_examples=1000"), QStringLiteral("epochs=2")}));
    QCOMPARE(groups[0].toJson().value(QLatin1String("differences")).toArray().size(), 2);
}

void TestRunResults::differencesNameSettingsAndOptions()
{
    const auto run = [](const QString &strategy, const QString &config) {
        RunRecord r;
        r.strategy = strategy;
        r.configJson = config;
        return r;
    };
    const QList<RunRecord> runs = {
        run(QStringLiteral("dann"), QStringLiteral("{\"epochs\":3,\"init_seed\":1,\"options\":{\"lambda\":0.3,\"warmup\":2}}")),
        run(QStringLiteral("dann"), QStringLiteral("{\"epochs\":3,\"init_seed\":2,\"options\":{\"lambda\":1,\"warmup\":2}}")),
        run(QStringLiteral("dann"), QStringLiteral("{\"epochs\":5,\"init_seed\":1,\"options\":{\"lambda\":1,\"warmup\":2}}"))};
    // Seeds are not settings; an option is named as --set names it; what all share is left out.
    QCOMPARE(RunSettingsKey::differences(runs, 0), QStringList({QStringLiteral("epochs=3"), QStringLiteral("lambda=0.3")}));
    QCOMPARE(RunSettingsKey::differences(runs.mid(0, 2), 0), QStringList({QStringLiteral("lambda=0.3")}));
    QCOMPARE(RunSettingsKey::differences(runs, 1), QStringList({QStringLiteral("epochs=3"), QStringLiteral("lambda=1")}));
    QCOMPARE(RunSettingsKey::differences(runs, 2), QStringList({QStringLiteral("epochs=5"), QStringLiteral("lambda=1")}));
    QCOMPARE(RunSettingsKey::differences({runs.first()}, 0), QStringList());
    // What changes what is learned first, how it is measured last; a limit of 0 is "all".
    const QList<RunRecord> limits = {
        run(QStringLiteral("dann"), QStringLiteral("{\"eval_every\":10,\"max_train_examples\":0,\"decay\":\"linear\",\"options\":{\"lambda\":1}}")),
        run(QStringLiteral("dann"), QStringLiteral("{\"eval_every\":2,\"max_train_examples\":640,\"decay\":\"cosine\",\"options\":{\"lambda\":3}}"))};
    QCOMPARE(RunSettingsKey::differences(limits, 0),
             QStringList({QStringLiteral("max_train_examples=all"), QStringLiteral("lambda=1"), QStringLiteral("decay=linear"),
                          QStringLiteral("eval_every=10")}));
    // The key itself is unchanged: options stay one JSON object in it.
    QVERIFY(RunSettingsKey::of(runs.first()).contains(QLatin1String("options={\"lambda\":0.3,\"warmup\":2}")));
}

void TestRunResults::keyHasThePrecisionARunTrainedIn()
{
    const auto run = [](const QString &precision, const QString &device) {
        RunRecord r;
        r.strategy = QStringLiteral("source-only");
        r.configJson = precision.isEmpty() ? QStringLiteral("{\"epochs\":1}")
                                           : QStringLiteral("{\"epochs\":1,\"precision\":\"%1\"}").arg(precision);
        r.device = device;
        return RunSettingsKey::of(r);
    };
    // What a run trained in counts, not how it was asked for, nor the device.
    QCOMPARE(run(QStringLiteral("auto"), QStringLiteral("cpu bf16")), run(QStringLiteral("bf16"), QStringLiteral("cuda:0 bf16")));
    QVERIFY(run(QStringLiteral("auto"), QStringLiteral("cpu bf16")) != run(QStringLiteral("auto"), QStringLiteral("cpu fp32")));
    QVERIFY(run(QStringLiteral("auto"), QStringLiteral("cpu fp32")).contains(QLatin1String("precision=fp32")));
    // Runs recorded before the choice: fp32 on the CPU, bf16 on CUDA.
    QCOMPARE(run(QString(), QStringLiteral("cpu")), run(QStringLiteral("fp32"), QStringLiteral("cpu fp32")));
    QCOMPARE(run(QString(), QStringLiteral("cuda:0")), run(QStringLiteral("auto"), QStringLiteral("cpu bf16")));
}

void TestRunResults::seedStatistics()
{
    const SeedEstimate one = SeedStatistics::of({0.8});
    QCOMPARE(one.n, 1);
    QCOMPARE(one.std, 0.0);
    QCOMPARE(one.ciLow, 0.8);
    const SeedEstimate e = SeedStatistics::of({0.80, 0.82, 0.78, 0.81});
    QVERIFY(qAbs(e.mean - 0.8025) < 1e-12);
    QVERIFY(qAbs(e.std - 0.0170782512765993) < 1e-9);
    QVERIFY(e.ciLow < e.mean && e.mean < e.ciHigh);
    QVERIFY(e.ciLow >= 0.78 && e.ciHigh <= 0.82);
    const SeedEstimate again = SeedStatistics::of({0.80, 0.82, 0.78, 0.81});
    QCOMPARE(again.ciLow, e.ciLow); // fixed seed: the same interval every time
}

void TestRunResults::pairedDifferences()
{
    const QString config = QStringLiteral("{\"epochs\":1}");
    for (qint64 seed : {1, 2, 3}) {
        addPredictions(addRun(QStringLiteral("source-only"), config, seed, RunRecord::Status::Finished),
                       QStringLiteral("target/test"), {0, 1, 0, 1}, {0, 1, 0, 0});
        addPredictions(addRun(QStringLiteral("dann"), config, seed, RunRecord::Status::Finished),
                       QStringLiteral("target/test"), {0, 1, 0, 1}, {0, 1, 0, 1});
    }
    const auto all = RunSummary::loadAll(m_project->database(), kBaseline);
    QVERIFY(all.ok());
    const auto pairs = RunGrouping::paired(RunGrouping::group(all.value()));
    QCOMPARE(pairs.size(), 1);
    QCOMPARE(pairs[0].first, QStringLiteral("source-only"));
    QCOMPARE(pairs[0].targetAccuracy.n, 3);
    QCOMPARE(pairs[0].targetAccuracy.mean, -0.25);
}

void TestRunResults::csvQuotesAndErrors()
{
    PredictionSet set;
    set.classes = {QStringLiteral("neg"), QStringLiteral("pos, really")};
    set.predictions = {{1, 0, 0, {0.9f, 0.1f}, false}, {2, 1, 0, {0.6f, 0.4f}, true}};
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    PredictionCsv::Options options;
    options.texts = {QStringLiteral("fine"), QStringLiteral("said \"no\", then\nleft")};
    options.onlyErrors = true;
    QVERIFY(PredictionCsv::write(buffer, set, options).ok());
    const QString csv = QString::fromUtf8(buffer.data());
    QCOMPARE(csv, QStringLiteral("id,label,predicted,confidence,p_neg,\"p_pos, really\",truncated,text\n"
                                 "2,\"pos, really\",neg,0.600000,0.600000,0.400000,yes,\"said \"\"no\"\", then\nleft\"\n"));
    const QString path = m_dir->path(QStringLiteral("out.csv"));
    QVERIFY(PredictionCsv::save(path, set, {}, false).ok());
    QVERIFY(!PredictionCsv::save(path, set, {}, false).ok()); // never overwritten
}

QTEST_GUILESS_MAIN(TestRunResults)
#include "tst_runresults.moc"
