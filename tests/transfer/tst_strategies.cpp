// The engine end to end on the embedded sample corpora and a built-in tiny encoder: every
// strategy runs and records source and target metrics; losses fall; runs are deterministic for
// their seeds; a cancelled run resumes to the same metrics as an uninterrupted one; frozen
// layers stay bit-identical; groups, few-shot and interrupted runs behave.
#include "SampleRunProject.h"
#include "TempProject.h"

#include "model/ModelRegistry.h"
#include "model/ModelTokenizer.h"
#include "model/nn/MaskedLmHead.h"
#include "model/nn/ModelExporter.h"
#include "model/nn/ModelLoader.h"
#include "project/Project.h"
#include "model/SafeTensorsFile.h"
#include "project/RunStore.h"
#include "project/RunSummary.h"
#include "train/CheckpointStore.h"
#include "train/RunControl.h"
#include "transfer/RunExporter.h"
#include "transfer/RunMemoryEstimate.h"
#include "transfer/JointLanguageModelObjective.h"
#include "transfer/SelfTrainingStrategy.h"
#include "transfer/StrategyRegistry.h"
#include "transfer/TransferRunner.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace ts;

namespace {

RunRequest quickRequest(const QString &strategy)
{
    RunRequest request = test::SampleRunProject::booksToElectronics(strategy, QStringLiteral("tiny"));
    TrainingConfig &c = request.config;
    c.epochs = 2;
    c.maxTrainExamples = 128;
    c.maxEvalExamples = 64;
    c.evalEvery = 8;
    return request;
}

/// The steps at which `split` recorded `metric`, in order.
QList<qint64> stepsOf(const MetricPoints &points, const QString &split, const QString &metric)
{
    QList<qint64> steps;
    for (const MetricPoint &p : points) {
        if (p.split == split && p.metric == metric)
            steps.append(p.step);
    }
    return steps;
}

/// The training-loss values of a run, in step order.
QList<double> trainingLoss(const MetricPoints &points, const QString &split = QStringLiteral("train"))
{
    QList<double> values;
    for (const MetricPoint &p : points) {
        if (p.split == split && p.metric == QLatin1String("loss"))
            values.append(p.value);
    }
    return values;
}

double mean(const QList<double> &values, qsizetype from, qsizetype count)
{
    double sum = 0;
    for (qsizetype i = from; i < from + count; ++i)
        sum += values[i];
    return sum / double(count);
}

} // namespace

class TestStrategies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyRegisteredStrategyRunsAndExports();
    void sourceOnlyLearnsAndRecordsBothDomains();
    void sameSeedsSameTrajectory();
    void resumeReproducesUninterruptedRun();
    void resumeFromOlderCheckpointRecordsEachStepOnce();
    void checkpointsAreSafetensorsWithoutPickle();
    void damagedCheckpointsAreRefused();
    void frozenLayersStayBitIdentical();
    void dannRecordsDomainAccuracy();
    void loraTrainsAdaptersAndExportsThem();
    void daptPretrainsThenFineTunes();
    void zeroShotRecordsStepZero();
    void gradualUnfreezeAndMultitask();
    void fewShotAndLabelBudgetGroup();
    void continuedPretrainingSavesModel();
    void interruptedRunsAreMarked();
    void selfTrainingSelectsBalancedConfidentLabels();
    void selfTrainingRecordsEachRound();
    void badRequestsAreRefused();
    void jointMlmAtWeightZeroIsSourceOnly();
    void jointMlmRecordsItsLanguageModelLoss();
    void jointMlmWarmsUpANewLanguageModelHead();
    void jointMlmGradientReachesTheEncoder();
    void maskedLmLossOnPredictedPositionsOnly();
    void pretrainingComposesWithDannAndSelfTraining();
    void bestSourceSelectsTheBestValidationStep();
    void selectionSurvivesResume();

private:
    /// The project's built-in "tiny" encoder with a 2-class head, in training mode.
    std::shared_ptr<PretrainedModel> tinyClassifier();
    MetricPoints metricsOf(qint64 runId) const;
    /// Replaces the newest checkpoint's bytes of `runId` by `blob`, with a matching SHA-256 unless `keepDigest`.
    void replaceNewestCheckpoint(qint64 runId, const QByteArray &blob, bool keepDigest = false);
    /// The run's checkpoint blobs, newest first.
    QList<QByteArray> checkpointsOf(qint64 runId) const;
    QMap<QString, QMap<QString, double>> finalOf(qint64 runId) const;

    test::SampleRunProject m_project;
};

void TestStrategies::initTestCase()
{
    const Status created = m_project.create(QStringLiteral("engine.tstudio"));
    QVERIFY2(created.ok(), qPrintable(created.error()));
    const Status added = m_project.addBuiltin(QStringLiteral("tiny-encoder"), QStringLiteral("tiny"));
    QVERIFY2(added.ok(), qPrintable(added.error()));
}

MetricPoints TestStrategies::metricsOf(qint64 runId) const
{
    return RunStore(m_project.database()).metrics(runId).value();
}

QMap<QString, QMap<QString, double>> TestStrategies::finalOf(qint64 runId) const
{
    return RunStore(m_project.database()).finalMetrics(runId).value();
}

void TestStrategies::everyRegisteredStrategyRunsAndExports()
{
    // Settings a strategy cannot run without, by option name (not by strategy): a new strategy with
    // the same kind of option is covered without touching this test.
    const QJsonObject required{{QStringLiteral("extra_corpora"), QStringLiteral("restaurants")}};
    const auto model = ModelRegistry::find(m_project.database(), QStringLiteral("tiny"));
    QVERIFY(model.ok());
    for (const StrategyDescriptor &d : StrategyRegistry::all()) {
        RunRequest request = quickRequest(d.name);
        request.config.epochs = 1;
        request.config.maxTrainExamples = 32;
        request.config.maxEvalExamples = 16;
        for (const StrategyOption &o : d.options) {
            if (required.contains(o.name))
                request.config.options.insert(o.name, required.value(o.name));
        }
        const qint64 id = m_project.execute(request);
        QVERIFY2(id > 0, qPrintable(d.name));
        QCOMPARE(RunStore(m_project.database()).load(id)->status, RunRecord::Status::Finished);
        const auto final = finalOf(id);
        // Prompt strategies classify through the language-model head: measured like classifiers.
        if (d.output == StrategyDescriptor::Output::Classifier || d.usesPrompt)
            QVERIFY2(final.value(QStringLiteral("target/test")).contains(QStringLiteral("accuracy")), qPrintable(d.name));
        else
            QVERIFY2(final.value(QStringLiteral("target/validation")).contains(QStringLiteral("perplexity")),
                     qPrintable(d.name));
        // Every phase it declares trains and records its loss; a strategy that trains nothing records none.
        const MetricPoints points = metricsOf(id);
        const bool trained = !trainingLoss(points).isEmpty() || !trainingLoss(points, QStringLiteral("pretrain")).isEmpty();
        QVERIFY2(trained == d.trainsWeights(), qPrintable(d.name));
        QVERIFY2(!d.phases.isEmpty(), qPrintable(d.name));

        const RunMemoryEstimate estimate = RunMemoryEstimate::forRun(model->config, request.config, false);
        QVERIFY2((estimate.trainableParameters > 0) == d.trainsWeights(), qPrintable(d.name));
        QVERIFY2(estimate.trainableParameters <= estimate.parameters, qPrintable(d.name));

        QTemporaryDir out;
        const Status exported = RunExporter::exportRun(m_project.path(), id, out.path());
        QVERIFY2(exported.ok() == d.trainsWeights(), qPrintable(d.name + QLatin1Char(' ') + exported.error()));
        if (!d.trainsWeights())
            QVERIFY2(exported.error().contains(QStringLiteral("%1 trains nothing").arg(d.name)), qPrintable(exported.error()));
        else
            QVERIFY2(QFile::exists(out.filePath(QStringLiteral("model.safetensors"))), qPrintable(d.name));
    }
}

void TestStrategies::sourceOnlyLearnsAndRecordsBothDomains()
{
    RunRequest request = quickRequest(QStringLiteral("source-only"));
    request.config.epochs = 4;
    request.config.maxTrainExamples = 256;
    request.config.maxLength = 48;
    const qint64 id = m_project.execute(request);
    QVERIFY(id > 0);
    QCOMPARE(RunStore(m_project.database()).load(id)->status, RunRecord::Status::Finished);
    const QList<double> loss = trainingLoss(metricsOf(id));
    QCOMPARE(loss.size(), 64); // 4 epochs x 16 batches of 16
    QVERIFY2(mean(loss, loss.size() - 8, 8) < 0.85 * mean(loss, 0, 8),
             qPrintable(QStringLiteral("%1 -> %2").arg(mean(loss, 0, 8)).arg(mean(loss, loss.size() - 8, 8))));
    const auto final = finalOf(id);
    for (const char *split : {"source/validation", "target/validation", "source/test", "target/test"}) {
        QVERIFY2(final.contains(QLatin1String(split)), split);
        for (const char *metric : {"accuracy", "macro_f1", "loss"})
            QVERIFY2(final.value(QLatin1String(split)).contains(QLatin1String(metric)), metric);
    }
    QVERIFY2(final[QStringLiteral("source/test")][QStringLiteral("accuracy")] > 0.6,
             qPrintable(QString::number(final[QStringLiteral("source/test")][QStringLiteral("accuracy")])));
}

void TestStrategies::sameSeedsSameTrajectory()
{
    RunRequest request = quickRequest(QStringLiteral("source-only"));
    request.config.epochs = 1;
    const qint64 a = m_project.execute(request);
    const qint64 b = m_project.execute(request);
    QVERIFY(a > 0 && b > 0);
    const QList<double> first = trainingLoss(metricsOf(a));
    QCOMPARE(trainingLoss(metricsOf(b)), first);
    request.config.dataSeed += 1;
    const qint64 c = m_project.execute(request);
    QVERIFY(trainingLoss(metricsOf(c)) != first);
}

void TestStrategies::resumeReproducesUninterruptedRun()
{
    RunRequest request = quickRequest(QStringLiteral("source-only"));
    request.config.checkpointEvery = 4;
    const qint64 whole = m_project.execute(request);
    QVERIFY(whole > 0);

    const qint64 id = m_project.cancelledRun(request, 7);
    QVERIFY(id > 0);
    QVERIFY(trainingLoss(metricsOf(id)).size() < trainingLoss(metricsOf(whole)).size());

    QVERIFY(TransferRunner::execute(m_project.path(), id, {}).ok());
    QCOMPARE(RunStore(m_project.database()).load(id)->status, RunRecord::Status::Finished);
    const auto expected = finalOf(whole);
    const auto resumed = finalOf(id);
    for (const char *split : {"source/validation", "target/validation", "target/test"}) {
        for (const char *metric : {"accuracy", "loss"}) {
            const double e = expected[QLatin1String(split)][QLatin1String(metric)];
            const double r = resumed[QLatin1String(split)][QLatin1String(metric)];
            QVERIFY2(std::abs(e - r) < 1e-5, qPrintable(QStringLiteral("%1 %2: %3 vs %4").arg(split, metric).arg(e).arg(r)));
        }
    }
    // The loss curve after the resume continues the uninterrupted one (steps after the checkpoint).
    QCOMPARE(trainingLoss(metricsOf(id)).last(), trainingLoss(metricsOf(whole)).last());
}

void TestStrategies::replaceNewestCheckpoint(qint64 runId, const QByteArray &blob, bool keepDigest)
{
    QSqlQuery q(m_project.database());
    q.prepare(QStringLiteral("UPDATE artifacts SET data = ?%1 WHERE id = (SELECT MAX(id) FROM artifacts "
                             "WHERE run_id = ? AND kind = 'checkpoint')")
                  .arg(keepDigest ? QString() : QStringLiteral(", sha256 = ?")));
    q.addBindValue(blob);
    if (!keepDigest)
        q.addBindValue(QString::fromLatin1(QCryptographicHash::hash(blob, QCryptographicHash::Sha256).toHex()));
    q.addBindValue(runId);
    QVERIFY2(q.exec() && q.numRowsAffected() == 1, qPrintable(q.lastError().text()));
}

QList<QByteArray> TestStrategies::checkpointsOf(qint64 runId) const
{
    QSqlQuery q(m_project.database());
    q.prepare(QStringLiteral("SELECT data FROM artifacts WHERE run_id = ? AND kind = 'checkpoint' ORDER BY id DESC"));
    q.addBindValue(runId);
    QList<QByteArray> blobs;
    if (q.exec()) {
        while (q.next())
            blobs.append(q.value(0).toByteArray());
    }
    return blobs;
}

void TestStrategies::resumeFromOlderCheckpointRecordsEachStepOnce()
{
    // A process killed after step 7 leaves metrics up to step 7 but its newest checkpoint at step 4:
    // the resume must replace steps 5..7, not record them a second time.
    RunRequest request = quickRequest(QStringLiteral("source-only"));
    request.config.checkpointEvery = 4;
    request.config.evalEvery = 2;
    const qint64 whole = m_project.execute(request);
    QVERIFY(whole > 0);
    const qint64 id = m_project.cancelledRun(request, 4);
    QVERIFY(id > 0);
    // The process that died had recorded steps 5..7 after its checkpoint (the same rows as the whole run's).
    QSqlQuery q(m_project.database());
    QVERIFY2(q.exec(QStringLiteral("INSERT INTO metrics(run_id, step, epoch, split, metric, value, time) SELECT %1, step, "
                                   "epoch, split, metric, value, time FROM metrics WHERE run_id = %2 AND step BETWEEN 5 AND 7")
                        .arg(id)
                        .arg(whole)),
             qPrintable(q.lastError().text()));
    const auto older = CheckpointStore(m_project.database(), id).latest();
    QVERIFY2(older.ok(), qPrintable(older.error()));
    QCOMPARE(older.value()->step, qint64(4));
    QCOMPARE(q.exec(QStringLiteral("SELECT COUNT(*) FROM metrics WHERE run_id = %1 AND step > 4").arg(id)) && q.next(), true);
    QVERIFY(q.value(0).toInt() > 0);

    QVERIFY(TransferRunner::execute(m_project.path(), id, {}).ok());
    QVERIFY(q.exec(QStringLiteral("SELECT step, split, metric, COUNT(*) FROM metrics WHERE run_id = %1 "
                                  "GROUP BY step, split, metric HAVING COUNT(*) > 1").arg(id)));
    QVERIFY2(!q.next(), qPrintable(QStringLiteral("step %1 %2 %3 recorded %4 times")
                                       .arg(q.value(0).toLongLong()).arg(q.value(1).toString(), q.value(2).toString())
                                       .arg(q.value(3).toInt())));
    const MetricPoints expected = metricsOf(whole);
    const MetricPoints resumed = metricsOf(id);
    QCOMPARE(resumed.size(), expected.size());
    QMap<std::tuple<qint64, QString, QString>, double> values;
    for (const MetricPoint &p : expected)
        values.insert({p.step, p.split, p.metric}, p.value);
    for (const MetricPoint &p : resumed)
        QCOMPARE(p.value, values.value({p.step, p.split, p.metric}));
}

void TestStrategies::checkpointsAreSafetensorsWithoutPickle()
{
    // DANN: the checkpoint also holds the domain classifier (an extra module).
    RunRequest request = quickRequest(QStringLiteral("dann"));
    request.config.epochs = 1;
    const qint64 id = m_project.cancelledRun(request, 3);
    QVERIFY(id > 0);
    const QList<QByteArray> blobs = checkpointsOf(id);
    QCOMPARE(blobs.size(), 1); // an unfinished run keeps its newest checkpoint only
    for (const QByteArray &blob : blobs) {
        QVERIFY(!blob.startsWith("PK\x03\x04")); // libtorch's zip archive around a pickle
        QVERIFY(!blob.startsWith('\x80'));        // a bare pickle's PROTO opcode
        QCOMPARE(blob.at(8), '{');                 // a safetensors JSON header after its u64 length
        const auto file = SafeTensorsFile::fromBytes(blob, QStringLiteral("checkpoint"));
        QVERIFY2(file.ok(), qPrintable(file.error()));
        QJsonParseError error;
        const QJsonDocument state =
            QJsonDocument::fromJson(file->metadata().value(QString::fromLatin1(CheckpointStore::kStateKey)).toUtf8(), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(state.object().value(QLatin1String("global_step")).toDouble() > 0);
        QVERIFY(state.object().contains(QLatin1String("early_best")));
        QVERIFY(file->find(QStringLiteral("rng.cpu")));
        QVERIFY(file->find(QStringLiteral("optimizer.0.0.exp_avg")));
        QVERIFY(file->find(QStringLiteral("optimizer.0.0.exp_avg_sq")));
        QVERIFY(file->find(QStringLiteral("optimizer.0.0.step"))->shape.isEmpty()); // a scalar
        int model = 0;
        int extra = 0;
        for (const SafeTensorsEntry &entry : file->entries()) {
            model += entry.name.startsWith(QLatin1String("model.")) ? 1 : 0;
            extra += entry.name.startsWith(QLatin1String("extra0.")) ? 1 : 0;
        }
        QVERIFY(model > 10);
        QVERIFY(extra > 0);
    }
}

void TestStrategies::damagedCheckpointsAreRefused()
{
    RunRequest request = quickRequest(QStringLiteral("source-only"));
    request.config.epochs = 1;
    const qint64 id = m_project.cancelledRun(request, 3);
    QVERIFY(id > 0);
    const QByteArray good = checkpointsOf(id).first();
    const auto resumeError = [&]() {
        const Status s = TransferRunner::execute(m_project.path(), id, {});
        return s.ok() ? QString() : s.error();
    };
    struct Case
    {
        const char *what;
        QByteArray blob;
        bool keepDigest;
        const char *expected;
    };
    QByteArray hugeHeader = good;
    hugeHeader[7] = char(0x7f);
    QByteArray renamed = good;
    renamed.replace("\"model.", "\"mode_.");
    QByteArray retyped = good; // the step counter as a double: same size, so the header stays valid
    retyped.replace(retyped.indexOf("\"I64\"", retyped.indexOf("\"optimizer.0.0.step\"")), 5, "\"F64\"");
    QByteArray flipped = good;
    flipped[flipped.size() - 1] = char(~flipped.at(flipped.size() - 1));
    const QList<Case> cases{
        {"pickle", QByteArrayLiteral("PK\x03\x04") + QByteArray(64, 'x'), false, "pickle format"},
        {"header length", hugeHeader, false, "header length"},
        {"truncated", good.left(good.size() / 2), false, "truncated"},
        {"renamed tensors", renamed, false, "lacks tensor"},
        {"wrong dtype", retyped, false, "int64 scalar"},
        {"checksum", flipped, true, "does not match its SHA-256"},
    };
    for (const Case &c : cases) {
        replaceNewestCheckpoint(id, c.blob, c.keepDigest);
        const QString error = resumeError();
        QVERIFY2(error.contains(QLatin1String(c.expected)), qPrintable(QStringLiteral("%1: %2").arg(c.what, error)));
        QVERIFY2(error.contains(QLatin1String("checkpoint")), qPrintable(error));
    }
    replaceNewestCheckpoint(id, good);
    QVERIFY(TransferRunner::execute(m_project.path(), id, {}).ok());
    QCOMPARE(RunStore(m_project.database()).load(id)->status, RunRecord::Status::Finished);
}

void TestStrategies::frozenLayersStayBitIdentical()
{
    RunRequest request = quickRequest(QStringLiteral("freeze"));
    request.config.epochs = 1;
    request.config.options.insert(QStringLiteral("frozen_layers"), 1);
    const qint64 id = m_project.execute(request);
    QVERIFY(id > 0);
    QTemporaryDir out;
    const Status exported = RunExporter::exportRun(m_project.path(), id, out.path());
    QVERIFY2(exported.ok(), qPrintable(exported.error()));
    const auto trained = ModelLoader::readFile(out.filePath(QStringLiteral("model.safetensors")));
    QVERIFY2(trained.ok(), qPrintable(trained.error()));
    const auto model = ModelRegistry::find(m_project.database(), QStringLiteral("tiny"));
    QTemporaryDir scratch;
    const auto dir = ModelRegistry::materialize(m_project.database(), model.value(), scratch.path());
    const auto base = ModelLoader::readFile(dir.value() + QStringLiteral("/model.safetensors"));
    QVERIFY(base.ok());
    int frozenCompared = 0;
    int trainedChanged = 0;
    for (const auto &[name, tensor] : trained.value()) {
        std::string baseName = name;
        if (baseName.rfind("bert.", 0) == 0)
            baseName = baseName.substr(5);
        auto it = base->find(baseName);
        if (it == base->end())
            it = base->find(name);
        if (it == base->end())
            continue;
        const bool same = torch::equal(tensor, it->second);
        if (name.find("encoder.layer.0.") != std::string::npos || name.find("embeddings.") != std::string::npos) {
            QVERIFY2(same, name.c_str());
            ++frozenCompared;
        } else if (name.find("encoder.layer.1.") != std::string::npos && !same) {
            ++trainedChanged;
        }
    }
    QVERIFY(frozenCompared > 10);
    QVERIFY(trainedChanged > 5);
}

void TestStrategies::dannRecordsDomainAccuracy()
{
    RunRequest request = quickRequest(QStringLiteral("dann"));
    request.config.options.insert(QStringLiteral("domain_hidden"), 32);
    const qint64 id = m_project.execute(request);
    QVERIFY(id > 0);
    int domainPoints = 0;
    for (const MetricPoint &p : metricsOf(id)) {
        if (p.metric == QLatin1String("domain_accuracy")) {
            QVERIFY(p.value >= 0.0 && p.value <= 1.0);
            ++domainPoints;
        }
    }
    QCOMPARE(domainPoints, 16);
    QVERIFY(finalOf(id).value(QStringLiteral("target/test")).contains(QStringLiteral("accuracy")));
}

void TestStrategies::loraTrainsAdaptersAndExportsThem()
{
    RunRequest request = quickRequest(QStringLiteral("lora"));
    request.config.options.insert(QStringLiteral("rank"), 4);
    const qint64 id = m_project.execute(request);
    QVERIFY(id > 0);
    const QString log = m_project.log();
    QVERIFY2(log.contains(QLatin1String("lora: 4 adapters")), qPrintable(log)); // query and value of 2 layers
    QTemporaryDir out;
    const Status exported = RunExporter::exportRun(m_project.path(), id, out.path());
    QVERIFY2(exported.ok(), qPrintable(exported.error()));
    const auto merged = ModelLoader::readFile(out.filePath(QStringLiteral("model.safetensors")));
    QVERIFY(merged.ok());
    for (const auto &entry : merged.value())
        QVERIFY2(entry.first.find("lora") == std::string::npos, entry.first.c_str());
    const auto adapter = ModelLoader::readFile(out.filePath(QStringLiteral("adapter/adapter_model.safetensors")));
    QVERIFY2(adapter.ok(), qPrintable(adapter.error()));
    QVERIFY(adapter->count("base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight") == 1);
    QCOMPARE(adapter->at("base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight").size(0), 4);
    QVERIFY(QFile::exists(out.filePath(QStringLiteral("adapter/adapter_config.json"))));

    // Only adapters trained: merged weights differ from the base where adapters sit, nowhere else.
    const auto model = ModelRegistry::find(m_project.database(), QStringLiteral("tiny"));
    QTemporaryDir scratch;
    const auto dir = ModelRegistry::materialize(m_project.database(), model.value(), scratch.path());
    const auto base = ModelLoader::readFile(dir.value() + QStringLiteral("/model.safetensors"));
    QVERIFY(base.ok());
    const auto baseTensor = [&base](const std::string &name) { return base->at(name); };
    const auto &m = merged.value();
    QVERIFY(torch::equal(m.at("bert.encoder.layer.0.attention.self.key.weight"),
                         baseTensor("bert.encoder.layer.0.attention.self.key.weight")));
    QVERIFY(torch::equal(m.at("bert.encoder.layer.1.intermediate.dense.weight"),
                         baseTensor("bert.encoder.layer.1.intermediate.dense.weight")));
    QVERIFY(torch::equal(m.at("bert.embeddings.word_embeddings.weight"), baseTensor("bert.embeddings.word_embeddings.weight")));
    QVERIFY(!torch::equal(m.at("bert.encoder.layer.0.attention.self.query.weight"),
                          baseTensor("bert.encoder.layer.0.attention.self.query.weight")));
}

void TestStrategies::daptPretrainsThenFineTunes()
{
    RunRequest request = quickRequest(QStringLiteral("dapt"));
    request.config.epochs = 1;
    request.config.options.insert(QStringLiteral("pretrain_epochs"), 1.0);
    const qint64 id = m_project.execute(request);
    QVERIFY(id > 0);
    const MetricPoints points = metricsOf(id);
    const QList<double> pretrain = trainingLoss(points, QStringLiteral("pretrain"));
    QCOMPARE(pretrain.size(), 8);
    QVERIFY(mean(pretrain, 6, 2) < mean(pretrain, 0, 2));
    qint64 lastPretrainStep = 0;
    qint64 firstFineTuneStep = -1;
    for (const MetricPoint &p : points) {
        if (p.split == QLatin1String("pretrain"))
            lastPretrainStep = p.step;
        // (The fine-tuning phase records its accumulation factor at its start, the pre-training's last step.)
        if (p.split == QLatin1String("train") && p.metric == QLatin1String("loss") && firstFineTuneStep < 0)
            firstFineTuneStep = p.step;
    }
    QVERIFY(firstFineTuneStep > lastPretrainStep);
    const auto final = finalOf(id);
    QVERIFY(final[QStringLiteral("target/validation")].contains(QStringLiteral("perplexity")));
    QVERIFY(final[QStringLiteral("target/test")].contains(QStringLiteral("accuracy")));
}

void TestStrategies::zeroShotRecordsStepZero()
{
    RunRequest request = quickRequest(QStringLiteral("zero-shot"));
    request.config.options.insert(QStringLiteral("label_descriptions"),
                                  QStringLiteral("0=terrible , a waste of money|1=great , highly recommend it"));
    const qint64 id = m_project.execute(request);
    QVERIFY(id > 0);
    const MetricPoints points = metricsOf(id);
    // Validation: accuracy, macro-F1 and the texts measured (examples, available); test (every
    // text, from stored predictions): the same with ECE and loss.
    QCOMPARE(points.size(), 2 * 4 + 2 * 6);
    for (const MetricPoint &p : points)
        QCOMPARE(p.step, 0);
    QVERIFY(m_project.log().contains(QLatin1String("great , highly recommend it")));
}

void TestStrategies::gradualUnfreezeAndMultitask()
{
    RunRequest gradual = quickRequest(QStringLiteral("gradual-unfreeze"));
    gradual.config.epochs = 3;
    QVERIFY(m_project.execute(gradual) > 0);
    QVERIFY(m_project.log().contains(QLatin1String("epoch 3: 2 of 3 blocks unfrozen")));

    RunRequest multi = quickRequest(QStringLiteral("multitask"));
    multi.config.epochs = 1;
    multi.config.options.insert(QStringLiteral("extra_corpora"), QStringLiteral("restaurants"));
    QVERIFY(m_project.execute(multi) > 0);
    QVERIFY(m_project.log().contains(QLatin1String("from restaurants")));
}

void TestStrategies::fewShotAndLabelBudgetGroup()
{
    RunRequest request = quickRequest(QStringLiteral("source-only"));
    request.config.epochs = 1;
    request.config.targetLabels = 8;
    QVERIFY(m_project.execute(request) > 0);
    QVERIFY(m_project.log().contains(QLatin1String("few-shot: 16 labelled target examples")));

    const auto group = TransferRunner::createGroup(m_project.database(), request, 2, {0, 8, -1});
    QVERIFY2(group.ok(), qPrintable(group.error()));
    QCOMPARE(group->size(), 6);
    const auto first = RunStore(m_project.database()).load(group->first());
    const auto last = RunStore(m_project.database()).load(group->last());
    QVERIFY(first->groupId > 0);
    QCOMPARE(first->groupId, last->groupId);
    QVERIFY(last->configJson.contains(QLatin1String("\"target_labels\":-1")));
    QCOMPARE(last->initSeed, request.config.initSeed + 1);
}

void TestStrategies::continuedPretrainingSavesModel()
{
    RunRequest request = quickRequest(QStringLiteral("continued-pretraining"));
    request.config.epochs = 1;
    request.config.options.insert(QStringLiteral("save_as"), QStringLiteral("tiny-adapted"));
    const qint64 id = m_project.execute(request);
    QVERIFY(id > 0);
    const auto saved = ModelRegistry::find(m_project.database(), QStringLiteral("tiny-adapted"));
    QVERIFY2(saved.ok(), qPrintable(saved.error()));
    // The saved model is usable as a base model.
    RunRequest next = quickRequest(QStringLiteral("source-only"));
    next.model = QStringLiteral("tiny-adapted");
    next.config.epochs = 1;
    QVERIFY(m_project.execute(next) > 0);
}

void TestStrategies::selfTrainingSelectsBalancedConfidentLabels()
{
    using P = SelfTrainingStrategy::PseudoLabel;
    // Class 0: four sure predictions, class 1: two sure ones and one below the threshold.
    const QList<P> predictions{{0, 0, 0.99}, {1, 1, 0.95}, {2, 0, 0.91}, {3, 0, 0.97}, {4, 1, 0.85},
                               {5, 1, 0.92}, {6, 0, 0.93}};
    const auto indices = [](const QList<P> &selected) {
        QList<int> result;
        for (const P &p : selected)
            result.append(p.index);
        return result;
    };
    // Two per class (the rarer class has two), the most confident of class 0: 0 (0.99) and 3 (0.97).
    QCOMPARE(indices(SelfTrainingStrategy::selectBalanced(predictions, 2, 0.9, 0)), (QList<int>{0, 1, 3, 5}));
    QCOMPARE(indices(SelfTrainingStrategy::selectBalanced(predictions, 2, 0.9, 1)), (QList<int>{0, 1}));
    QCOMPARE(indices(SelfTrainingStrategy::selectBalanced(predictions, 2, 0.8, 0)), (QList<int>{0, 1, 3, 4, 5, 6}));
    // A class without a sure prediction: nothing, rather than pseudo-labels of one class only.
    QVERIFY(SelfTrainingStrategy::selectBalanced(predictions, 2, 0.96, 0).isEmpty());
}

void TestStrategies::selfTrainingRecordsEachRound()
{
    // Trained enough that the source model predicts both classes on the target.
    RunRequest request = quickRequest(QString::fromLatin1(SelfTrainingStrategy::kName));
    request.config.epochs = 4;
    request.config.maxTrainExamples = 256;
    request.config.maxLength = 48;
    request.config.options.insert(QString::fromLatin1(SelfTrainingStrategy::kConfidence), 0.5);
    request.config.options.insert(QString::fromLatin1(SelfTrainingStrategy::kRoundEpochs), 0.5);
    const qint64 id = m_project.execute(request);
    QVERIFY(id > 0);
    const QString log = m_project.log();
    QVERIFY2(log.contains(QLatin1String("self-training round 1:")) && log.contains(QLatin1String("self-training round 2:")),
             qPrintable(log));
    QList<double> counts;
    for (const MetricPoint &p : metricsOf(id)) {
        if (p.metric == QLatin1String("pseudo_labels"))
            counts.append(p.value);
    }
    QCOMPARE(counts.size(), 2); // one per round (the default: two rounds)
    for (double n : counts)
        QVERIFY2(n > 0 && int(n) % 2 == 0, qPrintable(QString::number(n))); // the same number of each of 2 classes
    // Each round trains: more steps than the source fine-tuning alone (4 epochs x 16 batches of 16).
    QVERIFY(trainingLoss(metricsOf(id)).size() > 64);
    QVERIFY(finalOf(id).value(QStringLiteral("target/test")).contains(QStringLiteral("accuracy")));

    // Cancelled inside a pseudo-label round, resumed: it finishes both rounds, each counted once.
    const auto created = TransferRunner::createRun(m_project.database(), request);
    QVERIFY(created.ok());
    const qint64 cancelled = created.value();
    RunControl control;
    TrainingCallbacks callbacks;
    callbacks.control = &control;
    callbacks.progress = [&control](const TrainingProgress &p) {
        if (p.phase.startsWith(QLatin1String("self-training round")) && p.step >= 3)
            control.requestCancel();
    };
    QVERIFY(TransferRunner::execute(m_project.path(), cancelled, callbacks).ok());
    QCOMPARE(RunStore(m_project.database()).load(cancelled)->status, RunRecord::Status::Cancelled);
    QVERIFY(TransferRunner::execute(m_project.path(), cancelled, {}).ok());
    QCOMPARE(RunStore(m_project.database()).load(cancelled)->status, RunRecord::Status::Finished);
    int rounds = 0;
    for (const MetricPoint &p : metricsOf(cancelled))
        rounds += p.metric == QLatin1String("pseudo_labels") ? 1 : 0;
    QCOMPARE(rounds, 2);
}

void TestStrategies::interruptedRunsAreMarked()
{
    RunStore store(m_project.database());
    const auto id = TransferRunner::createRun(m_project.database(), quickRequest(QStringLiteral("source-only")));
    QVERIFY(id.ok());
    QVERIFY(store.markStarted(id.value(), QStringLiteral("cpu")).ok());
    const auto marked = TransferRunner::markInterruptedRuns(m_project.database(), m_project.path());
    QVERIFY(marked.ok());
    QCOMPARE(marked.value(), 1);
    QCOMPARE(store.load(id.value())->status, RunRecord::Status::Interrupted);
}

void TestStrategies::badRequestsAreRefused()
{
    RunRequest request = quickRequest(QStringLiteral("teleport"));
    auto id = TransferRunner::createRun(m_project.database(), request);
    QVERIFY(!id.ok());
    QVERIFY(id.error().contains(QLatin1String("unknown strategy")));
    request = quickRequest(QStringLiteral("source-only"));
    request.targetCorpus = QStringLiteral("nowhere");
    id = TransferRunner::createRun(m_project.database(), request);
    QVERIFY(!id.ok());
    QVERIFY(id.error().contains(QLatin1String("target corpus \"nowhere\"")));
    request = quickRequest(QStringLiteral("multitask"));
    const auto run = TransferRunner::createRun(m_project.database(), request);
    QVERIFY(run.ok());
    const Status s = TransferRunner::execute(m_project.path(), run.value(), {});
    QVERIFY(!s.ok());
    QVERIFY(s.error().contains(QLatin1String("extra_corpora")));
    QCOMPARE(RunStore(m_project.database()).load(run.value())->status, RunRecord::Status::Failed);
}

void TestStrategies::jointMlmAtWeightZeroIsSourceOnly()
{
    // With the LM term off, the joint phase is plain fine-tuning: same model, same head
    // initialisation, same dropout stream (building the LM head leaves the generator as it was).
    RunRequest request = quickRequest(QStringLiteral("source-only"));
    request.config.epochs = 1;
    const qint64 plain = m_project.execute(request);
    request.config.strategy = QStringLiteral("joint-mlm");
    request.config.options.insert(QStringLiteral("lm_weight"), 0.0);
    const qint64 joint = m_project.execute(request);
    QVERIFY(plain > 0 && joint > 0);
    const QList<double> expected = trainingLoss(metricsOf(plain));
    QCOMPARE(expected.size(), 8);
    QCOMPARE(trainingLoss(metricsOf(joint)), expected);
    QVERIFY(stepsOf(metricsOf(joint), QStringLiteral("train"), QStringLiteral("lm_loss")).isEmpty());
}

void TestStrategies::jointMlmRecordsItsLanguageModelLoss()
{
    RunRequest request = quickRequest(QStringLiteral("joint-mlm"));
    request.config.epochs = 1;
    RunRequest plainRequest = request;
    plainRequest.config.strategy = QStringLiteral("source-only");
    const qint64 plain = m_project.execute(plainRequest);
    const qint64 id = m_project.execute(request);
    QVERIFY(plain > 0 && id > 0);
    const MetricPoints points = metricsOf(id);
    QCOMPARE(stepsOf(points, QStringLiteral("train"), QStringLiteral("lm_loss")),
             stepsOf(points, QStringLiteral("train"), QStringLiteral("loss")));
    for (const MetricPoint &p : points) {
        if (p.metric == QLatin1String("lm_loss") && p.split == QLatin1String("train"))
            QVERIFY2(std::isfinite(p.value) && p.value > 0, qPrintable(QString::number(p.value)));
    }
    // The LM term is in the loss: the first step's total exceeds source-only's (same class loss).
    QVERIFY(trainingLoss(points).first() > trainingLoss(metricsOf(plain)).first());
    QVERIFY(m_project.log().contains(QLatin1String("masked-LM")));
    QVERIFY(finalOf(id).value(QStringLiteral("target/test")).contains(QStringLiteral("accuracy")));
}

void TestStrategies::jointMlmWarmsUpANewLanguageModelHead()
{
    // "tiny-nohead": the tiny encoder as a sentence-embedding model ships, without the masked-LM
    // head (cls.*) that the built-in model stores.
    QTemporaryDir folder;
    {
        auto model = tinyClassifier();
        QVERIFY(model);
        QVERIFY(ModelExporter::exportFolder(*model, folder.path()).ok());
        QTemporaryDir scratch;
        const auto record = ModelRegistry::find(m_project.database(), QStringLiteral("tiny"));
        const auto tiny = ModelRegistry::materialize(m_project.database(), record.value(), scratch.path());
        QVERIFY2(tiny.ok(), qPrintable(tiny.error()));
        for (const QString &file : QDir(tiny.value()).entryList(QDir::Files)) {
            if (!QFile::exists(QDir(folder.path()).filePath(file)))
                QVERIFY(QFile::copy(QDir(tiny.value()).filePath(file), QDir(folder.path()).filePath(file)));
        }
        const auto weights = SafeTensorsFile::open(QDir(folder.path()).filePath(QStringLiteral("model.safetensors")));
        QVERIFY2(weights.ok(), qPrintable(weights.error()));
        QVERIFY(!weights->find(QStringLiteral("cls.predictions.bias")));
        const auto added = ModelRegistry::addFolder(m_project.database(), QStringLiteral("tiny-nohead"), folder.path());
        QVERIFY2(added.ok(), qPrintable(added.error()));
    }
    RunRequest request = quickRequest(QStringLiteral("joint-mlm"));
    request.model = QStringLiteral("tiny-nohead");
    request.config.epochs = 1;
    request.config.options.insert(QStringLiteral("head_warmup_epochs"), 2.0);
    const qint64 id = m_project.execute(request);
    QVERIFY(id > 0);
    QVERIFY2(m_project.log().contains(QLatin1String("no pretrained language-model head: training a new one alone")),
             qPrintable(m_project.log()));
    const MetricPoints points = metricsOf(id);
    QList<double> warmup;
    for (const MetricPoint &p : points) {
        if (p.split == QLatin1String("pretrain") && p.metric == QLatin1String("loss"))
            warmup.append(p.value);
    }
    QCOMPARE(warmup.size(), 16); // two epochs of 8 batches
    // The head learns while the encoder is frozen: the last steps' loss is below the first steps'.
    const double first = (warmup[0] + warmup[1] + warmup[2] + warmup[3]) / 4;
    const double last = (warmup[12] + warmup[13] + warmup[14] + warmup[15]) / 4;
    QVERIFY2(last < first, qPrintable(QStringLiteral("%1 -> %2").arg(first).arg(last)));
    const QList<qint64> train = stepsOf(points, QStringLiteral("train"), QStringLiteral("loss"));
    QCOMPARE(stepsOf(points, QStringLiteral("train"), QStringLiteral("lm_loss")), train);
    QVERIFY(!train.isEmpty() && train.first() > 16);

    // Without the warm-up, and for a model that has its head (the built-in one), there is none.
    request.config.options.insert(QStringLiteral("head_warmup_epochs"), 0.0);
    const qint64 without = m_project.execute(request);
    QVERIFY(without > 0);
    QVERIFY(stepsOf(metricsOf(without), QStringLiteral("pretrain"), QStringLiteral("loss")).isEmpty());
    request.model = QStringLiteral("tiny");
    request.config.options.remove(QStringLiteral("head_warmup_epochs"));
    const qint64 builtin = m_project.execute(request);
    QVERIFY(builtin > 0);
    QVERIFY(stepsOf(metricsOf(builtin), QStringLiteral("pretrain"), QStringLiteral("loss")).isEmpty());
}

std::shared_ptr<PretrainedModel> TestStrategies::tinyClassifier()
{
    const QSqlDatabase db = m_project.database();
    const auto record = ModelRegistry::find(db, QStringLiteral("tiny"));
    QTemporaryDir scratch;
    const auto dir = record.ok() ? ModelRegistry::materialize(db, record.value(), scratch.path())
                                 : Result<QString>::failure(record.error());
    if (!dir) {
        qWarning("%s", qPrintable(dir.error()));
        return nullptr;
    }
    LoadOptions options;
    options.task = ModelTask::SequenceClassification;
    options.numLabels = 2;
    auto loaded = ModelLoader::load(dir.value(), options);
    if (!loaded) {
        qWarning("%s", qPrintable(loaded.error()));
        return nullptr;
    }
    loaded->model->train();
    return loaded->model;
}

void TestStrategies::jointMlmGradientReachesTheEncoder()
{
    const QSqlDatabase db = m_project.database();
    auto model = tinyClassifier();
    QVERIFY(model);
    auto tokenizer = ModelTokenizer::load(db, QStringLiteral("tiny"));
    QVERIFY2(tokenizer.ok(), qPrintable(tokenizer.error()));
    QList<LabelledText> texts;
    for (int i = 0; i < 8; ++i)
        texts.append({QStringLiteral("the battery of this phone lasts %1 days and the screen is bright").arg(i), -1, 0});
    const TokenizedSet target = TokenizedSet::build(QStringLiteral("target/unlabeled"), tokenizer.value(), texts, 32, 1);

    LanguageModelObjective::Tokens tokens;
    tokens.pad = tokenizer->padId();
    tokens.mask = tokenizer->specialIds().mask;
    tokens.vocabSize = model->config().vocabSize;
    auto lm = std::make_unique<LanguageModelObjective>(nullptr, LanguageModelObjective::Mode::Masked, tokens, 0.3, 5,
                                                       torch::kCPU);
    auto head = std::make_shared<MaskedLmHead>(model->config(), model->backbone()->wordEmbeddings());
    JointLanguageModelObjective::Settings settings;
    settings.batchSize = 4;
    JointLanguageModelObjective objective(model, 2, tokens.pad, torch::kCPU, std::move(lm), head, target, settings);
    const torch::Tensor loss = objective.languageModelLoss(0);
    QVERIFY(std::isfinite(loss.item<double>()) && loss.item<double>() > 0);
    loss.backward();
    const auto parameters = model->named_parameters();
    const torch::Tensor &query = parameters["bert.encoder.layer.0.attention.self.query.weight"];
    QVERIFY(query.grad().defined());
    QVERIFY(query.grad().abs().sum().item<double>() > 0);
    QVERIFY(parameters["bert.embeddings.word_embeddings.weight"].grad().abs().sum().item<double>() > 0);
    // The classifier takes no part in the LM term.
    QVERIFY(!parameters["classifier.weight"].grad().defined());
    for (const torch::Tensor &p : objective.extraParameters())
        QVERIFY(p.grad().defined());
}

void TestStrategies::maskedLmLossOnPredictedPositionsOnly()
{
    auto model = tinyClassifier();
    QVERIFY(model);
    model->eval(); // no dropout: both paths see the same hidden states
    const int64_t vocab = model->config().vocabSize;
    torch::manual_seed(3);
    const torch::Tensor ids = torch::randint(5, vocab, {3, 12}, torch::kInt64);
    torch::Tensor mask = torch::ones({3, 12}, torch::kInt64);
    mask[2].slice(0, 8).fill_(0);
    const torch::Tensor chosen = torch::rand({3, 12}).lt(0.3) & mask.eq(1);
    const torch::Tensor labels = ids.masked_fill(~chosen, -100);
    auto head = std::make_shared<MaskedLmHead>(model->config(), model->backbone()->wordEmbeddings());
    using Mode = LanguageModelObjective::Mode;

    const BackboneOutput out = model->encode(ids, mask);
    const torch::Tensor full = LanguageModelObjective::meanLoss(head->forward(out, mask), labels, Mode::Masked);
    const auto scored = LanguageModelObjective::scoredPositions(out, labels, Mode::Masked);
    QCOMPARE(scored.output.hidden.size(1), chosen.sum().item<int64_t>());
    QCOMPARE(scored.labels.sizes(), (torch::IntArrayRef{1, chosen.sum().item<int64_t>()}));
    const torch::Tensor part = LanguageModelObjective::meanLoss(head->forward(scored.output, mask), scored.labels,
                                                                Mode::Masked);
    QVERIFY2(std::abs(full.item<double>() - part.item<double>()) < 1e-5,
             qPrintable(QStringLiteral("%1 against %2").arg(full.item<double>()).arg(part.item<double>())));
    // The encoder's gradients agree too.
    const torch::Tensor query = model->named_parameters()["bert.encoder.layer.0.attention.self.query.weight"];
    const torch::Tensor fullGrad = torch::autograd::grad({full}, {query}, {}, true)[0];
    const torch::Tensor partGrad = torch::autograd::grad({part}, {query})[0];
    QVERIFY(fullGrad.abs().sum().item<double>() > 0);
    QVERIFY((fullGrad - partGrad).abs().max().item<double>() < 1e-5);
    // Causal LM predicts every position: nothing is dropped.
    const auto causal = LanguageModelObjective::scoredPositions(out, ids, Mode::Causal);
    QCOMPARE(causal.output.hidden.sizes(), out.hidden.sizes());
}

void TestStrategies::pretrainingComposesWithDannAndSelfTraining()
{
    for (const QString &strategy : {QStringLiteral("dann"), QStringLiteral("self-training"), QStringLiteral("joint-mlm")}) {
        RunRequest request = quickRequest(strategy);
        request.config.epochs = 1;
        request.config.options.insert(QStringLiteral("pretrain_epochs"), 0.5);
        if (strategy == QLatin1String("self-training"))
            request.config.options.insert(QStringLiteral("rounds"), 1);
        const qint64 id = m_project.execute(request);
        QVERIFY2(id > 0, qPrintable(strategy));
        const MetricPoints points = metricsOf(id);
        const QList<qint64> pretrain = stepsOf(points, QStringLiteral("pretrain"), QStringLiteral("loss"));
        const QList<qint64> train = stepsOf(points, QStringLiteral("train"), QStringLiteral("loss"));
        QCOMPARE(pretrain.size(), 4); // half an epoch of 8 batches
        QVERIFY2(!train.isEmpty() && train.first() > pretrain.last(), qPrintable(strategy));
        QVERIFY2(m_project.log().contains(QLatin1String("domain-adapted weights")), qPrintable(strategy));
        QVERIFY2(finalOf(id).value(QStringLiteral("target/test")).contains(QStringLiteral("accuracy")), qPrintable(strategy));
    }
}

void TestStrategies::bestSourceSelectsTheBestValidationStep()
{
    RunRequest request = quickRequest(QStringLiteral("source-only"));
    request.config.evalEvery = 2;
    const qint64 last = m_project.execute(request);
    request.config.selection = QStringLiteral("best-source");
    const qint64 best = m_project.execute(request);
    QVERIFY(last > 0 && best > 0);
    // Selection does not change training.
    QCOMPARE(trainingLoss(metricsOf(best)), trainingLoss(metricsOf(last)));

    // The step of the highest source validation accuracy (the earliest of equals).
    qint64 argmax = -1;
    double highest = -1;
    qint64 finalStep = 0;
    for (const MetricPoint &p : metricsOf(best)) {
        finalStep = std::max<qint64>(finalStep, p.step);
        if (p.split == QLatin1String("source/validation") && p.metric == QLatin1String("accuracy") && p.value > highest) {
            highest = p.value;
            argmax = p.step;
        }
    }
    const auto summary = RunSummary::load(m_project.database(), best, QStringLiteral("source-only"));
    QVERIFY2(summary.ok(), qPrintable(summary.error()));
    QCOMPARE(summary->selection.criterion, QStringLiteral("best-source"));
    QCOMPARE(summary->selection.step, argmax);
    QVERIFY(!summary->selection.usesTargetLabels);
    QCOMPARE(summary->toJson()[QStringLiteral("selection")].toObject()[QStringLiteral("step")].toInteger(), argmax);

    const auto plain = RunSummary::load(m_project.database(), last, QStringLiteral("source-only"));
    QVERIFY(plain.ok());
    QCOMPARE(plain->selection.criterion, QStringLiteral("last"));
    QCOMPARE(plain->selection.step, finalStep);
    QVERIFY(stepsOf(metricsOf(last), QStringLiteral("train"), QStringLiteral("selected_step")).isEmpty());

    // The result is measured with the selected weights: the same as the last run's exactly when
    // the last step is the selected one.
    const double bestLoss = finalOf(best)[QStringLiteral("target/test")][QStringLiteral("loss")];
    const double lastLoss = finalOf(last)[QStringLiteral("target/test")][QStringLiteral("loss")];
    QCOMPARE(bestLoss == lastLoss, argmax == finalStep);

    request.config.selection = QStringLiteral("best-target");
    const qint64 target = m_project.execute(request);
    QVERIFY(target > 0);
    const auto byTarget = RunSummary::load(m_project.database(), target, QStringLiteral("source-only"));
    QVERIFY(byTarget.ok() && byTarget->selection.usesTargetLabels);
}

void TestStrategies::selectionSurvivesResume()
{
    RunRequest request = quickRequest(QStringLiteral("source-only"));
    request.config.evalEvery = 2;
    request.config.checkpointEvery = 4;
    request.config.selection = QStringLiteral("best-source");
    const qint64 whole = m_project.execute(request);
    QVERIFY(whole > 0);
    const qint64 id = m_project.cancelledRun(request, 9);
    QVERIFY(id > 0);
    QVERIFY(TransferRunner::execute(m_project.path(), id, {}).ok());
    const auto a = RunSummary::load(m_project.database(), whole, QStringLiteral("source-only"));
    const auto b = RunSummary::load(m_project.database(), id, QStringLiteral("source-only"));
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(b->selection.step, a->selection.step);
    const double e = finalOf(whole)[QStringLiteral("target/test")][QStringLiteral("loss")];
    const double r = finalOf(id)[QStringLiteral("target/test")][QStringLiteral("loss")];
    QVERIFY2(std::abs(e - r) < 1e-5, qPrintable(QStringLiteral("%1 vs %2").arg(e).arg(r)));
}

QTEST_GUILESS_MAIN(TestStrategies)
#include "tst_strategies.moc"
