// The engine on a CUDA GPU (QSKIP without one): the model's forward on the GPU matches the CPU's
// (fp32 closely, bf16 autocast loosely); every strategy trains there under bf16 autocast and
// records source and target metrics; progress reports the GPU's memory; a cancelled GPU run
// resumes to the uninterrupted run's metrics; the fused AdamW step matches torch::optim::AdamW;
// running out of GPU memory becomes a message naming the need and what to lower.
#include "SampleRunProject.h"
#include "model/ModelConfig.h"
#include "model/nn/PretrainedModel.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "model/nn/Autocast.h"
#include "train/FusedAdamW.h"
#include "transfer/TransferRunner.h"
#include "util/DeviceMemory.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <torch/torch.h>
#include <torch/version.h>

using namespace ts;

namespace {

RunRequest cudaRequest(const QString &strategy)
{
    RunRequest request = test::SampleRunProject::booksToElectronics(strategy, QStringLiteral("tiny"));
    TrainingConfig &c = request.config;
    c.device = QStringLiteral("cuda");
    c.epochs = 2;
    c.maxTrainExamples = 128;
    c.maxEvalExamples = 64;
    c.evalEvery = 8;
    return request;
}

std::shared_ptr<PretrainedModel> smallBert()
{
    const QJsonObject json{{QStringLiteral("model_type"), QStringLiteral("bert")},
                           {QStringLiteral("vocab_size"), 500},
                           {QStringLiteral("hidden_size"), 64},
                           {QStringLiteral("num_hidden_layers"), 2},
                           {QStringLiteral("num_attention_heads"), 4},
                           {QStringLiteral("intermediate_size"), 128},
                           {QStringLiteral("max_position_embeddings"), 64},
                           {QStringLiteral("type_vocab_size"), 2},
                           {QStringLiteral("pad_token_id"), 0}};
    const auto config = ModelConfig::fromJson(QJsonDocument(json).toJson(), QStringLiteral("gpu test"));
    torch::manual_seed(3);
    return PretrainedModel::create(config.value(), ModelTask::SequenceClassification, 3).value();
}

double maxDifference(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a.to(torch::kCPU).to(torch::kFloat) - b.to(torch::kCPU).to(torch::kFloat)).abs().max().item<double>();
}

} // namespace

class TestCudaTraining : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void forwardMatchesCpu();
    void fusedAdamWMatchesTorchAdamW();
    void everyStrategyTrainsOnTheGpu();
    void sourceOnlyLearnsOnTheGpu();
    void gpuRunResumesToTheSameMetrics();
    void outOfMemoryIsExplained();

private:
    QMap<QString, QMap<QString, double>> finalOf(qint64 runId) const;

    test::SampleRunProject m_project;
};

void TestCudaTraining::initTestCase()
{
    if (!torch::cuda::is_available())
        QSKIP("no CUDA GPU is visible to libtorch " TORCH_VERSION ": the GPU tests need one");
    const Status created = m_project.create(QStringLiteral("gpu.tstudio"));
    QVERIFY2(created.ok(), qPrintable(created.error()));
    const Status added = m_project.addBuiltin(QStringLiteral("tiny-encoder"), QStringLiteral("tiny"));
    QVERIFY2(added.ok(), qPrintable(added.error()));
}

QMap<QString, QMap<QString, double>> TestCudaTraining::finalOf(qint64 runId) const
{
    return RunStore(m_project.database()).finalMetrics(runId).value();
}

void TestCudaTraining::forwardMatchesCpu()
{
    auto model = smallBert();
    model->eval();
    const torch::Tensor ids = torch::randint(5, 500, {4, 24}, torch::kInt64);
    torch::Tensor mask = torch::ones({4, 24}, torch::kInt64);
    mask.index_put_({1, torch::indexing::Slice(10)}, 0); // one padded row
    torch::NoGradGuard noGrad;
    const torch::Tensor cpu = model->forward(ids, mask);
    model->to(torch::kCUDA);
    const torch::Tensor gpu = model->forward(ids.cuda(), mask.cuda());
    QVERIFY2(maxDifference(cpu, gpu) < 1e-4, qPrintable(QString::number(maxDifference(cpu, gpu))));
    torch::Tensor bf16;
    {
        Autocast autocast(torch::kCUDA, true);
        bf16 = model->forward(ids.cuda(), mask.cuda());
    }
    QVERIFY2(maxDifference(cpu, bf16) < 5e-2, qPrintable(QString::number(maxDifference(cpu, bf16))));
}

void TestCudaTraining::fusedAdamWMatchesTorchAdamW()
{
    // Two copies of one model, one stepped by torch::optim::AdamW, one by FusedAdamW, on the same
    // gradients for 5 steps, with a parameter that only gets gradients from step 3 (its own count).
    auto reference = smallBert();
    auto fused = smallBert();
    reference->to(torch::kCUDA);
    fused->to(torch::kCUDA);
    reference->eval(); // no dropout: both see the same gradients
    fused->eval();
    const auto options = torch::optim::AdamWOptions(1e-2).weight_decay(0.1);
    torch::optim::AdamW plainOptimizer(reference->parameters(), options);
    torch::optim::AdamW fusedOptimizer(fused->parameters(), options);
    const torch::Tensor ids = torch::randint(5, 500, {4, 16}, torch::kInt64).cuda();
    const torch::Tensor mask = torch::ones({4, 16}, torch::kInt64).cuda();
    const size_t late = 0; // parameter 0 (word embeddings) joins at step 3
    for (int step = 0; step < 5; ++step) {
        for (auto *m : {&reference, &fused})
            (*m)->forward(ids, mask).pow(2).mean().backward();
        if (step < 2) {
            reference->parameters()[late].mutable_grad() = torch::Tensor();
            fused->parameters()[late].mutable_grad() = torch::Tensor();
        }
        plainOptimizer.step();
#if TORCH_VERSION_MAJOR >= 2
        QVERIFY(FusedAdamW::step(fusedOptimizer));
#else
        QVERIFY(!FusedAdamW::step(fusedOptimizer)); // libtorch 1.x: the plain step is used
        fusedOptimizer.step();
#endif
        plainOptimizer.zero_grad();
        fusedOptimizer.zero_grad();
    }
    // The fused kernel orders the arithmetic differently: ~1e-5 apart after 5 steps on an H100.
    const auto a = reference->parameters();
    const auto b = fused->parameters();
    for (size_t i = 0; i < a.size(); ++i)
        QVERIFY2(maxDifference(a[i], b[i]) < 1e-4, qPrintable(QStringLiteral("parameter %1: %2").arg(i).arg(maxDifference(a[i], b[i]))));
}

void TestCudaTraining::everyStrategyTrainsOnTheGpu()
{
    const QStringList strategies{QStringLiteral("source-only"), QStringLiteral("freeze"), QStringLiteral("gradual-unfreeze"),
                                 QStringLiteral("lora"), QStringLiteral("dapt"), QStringLiteral("dann"),
                                 QStringLiteral("multitask"), QStringLiteral("zero-shot")};
    for (const QString &strategy : strategies) {
        RunRequest request = cudaRequest(strategy);
        if (strategy == QLatin1String("multitask"))
            request.config.options.insert(QStringLiteral("extra_corpora"), QStringLiteral("restaurants"));
        QString device;
        qint64 memory = -1;
        TrainingCallbacks callbacks;
        callbacks.progress = [&](const TrainingProgress &p) {
            device = p.device;
            memory = std::max(memory, p.deviceMemoryBytes);
        };
        const qint64 id = m_project.execute(request, callbacks);
        QVERIFY2(id > 0, qPrintable(strategy));
        const auto record = RunStore(m_project.database()).load(id);
        QCOMPARE(record->status, RunRecord::Status::Finished);
        QVERIFY2(record->device.startsWith(QLatin1String("cuda")), qPrintable(record->device));
        const auto final = finalOf(id);
        const double accuracy = final[QStringLiteral("target/test")][QStringLiteral("accuracy")];
        QVERIFY2(final.contains(QStringLiteral("target/test")) && std::isfinite(accuracy), qPrintable(strategy));
        if (strategy != QLatin1String("zero-shot")) {
            QVERIFY2(device.startsWith(QLatin1String("cuda")), qPrintable(strategy + QLatin1Char(' ') + device));
            QVERIFY2(memory > 0, qPrintable(strategy));
        }
        if (strategy == QLatin1String("dann")) {
            const MetricPoints points = RunStore(m_project.database()).metrics(id).value();
            QVERIFY(std::any_of(points.cbegin(), points.cend(),
                                [](const MetricPoint &p) { return p.metric == QLatin1String("domain_accuracy"); }));
        }
        qInfo("%s on %s: target/test accuracy %.3f", qPrintable(strategy), qPrintable(record->device), accuracy);
    }
}

void TestCudaTraining::sourceOnlyLearnsOnTheGpu()
{
    RunRequest request = cudaRequest(QStringLiteral("source-only"));
    request.config.epochs = 4;
    request.config.maxTrainExamples = 256;
    request.config.maxLength = 48;
    const qint64 id = m_project.execute(request);
    QVERIFY(id > 0);
    QList<double> loss;
    const MetricPoints points = RunStore(m_project.database()).metrics(id).value();
    for (const MetricPoint &p : points) {
        if (p.split == QLatin1String("train") && p.metric == QLatin1String("loss"))
            loss.append(p.value);
    }
    QCOMPARE(loss.size(), 64);
    const double first = (loss[0] + loss[1] + loss[2] + loss[3]) / 4;
    const double last = (loss[60] + loss[61] + loss[62] + loss[63]) / 4;
    QVERIFY2(last < 0.85 * first, qPrintable(QStringLiteral("%1 -> %2").arg(first).arg(last)));
    QVERIFY(finalOf(id)[QStringLiteral("source/test")][QStringLiteral("accuracy")] > 0.6);
}

void TestCudaTraining::gpuRunResumesToTheSameMetrics()
{
    RunRequest request = cudaRequest(QStringLiteral("source-only"));
    request.config.checkpointEvery = 4;
    const qint64 whole = m_project.execute(request);
    QVERIFY(whole > 0);
    const qint64 id = m_project.cancelledRun(request, 7);
    QVERIFY(id > 0);
    QVERIFY(TransferRunner::execute(m_project.path(), id, {}).ok());
    QCOMPARE(RunStore(m_project.database()).load(id)->status, RunRecord::Status::Finished);
    // GPU kernels (atomic adds in the embedding backward) are not bit-reproducible: close, not equal.
    const auto expected = finalOf(whole);
    const auto resumed = finalOf(id);
    for (const char *split : {"source/validation", "target/validation", "target/test"}) {
        const double e = expected[QLatin1String(split)][QStringLiteral("loss")];
        const double r = resumed[QLatin1String(split)][QStringLiteral("loss")];
        QVERIFY2(std::abs(e - r) < 1e-2, qPrintable(QStringLiteral("%1 loss: %2 vs %3").arg(split).arg(e).arg(r)));
    }
}

void TestCudaTraining::outOfMemoryIsExplained()
{
    // Take all but 64 MiB of the GPU, then ask for a run that needs more (the memory check only
    // warns, so that the run really meets the CUDA allocator's out-of-memory error).
    const qint64 free = DeviceMemory::cudaFreeBytes();
    QVERIFY(free > 0);
    torch::Tensor ballast = torch::empty({free - (qint64(64) << 20)}, torch::dtype(torch::kUInt8).device(torch::kCUDA));
    RunRequest request = cudaRequest(QStringLiteral("source-only"));
    request.config.batchSize = 512;
    request.config.maxLength = 128;
    request.config.maxTrainExamples = 1024;
    request.config.memoryCheck = QStringLiteral("warn");
    const auto id = TransferRunner::createRun(m_project.database(), request);
    QVERIFY(id.ok());
    const Status s = TransferRunner::execute(m_project.path(), id.value(), {});
    ballast = torch::Tensor();
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QLatin1String("CUDA out of memory")), qPrintable(s.error()));
    QVERIFY2(s.error().contains(QLatin1String("batch")), qPrintable(s.error()));
    const auto record = RunStore(m_project.database()).load(id.value());
    QCOMPARE(record->status, RunRecord::Status::Failed);
    QVERIFY2(record->errorText.contains(QLatin1String("out of memory")), qPrintable(record->errorText));
}

QTEST_GUILESS_MAIN(TestCudaTraining)
#include "tst_cudatraining.moc"
