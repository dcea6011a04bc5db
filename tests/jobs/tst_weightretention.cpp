// Checkpoint retention (issue 15) on the embedded sample corpora and a built-in tiny encoder (in
// tests/jobs for RunPredictor): a finished run keeps only the weights it trained (full
// fine-tuning: the model once; LoRA: its adapters and head; freezing: the unfrozen layers and
// head), an unfinished one exactly one checkpoint, which resumes to the uninterrupted run's
// metrics; export and predict rebuild the same model from the base model plus the kept weights as
// from a whole checkpoint (how older versions kept finished runs); "none" keeps no weights and
// says so.
#include "SampleRunProject.h"
#include "TempProject.h"

#include "jobs/RunPredictor.h"
#include "model/ModelRegistry.h"
#include "model/nn/LinearAdapter.h"
#include "model/nn/ModelLoader.h"
#include "project/PredictionStore.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "project/SpaceMeter.h"
#include "project/WeightRetention.h"
#include "train/CheckpointStore.h"
#include "train/CheckpointTensors.h"
#include "train/RunWeights.h"
#include "transfer/FreezeStrategy.h"
#include "transfer/RunExporter.h"
#include "transfer/TransferRunner.h"
#include "transfer/TransferStrategy.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <set>

using namespace ts;

namespace {

constexpr int kClasses = 2; // the sample corpora's labels: positive, negative

RunRequest quickRequest(const QString &strategy)
{
    RunRequest request = test::SampleRunProject::booksToElectronics(strategy, QStringLiteral("tiny"));
    TrainingConfig &c = request.config;
    c.epochs = 1;
    c.maxTrainExamples = 128;
    c.maxEvalExamples = 32;
    c.evalEvery = 4;
    c.checkpointEvery = 4;
    return request;
}

/// Every file under `dir` by its relative path, with its bytes.
QMap<QString, QByteArray> filesUnder(const QString &dir)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            files.insert(QDir(dir).relativeFilePath(path), file.readAll());
    }
    return files;
}

} // namespace

class TestWeightRetention : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fullFineTuningKeepsTheWeightsOnce();
    void loraKeepsItsAdaptersAndHead();
    void freezeKeepsTheUnfrozenLayersAndHead();
    void interruptedRunKeepsOneCheckpointAndResumes();
    void keptWeightsGiveTheWholeCheckpointsOutputs_data();
    void keptWeightsGiveTheWholeCheckpointsOutputs();
    void bestAndFinalKeepsBoth();
    void keepNoneLeavesNoWeightsAndSaysSo();

private:
    /// Artifacts of `kind` the run holds: how many and their bytes.
    std::pair<int, qint64> artifacts(qint64 runId, const QString &kind) const;
    /// The names of the tensors in the run's kept weights `name`.
    QStringList keptNames(qint64 runId, const QString &name = QString::fromLatin1(CheckpointStore::kResultWeights)) const;
    /// The base model's folder, written once into the test's folder.
    QString baseDir();
    /// The base model with a classification head, prepared by `strategy` as export rebuilds it;
    /// `initialised` gets the tensors the base files lack.
    std::shared_ptr<PretrainedModel> baseModel(const QString &strategy, const TrainingConfig &config,
                                               QStringList *initialised = nullptr);
    /// The target test split's predictions of `runId` (RunPredictor), by document id.
    QMap<qint64, Prediction> predicted(qint64 runId) const;

    QString m_baseDir;
    test::SampleRunProject m_project;
};

void TestWeightRetention::initTestCase()
{
    const Status created =
        m_project.create(QStringLiteral("retention.tstudio"), {QStringLiteral("books"), QStringLiteral("electronics")});
    QVERIFY2(created.ok(), qPrintable(created.error()));
    const Status added = m_project.addBuiltin(QStringLiteral("tiny-encoder"), QStringLiteral("tiny"));
    QVERIFY2(added.ok(), qPrintable(added.error()));
}

std::pair<int, qint64> TestWeightRetention::artifacts(qint64 runId, const QString &kind) const
{
    QSqlQuery q(m_project.database());
    q.prepare(QStringLiteral("SELECT count(*), ifnull(sum(bytes), 0) FROM artifacts WHERE run_id = ? AND kind = ?"));
    q.addBindValue(runId);
    q.addBindValue(kind);
    if (!q.exec() || !q.next())
        return {-1, -1};
    return {q.value(0).toInt(), q.value(1).toLongLong()};
}

QStringList TestWeightRetention::keptNames(qint64 runId, const QString &name) const
{
    const auto kept = CheckpointStore(m_project.database(), runId).kept(name);
    if (!kept.ok() || !kept.value())
        return {};
    const auto tensors = CheckpointTensors::decode(kept.value()->tensors, name);
    QStringList names;
    for (const auto &item : tensors.value())
        names.append(QString::fromStdString(item.first));
    return names;
}

QString TestWeightRetention::baseDir()
{
    if (m_baseDir.isEmpty()) {
        const QSqlDatabase db = m_project.database();
        const auto model = ModelRegistry::find(db, QStringLiteral("tiny"));
        const auto dir = ModelRegistry::materialize(db, model.value(), m_project.filePath(QStringLiteral("base")));
        if (!dir.ok())
            qFatal("%s", qPrintable(dir.error()));
        m_baseDir = dir.value();
    }
    return m_baseDir;
}

std::shared_ptr<PretrainedModel> TestWeightRetention::baseModel(const QString &strategy, const TrainingConfig &config,
                                                                QStringList *initialised)
{
    LoadOptions options;
    options.task = ModelTask::SequenceClassification;
    options.numLabels = kClasses;
    auto loaded = ModelLoader::load(baseDir(), options);
    if (!loaded.ok())
        qFatal("%s", qPrintable(loaded.error()));
    if (initialised)
        *initialised = loaded->report.initialised;
    if (!TransferStrategy::create(strategy)->prepareForCheckpoint(*loaded->model, config).ok())
        qFatal("cannot prepare the base model for %s", qPrintable(strategy));
    return loaded->model;
}

QMap<qint64, Prediction> TestWeightRetention::predicted(qint64 runId) const
{
    PredictParams params;
    params.projectPath = m_project.path();
    params.runId = runId;
    params.corpus = QStringLiteral("electronics");
    params.split = QStringLiteral("test");
    const auto out = RunPredictor::predict(params);
    QMap<qint64, Prediction> byDocument;
    if (!out.ok()) {
        qWarning("%s", qPrintable(out.error()));
        return byDocument;
    }
    for (qsizetype i = 0; i < out->ids.size(); ++i)
        byDocument.insert(out->ids[i].toLongLong(), out->predictions.predictions[i]);
    return byDocument;
}

void TestWeightRetention::fullFineTuningKeepsTheWeightsOnce()
{
    const auto before = SpaceMeter::measure(m_project.database(), m_project.path());
    QVERIFY2(before.ok(), qPrintable(before.error()));
    const RunRequest request = quickRequest(QStringLiteral("source-only"));
    const qint64 id = m_project.execute(request);
    QVERIFY(id > 0);
    qint64 parameterBytes = 0;
    for (const auto &p : baseModel(request.config.strategy, request.config)->parameters())
        parameterBytes += p.numel() * qint64(p.element_size());
    QCOMPARE(artifacts(id, QStringLiteral("checkpoint")).first, 0);
    const auto [count, bytes] = artifacts(id, QString::fromLatin1(CheckpointStore::kWeightsKind));
    QCOMPARE(count, 1);
    // Every weight once, no optimiser state: the model's bytes plus a safetensors header.
    QVERIFY2(bytes <= 1.1 * double(parameterBytes) && bytes >= parameterBytes,
             qPrintable(QStringLiteral("%1 bytes kept, the model has %2").arg(bytes).arg(parameterBytes)));
    const auto after = SpaceMeter::measure(m_project.database(), m_project.path());
    QVERIFY2(after.ok(), qPrintable(after.error()));
    QCOMPARE(after->checkpoints, qint64(0));
    const qint64 grown = after->runWeights + after->checkpoints - before->runWeights - before->checkpoints;
    QVERIFY2(grown <= 1.1 * double(parameterBytes),
             qPrintable(QStringLiteral("the run's stored weights take %1 bytes, the model has %2").arg(grown).arg(parameterBytes)));

    // The kept weights predict what the trained model predicted at the end of the run.
    const auto stored = PredictionStore(m_project.database()).load(id, QStringLiteral("target/test"));
    QVERIFY2(stored.ok(), qPrintable(stored.error()));
    const QMap<qint64, Prediction> again = predicted(id);
    QCOMPARE(again.size(), stored->predictions.size());
    for (const Prediction &p : stored->predictions) {
        QVERIFY(again.contains(p.documentId));
        const Prediction &q = again[p.documentId];
        QCOMPARE(q.predicted, p.predicted);
        QCOMPARE(q.probabilities.size(), p.probabilities.size());
        for (qsizetype c = 0; c < q.probabilities.size(); ++c)
            QVERIFY2(std::abs(q.probabilities[c] - p.probabilities[c]) < 1e-4f,
                     qPrintable(QStringLiteral("document %1: %2 vs %3").arg(p.documentId).arg(q.probabilities[c]).arg(p.probabilities[c])));
    }
}

void TestWeightRetention::loraKeepsItsAdaptersAndHead()
{
    const RunRequest request = quickRequest(QStringLiteral("lora"));
    const qint64 id = m_project.execute(request);
    QVERIFY(id > 0);
    QStringList trained; // the adapters, the head, and what the base files lack (left as initialised)
    const auto model = baseModel(request.config.strategy, request.config, &trained);
    const std::string adapter = std::string(".") + LinearAdapter::kChildName + ".";
    std::set<const void *> head;
    for (const auto &p : model->head()->parameters())
        head.insert(p.unsafeGetTensorImpl());
    qint64 trainedBytes = 0;
    for (const auto &item : model->named_parameters()) {
        if (item.key().find(adapter) == std::string::npos && !head.count(item.value().unsafeGetTensorImpl()))
            continue;
        trainedBytes += item.value().numel() * qint64(item.value().element_size());
        trained.append(QString::fromStdString(item.key()));
    }
    QVERIFY(trainedBytes > 0);
    trained.removeDuplicates();
    const auto [count, bytes] = artifacts(id, QString::fromLatin1(CheckpointStore::kWeightsKind));
    QCOMPARE(count, 1);
    QCOMPARE(artifacts(id, QStringLiteral("checkpoint")).first, 0);
    QVERIFY2(bytes <= 2 * trainedBytes,
             qPrintable(QStringLiteral("%1 bytes kept for %2 bytes of adapters and head").arg(bytes).arg(trainedBytes)));
    QStringList kept = keptNames(id);
    kept.sort();
    trained.sort();
    QCOMPARE(kept, trained);
}

void TestWeightRetention::freezeKeepsTheUnfrozenLayersAndHead()
{
    RunRequest request = quickRequest(QStringLiteral("freeze"));
    request.config.options.insert(QString::fromLatin1(FreezeStrategy::kFrozenLayers), 1);
    request.config.options.insert(QString::fromLatin1(FreezeStrategy::kFreezeEmbeddings), true);
    const qint64 id = m_project.execute(request);
    QVERIFY(id > 0);
    QStringList expected;
    const auto model = baseModel(request.config.strategy, request.config);
    const auto layers = model->backbone()->layers();
    std::set<const void *> frozen;
    for (auto &p : model->backbone()->embeddings()->parameters())
        frozen.insert(p.unsafeGetTensorImpl());
    for (auto &p : layers.front()->parameters())
        frozen.insert(p.unsafeGetTensorImpl());
    for (const auto &item : model->named_parameters()) {
        if (!frozen.count(item.value().unsafeGetTensorImpl()))
            expected.append(QString::fromStdString(item.key()));
    }
    QStringList kept = keptNames(id);
    kept.sort();
    expected.sort();
    QCOMPARE(kept, expected);
    QVERIFY(kept.size() < int(model->named_parameters().size()));
}

void TestWeightRetention::interruptedRunKeepsOneCheckpointAndResumes()
{
    const RunRequest request = quickRequest(QStringLiteral("source-only"));
    const qint64 whole = m_project.execute(request);
    QVERIFY(whole > 0);
    const qint64 id = m_project.cancelledRun(request, 6);
    QVERIFY(id > 0);
    QCOMPARE(artifacts(id, QStringLiteral("checkpoint")).first, 1);
    QCOMPARE(artifacts(id, QString::fromLatin1(CheckpointStore::kWeightsKind)).first, 0);

    QVERIFY(TransferRunner::execute(m_project.path(), id, {}).ok());
    RunStore store(m_project.database());
    QCOMPARE(store.load(id)->status, RunRecord::Status::Finished);
    QCOMPARE(artifacts(id, QStringLiteral("checkpoint")).first, 0);
    QCOMPARE(artifacts(id, QString::fromLatin1(CheckpointStore::kWeightsKind)).first, 1);
    const auto expected = store.finalMetrics(whole).value();
    const auto resumed = store.finalMetrics(id).value();
    for (const char *split : {"source/validation", "target/validation", "target/test"}) {
        for (const char *metric : {"accuracy", "loss"}) {
            const double e = expected[QLatin1String(split)][QLatin1String(metric)];
            const double r = resumed[QLatin1String(split)][QLatin1String(metric)];
            QVERIFY2(std::abs(e - r) < 1e-5, qPrintable(QStringLiteral("%1 %2: %3 vs %4").arg(split, metric).arg(e).arg(r)));
        }
    }
}

void TestWeightRetention::keptWeightsGiveTheWholeCheckpointsOutputs_data()
{
    QTest::addColumn<QString>("strategy");
    QTest::newRow("full fine-tuning") << QStringLiteral("source-only");
    QTest::newRow("lora") << QStringLiteral("lora");
    QTest::newRow("freeze") << QStringLiteral("freeze");
}

void TestWeightRetention::keptWeightsGiveTheWholeCheckpointsOutputs()
{
    // A run stopped at step 5 and marked finished is what older versions left of a finished run:
    // its whole checkpoint. Export and predict from it, then keep its weights as a run finishing
    // now does, and export and predict again.
    QFETCH(QString, strategy);
    const qint64 id = m_project.cancelledRun(quickRequest(strategy), 5);
    QVERIFY(id > 0);
    QVERIFY(RunStore(m_project.database()).markEnded(id, RunRecord::Status::Finished).ok());
    QTemporaryDir whole;
    QVERIFY(RunExporter::exportRun(m_project.path(), id, whole.filePath(QStringLiteral("out"))).ok());
    const QMap<qint64, Prediction> before = predicted(id);
    QVERIFY(!before.isEmpty());

    QVERIFY(RunWeights::keepFinal(m_project.database(), id, QString::fromLatin1(WeightRetention::kFinal), baseDir()).ok());
    QCOMPARE(artifacts(id, QStringLiteral("checkpoint")).first, 0);
    QTemporaryDir kept;
    const Status exported = RunExporter::exportRun(m_project.path(), id, kept.filePath(QStringLiteral("out")));
    QVERIFY2(exported.ok(), qPrintable(exported.error()));
    const auto wholeFiles = filesUnder(whole.filePath(QStringLiteral("out")));
    QVERIFY(wholeFiles.contains(QStringLiteral("model.safetensors")));
    QCOMPARE(filesUnder(kept.filePath(QStringLiteral("out"))), wholeFiles);
    const QMap<qint64, Prediction> after = predicted(id);
    QCOMPARE(after.keys(), before.keys());
    for (auto it = before.cbegin(); it != before.cend(); ++it)
        QCOMPARE(after[it.key()].probabilities, it.value().probabilities);
}

void TestWeightRetention::bestAndFinalKeepsBoth()
{
    RunRequest request = quickRequest(QStringLiteral("source-only"));
    request.config.selection = QStringLiteral("best-source");
    request.config.keep = QString::fromLatin1(WeightRetention::kBestAndFinal);
    request.config.evalEvery = 2;
    const qint64 id = m_project.execute(request);
    QVERIFY(id > 0);
    QCOMPARE(artifacts(id, QString::fromLatin1(CheckpointStore::kWeightsKind)).first, 2);
    QCOMPARE(keptNames(id, QString::fromLatin1(CheckpointStore::kLastWeights)), keptNames(id));
    // The result (what export and predict use) is the selected step's.
    const auto result = CheckpointStore(m_project.database(), id).kept(QString::fromLatin1(CheckpointStore::kResultWeights));
    const auto last = CheckpointStore(m_project.database(), id).kept(QString::fromLatin1(CheckpointStore::kLastWeights));
    QVERIFY(result.ok() && result.value() && last.ok() && last.value());
    const auto metrics = RunStore(m_project.database()).metrics(id).value();
    double selected = -1;
    for (const MetricPoint &p : metrics) {
        if (p.metric == QLatin1String("selected_step"))
            selected = p.value;
    }
    QCOMPARE(double(result.value()->step), selected);
    QVERIFY(last.value()->step >= result.value()->step);
}

void TestWeightRetention::keepNoneLeavesNoWeightsAndSaysSo()
{
    QVERIFY(WeightRetention::setProjectDefault(m_project.database(), QString::fromLatin1(WeightRetention::kNone)).ok());
    QCOMPARE(WeightRetention::projectDefault(m_project.database()).value(), QString::fromLatin1(WeightRetention::kNone));
    const qint64 id = m_project.execute(quickRequest(QStringLiteral("source-only")));
    QVERIFY(WeightRetention::setProjectDefault(m_project.database(), QString::fromLatin1(WeightRetention::kFinal)).ok());
    QVERIFY(id > 0);
    QCOMPARE(RunStore(m_project.database()).load(id)->status, RunRecord::Status::Finished);
    QCOMPARE(artifacts(id, QStringLiteral("checkpoint")).first, 0);
    QCOMPARE(artifacts(id, QString::fromLatin1(CheckpointStore::kWeightsKind)).first, 0);
    QVERIFY(PredictionStore(m_project.database()).load(id, QStringLiteral("target/test"))->examples() > 0);
    QTemporaryDir out;
    const Status exported = RunExporter::exportRun(m_project.path(), id, out.filePath(QStringLiteral("out")));
    QVERIFY(!exported.ok());
    for (const QString &part : {QStringLiteral("run %1").arg(id), QStringLiteral("\"none\""), QStringLiteral("--keep")})
        QVERIFY2(exported.error().contains(part), qPrintable(exported.error()));
    QVERIFY(WeightRetention::setProjectDefault(m_project.database(), QStringLiteral("everything")).error().contains(
        QLatin1String("best-and-final")));
}

QTEST_GUILESS_MAIN(TestWeightRetention)
#include "tst_weightretention.moc"
