// Loading at size: a model loaded in its stored 16-bit dtype keeps its weights as views of the
// memory-mapped safetensors file (no heap copy, no fp32 build first), computes what the copying
// path computed, initialises a fresh head, and is unaffected by the file being replaced or removed
// on disk once loaded.
#include "HeapProbe.h"
#include "TempProject.h"

#include "model/nn/DeferredInit.h"
#include "model/nn/ModelLoader.h"
#include "model/nn/SafeTensorsWriter.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace ts;

namespace {

const QString kLlama = QStringLiteral(TS_TEST_DATA_DIR "/models/llama");

/// The tiny Llama fixture's config.json, widened to `hidden` and `layers` and marked bf16.
QJsonObject llamaConfig(int hidden, int layers)
{
    QFile file(kLlama + QStringLiteral("/config.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QJsonObject config = QJsonDocument::fromJson(file.readAll()).object();
    config.insert(QStringLiteral("hidden_size"), hidden);
    config.insert(QStringLiteral("intermediate_size"), 2 * hidden);
    config.insert(QStringLiteral("num_hidden_layers"), layers);
    config.insert(QStringLiteral("vocab_size"), 1000);
    config.insert(QStringLiteral("tie_word_embeddings"), true); // no fp32 head: every weight is the backbone's
    config.insert(QStringLiteral("torch_dtype"), QStringLiteral("bfloat16"));
    return config;
}

/// Writes a random Llama causal LM of that shape in bf16 to `dir` (seeded with `seed`); the bytes of its weights.
qint64 writeBf16Llama(const QString &dir, int hidden, int layers, uint64_t seed)
{
    const QJsonObject json = llamaConfig(hidden, layers);
    const auto config = ModelConfig::fromJson(QJsonDocument(json).toJson(), QStringLiteral("random llama"));
    if (!config || !QDir().mkpath(dir))
        return 0;
    torch::manual_seed(seed);
    const auto model = PretrainedModel::create(config.value(), ModelTask::CausalLm);
    if (!model)
        return 0;
    NamedTensors bf16;
    qint64 bytes = 0;
    for (const auto &item : model.value()->named_parameters()) {
        bf16[item.key()] = item.value().detach().to(torch::kBFloat16);
        bytes += item.value().numel() * 2;
    }
    const QString tmp = dir + QStringLiteral("/model.safetensors.tmp");
    if (!SafeTensorsWriter::write(tmp, bf16).ok() || std::rename(qPrintable(tmp), qPrintable(dir + QStringLiteral("/model.safetensors"))) != 0)
        return 0;
    QFile file(dir + QStringLiteral("/config.json"));
    return file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(json).toJson()) > 0 ? bytes : 0;
}

/// The address ranges at which `path` is mapped into this process (from /proc/self/maps).
std::vector<std::pair<uintptr_t, uintptr_t>> mappingsOf(const QString &path)
{
    std::vector<std::pair<uintptr_t, uintptr_t>> ranges;
    std::ifstream maps("/proc/self/maps");
    const std::string wanted = QFileInfo(path).canonicalFilePath().toStdString();
    for (std::string line; std::getline(maps, line);) {
        if (line.size() < wanted.size() || line.compare(line.size() - wanted.size(), wanted.size(), wanted) != 0)
            continue;
        std::istringstream in(line);
        std::string range;
        in >> range;
        const size_t dash = range.find('-');
        ranges.emplace_back(std::stoull(range.substr(0, dash), nullptr, 16), std::stoull(range.substr(dash + 1), nullptr, 16));
    }
    return ranges;
}

bool inside(const void *pointer, const std::vector<std::pair<uintptr_t, uintptr_t>> &ranges)
{
    const auto address = reinterpret_cast<uintptr_t>(pointer);
    for (const auto &[begin, end] : ranges) {
        if (address >= begin && address < end)
            return true;
    }
    return false;
}

LoadOptions keepOptions(ModelTask task)
{
    LoadOptions options{task};
    options.keepStoredDtype = true;
    return options;
}

torch::Tensor logitsOf(PretrainedModel &model)
{
    torch::NoGradGuard noGrad;
    const torch::Tensor ids = torch::arange(1, 25).remainder(97).reshape({2, 12}); // (B,T)
    return model.forward(ids, torch::ones_like(ids)).to(torch::kFloat);
}

} // namespace

class TestMappedLoading : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bf16WeightsViewTheMappedFile();
    void deferredBuildAllocatesNoWeights();
    void logitsEqualTheCopyingPath();
    void freshHeadIsInitialised();
    void replacedOrRemovedFileLeavesTheModelIntact();
    void truncatedFileIsRefused();
};

void TestMappedLoading::bf16WeightsViewTheMappedFile()
{
    test::TempFolder temp;
    const QString dir = temp.path(QStringLiteral("llama"));
    const qint64 weightBytes = writeBf16Llama(dir, 256, 4, 1);
    QVERIFY(weightBytes > 4'000'000);
    const qint64 before = test::heapBytesInUse();
    const auto loaded = ModelLoader::load(dir, keepOptions(ModelTask::CausalLm));
    QVERIFY2(loaded, qPrintable(loaded.error()));
    const qint64 grown = test::heapBytesInUse() - before;
    const auto ranges = mappingsOf(dir + QStringLiteral("/model.safetensors"));
    QVERIFY(!ranges.empty());
    int mapped = 0;
    for (const auto &item : loaded->model->named_parameters()) {
        QVERIFY2(item.value().scalar_type() == torch::kBFloat16, item.key().c_str());
        QVERIFY2(inside(item.value().data_ptr(), ranges), item.key().c_str());
        ++mapped;
    }
    QVERIFY(mapped > 10);
#ifndef TS_ASAN
    // Neither a fp32 build nor a bf16 copy is on the heap: only bookkeeping (names, placeholders).
    QVERIFY2(grown < weightBytes / 10, qPrintable(QStringLiteral("heap grew by %1 bytes for %2 bytes of weights")
                                                      .arg(grown).arg(weightBytes)));
#else
    Q_UNUSED(grown);
#endif
}

void TestMappedLoading::deferredBuildAllocatesNoWeights()
{
#ifdef TS_ASAN
    QSKIP("mallinfo2 does not see AddressSanitizer's allocations");
#endif
    const auto config = ModelConfig::fromJson(QJsonDocument(llamaConfig(256, 4)).toJson(), QStringLiteral("llama"));
    QVERIFY(config);
    const qint64 parameterBytes = config->parameterCount() * 4; // fp32
    qint64 deferredGrowth = 0;
    {
        DeferredInit deferred;
        const qint64 before = test::heapBytesInUse();
        const auto model = PretrainedModel::create(config.value(), ModelTask::CausalLm);
        QVERIFY(model);
        deferredGrowth = test::heapBytesInUse() - before;
        QVERIFY(deferred.isPlaceholder(model.value()->backbone()->wordEmbeddings()));
    }
    const qint64 before = test::heapBytesInUse();
    const auto built = PretrainedModel::create(config.value(), ModelTask::CausalLm);
    QVERIFY(built);
    const qint64 builtGrowth = test::heapBytesInUse() - before;
    QVERIFY2(builtGrowth > parameterBytes * 9 / 10, qPrintable(QString::number(builtGrowth)));
    QVERIFY2(deferredGrowth < parameterBytes / 20, qPrintable(QStringLiteral("%1 of %2").arg(deferredGrowth).arg(parameterBytes)));
}

void TestMappedLoading::logitsEqualTheCopyingPath()
{
    test::TempFolder temp;
    const QString dir = temp.path(QStringLiteral("llama"));
    QVERIFY(writeBf16Llama(dir, 64, 2, 2) > 0);
    const auto mapped = ModelLoader::load(dir, keepOptions(ModelTask::CausalLm));
    QVERIFY2(mapped, qPrintable(mapped.error()));

    // The path before: the model built in fp32, then bf16 copies of the weights replace its parameters.
    const auto folder = ModelFolder::inspect(dir);
    QVERIFY(folder);
    auto copied = PretrainedModel::create(folder->config(), ModelTask::CausalLm);
    QVERIFY(copied);
    auto tensors = ModelLoader::readTensors(folder.value());
    QVERIFY(tensors);
    for (auto &item : tensors.value())
        item.second = item.second.clone();
    QVERIFY(ModelLoader::loadWeights(*copied.value(), tensors.value(), keepOptions(ModelTask::CausalLm), dir));
    copied.value()->eval();
    QVERIFY(torch::equal(logitsOf(*mapped->model), logitsOf(*copied.value())));

    // And fp32 weights of the same values give the same logits but for bf16 rounding.
    const auto widened = ModelLoader::load(dir, {ModelTask::CausalLm});
    QVERIFY(widened);
    for (const auto &item : widened->model->named_parameters())
        QVERIFY2(item.value().scalar_type() == torch::kFloat, item.key().c_str());
    const torch::Tensor reference = logitsOf(*widened->model);
    const double error = (logitsOf(*mapped->model) - reference).abs().max().item<double>();
    const double scale = reference.abs().max().item<double>();
    QVERIFY2(error <= 0.05 * scale, qPrintable(QStringLiteral("max error %1, scale %2").arg(error).arg(scale)));
}

void TestMappedLoading::freshHeadIsInitialised()
{
    test::TempFolder temp;
    const QString dir = temp.path(QStringLiteral("llama"));
    QVERIFY(writeBf16Llama(dir, 64, 2, 3) > 0);
    torch::manual_seed(5);
    const auto loaded = ModelLoader::load(dir, keepOptions(ModelTask::SequenceClassification));
    QVERIFY2(loaded, qPrintable(loaded.error()));
    QVERIFY(!loaded->report.initialised.isEmpty());
    const auto parameters = loaded->model->named_parameters();
    for (const QString &name : std::as_const(loaded->report.initialised)) {
        const torch::Tensor p = parameters[name.toStdString()];
        QCOMPARE(p.scalar_type(), torch::kFloat);
        QVERIFY2(p.is_contiguous() && p.storage().nbytes() == size_t(p.numel()) * 4, qPrintable(name));
        QVERIFY2(p.std().item<double>() > 1e-3, qPrintable(name)); // drawn, not a placeholder's one value
    }
    // Same seed, same head.
    torch::manual_seed(5);
    const auto again = ModelLoader::load(dir, keepOptions(ModelTask::SequenceClassification));
    QVERIFY(again);
    const auto againParameters = again->model->named_parameters();
    for (const QString &name : std::as_const(loaded->report.initialised))
        QVERIFY(torch::equal(parameters[name.toStdString()], againParameters[name.toStdString()]));
    QVERIFY(logitsOf(*loaded->model).isfinite().all().item<bool>());
}

void TestMappedLoading::replacedOrRemovedFileLeavesTheModelIntact()
{
    test::TempFolder temp;
    const QString dir = temp.path(QStringLiteral("llama"));
    QVERIFY(writeBf16Llama(dir, 64, 2, 4) > 0);
    const auto loaded = ModelLoader::load(dir, keepOptions(ModelTask::CausalLm));
    QVERIFY2(loaded, qPrintable(loaded.error()));
    const torch::Tensor before = logitsOf(*loaded->model);

    // Replaced by renaming another file over it (how this program and Hugging Face write files):
    // the mapping keeps the old contents; loading again reads the new ones.
    QVERIFY(writeBf16Llama(dir, 64, 2, 5) > 0);
    QVERIFY(torch::equal(logitsOf(*loaded->model), before));
    const auto reloaded = ModelLoader::load(dir, keepOptions(ModelTask::CausalLm));
    QVERIFY(reloaded);
    QVERIFY(!torch::equal(logitsOf(*reloaded->model), before));

    // Removed: the mapping outlives the name.
    QVERIFY(QFile::remove(dir + QStringLiteral("/model.safetensors")));
    QVERIFY(torch::equal(logitsOf(*loaded->model), before));
}

void TestMappedLoading::truncatedFileIsRefused()
{
    test::TempFolder temp;
    const QString dir = temp.path(QStringLiteral("llama"));
    QVERIFY(writeBf16Llama(dir, 64, 2, 6) > 0);
    const QString path = dir + QStringLiteral("/model.safetensors");
    QFile file(path);
    QVERIFY(file.resize(file.size() - 100));
    const auto loaded = ModelLoader::load(dir, keepOptions(ModelTask::CausalLm));
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().contains(path) && loaded.error().contains(QStringLiteral("truncated")), qPrintable(loaded.error()));
}

QTEST_GUILESS_MAIN(TestMappedLoading)
#include "tst_mappedloading.moc"
