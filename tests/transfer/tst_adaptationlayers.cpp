// Custom autograd pieces of the transfer strategies, checked numerically (mlpack-style):
// the gradient reversal layer and LoRA adapters.
#include "transfer/GradientReversal.h"
#include "transfer/LoraAdapter.h"
#include "transfer/LoraStrategy.h"
#include "model/nn/ModelExporter.h"
#include "model/nn/ModelLoader.h"

#include <QTest>

using namespace ts;

namespace {

// Central differences need double precision to reach 1e-6 agreement.
constexpr double kStep = 1e-6;
constexpr double kTolerance = 1e-6;

/// d f / d x by central differences, x modified in place and restored.
torch::Tensor numericalGradient(const std::function<double()> &f, torch::Tensor x)
{
    torch::NoGradGuard noGrad;
    auto grad = torch::zeros_like(x);
    auto flat = x.view(-1);
    auto gradFlat = grad.view(-1);
    for (int64_t i = 0; i < flat.numel(); ++i) {
        const double original = flat[i].item<double>();
        flat[i] = original + kStep;
        const double plus = f();
        flat[i] = original - kStep;
        const double minus = f();
        flat[i] = original;
        gradFlat[i] = (plus - minus) / (2 * kStep);
    }
    return grad;
}

} // namespace

class TestAdaptationLayers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void reversalIsIdentityForward();
    void reversalGradientIsNegatedScaledIdentity();
    void lambdaSchedule();
    void loraStartsAsIdentityUpdate();
    void loraGradientsMatchNumerical();
    void loraMergeGivesSameOutputs();
    void loraInModelMergesToSameLogits();
    void loraOnGpt2AllLinearTrainsAdaptersAndMerges();
};

void TestAdaptationLayers::initTestCase()
{
    torch::manual_seed(1234);
}

void TestAdaptationLayers::reversalIsIdentityForward()
{
    const auto x = torch::randn({3, 5});
    QVERIFY(torch::equal(GradientReversal::reverse(x, 0.7), x));
}

void TestAdaptationLayers::reversalGradientIsNegatedScaledIdentity()
{
    const double lambda = 0.37;
    auto x = torch::randn({4, 6}, torch::kFloat64).requires_grad_(true);
    const auto w = torch::randn({4, 6}, torch::kFloat64);
    // f(x) = sum(w * tanh(x)); through the reversal layer the gradient must be -lambda df/dx.
    auto loss = (w * torch::tanh(GradientReversal::reverse(x, lambda))).sum();
    loss.backward();
    const auto numerical = numericalGradient(
        [&] { return (w * torch::tanh(x.detach())).sum().item<double>(); }, x.detach());
    const double diff = (x.grad() + lambda * numerical).abs().max().item<double>();
    QVERIFY2(diff < kTolerance, qPrintable(QString::number(diff)));
    QVERIFY(x.grad().abs().sum().item<double>() > 0.1);
}

void TestAdaptationLayers::lambdaSchedule()
{
    QCOMPARE(GradientReversal::scheduledLambda(0.0), 0.0);
    QVERIFY(std::abs(GradientReversal::scheduledLambda(1.0) - 0.99990920) < 1e-7);
    QVERIFY(GradientReversal::scheduledLambda(0.1) < GradientReversal::scheduledLambda(0.2));
}

void TestAdaptationLayers::loraStartsAsIdentityUpdate()
{
    LoraAdapter adapter(8, 5, LoraOptions{4, 8.0, 0.0});
    const auto x = torch::randn({2, 3, 8});
    const auto delta = adapter->forward(x);
    QCOMPARE(delta.sizes().vec(), (std::vector<int64_t>{2, 3, 5}));
    QCOMPARE(delta.abs().max().item<double>(), 0.0);
    QCOMPARE(adapter->scale(), 2.0);
    QCOMPARE(adapter->parameters().size(), size_t(2));
}

void TestAdaptationLayers::loraGradientsMatchNumerical()
{
    LoraAdapter adapter(6, 4, LoraOptions{3, 6.0, 0.0});
    adapter->to(torch::kFloat64);
    {
        torch::NoGradGuard noGrad;
        adapter->B.normal_(); // non-zero B so that A gets a gradient too
    }
    const auto x = torch::randn({5, 6}, torch::kFloat64);
    const auto w = torch::randn({5, 4}, torch::kFloat64);
    auto f = [&] { return (w * adapter->forward(x)).sum(); };
    f().backward();
    for (torch::Tensor *p : {&adapter->A, &adapter->B}) {
        const auto numerical = numericalGradient([&] { return f().item<double>(); }, p->detach());
        const double diff = (p->grad() - numerical).abs().max().item<double>();
        QVERIFY2(diff < kTolerance, qPrintable(QString::number(diff)));
    }
}

void TestAdaptationLayers::loraMergeGivesSameOutputs()
{
    torch::nn::Linear base(torch::nn::LinearOptions(8, 5));
    LoraAdapter adapter(8, 5, LoraOptions{2, 4.0, 0.1});
    {
        torch::NoGradGuard noGrad;
        adapter->B.normal_();
    }
    adapter->eval(); // dropout off, as at inference
    const auto x = torch::randn({7, 8});
    const auto adapted = base->forward(x) + adapter->forward(x);
    {
        torch::NoGradGuard noGrad;
        base->weight.add_(adapter->deltaWeight());
    }
    const auto merged = base->forward(x);
    QVERIFY((adapted - merged).abs().max().item<double>() < 1e-5);
}

void TestAdaptationLayers::loraInModelMergesToSameLogits()
{
    // A real architecture (the tiny BERT fixture) with adapters on query and value: the exported
    // (merged) weights loaded into a plain model give the adapted model's logits.
    const QString dir = QStringLiteral(TS_TEST_DATA_DIR "/models/bert");
    LoadOptions options;
    options.task = ModelTask::SequenceClassification;
    auto adapted = ModelLoader::load(dir, options);
    QVERIFY2(adapted.ok(), qPrintable(adapted.error()));
    const auto attached = LoraStrategy::attach(*adapted->model, LoraOptions{2, 4.0, 0.0},
                                               {QStringLiteral("query"), QStringLiteral("value")});
    QVERIFY2(attached.ok(), qPrintable(attached.error()));
    QCOMPARE(attached.value(), 2 * int(adapted->model->backbone()->layers().size()));
    {
        torch::NoGradGuard noGrad;
        for (auto &item : adapted->model->named_parameters()) {
            if (item.key().find("lora_B") != std::string::npos)
                item.value().normal_();
        }
    }
    adapted->model->eval();
    const auto ids = torch::randint(5, 90, {2, 7}, torch::kInt64);
    const auto mask = torch::ones({2, 7}, torch::kInt64);
    const auto expected = adapted->model->forward(ids, mask);

    const NamedTensors merged = ModelExporter::exportTensors(*adapted->model);
    for (const auto &entry : merged)
        QVERIFY2(entry.first.find("lora") == std::string::npos, entry.first.c_str());
    auto plain = ModelLoader::load(dir, options);
    QVERIFY(plain.ok());
    QVERIFY(ModelLoader::loadWeights(*plain->model, merged, options, QStringLiteral("merged")).ok());
    plain->model->eval();
    const auto actual = plain->model->forward(ids, mask);
    QVERIFY((expected - actual).abs().max().item<double>() < 1e-5);
    QVERIFY((expected - ModelLoader::load(dir, options)->model->forward(ids, mask)).abs().max().item<double>() > 1e-4);
}

void TestAdaptationLayers::loraOnGpt2AllLinearTrainsAdaptersAndMerges()
{
    // GPT-2's Conv1D layers (weights stored (in, out)) take adapters with targets=all-linear: training
    // changes the adapters only, and the merged export gives the adapted model's logits.
    const QString dir = QStringLiteral(TS_TEST_DATA_DIR "/models/gpt2");
    LoadOptions options;
    options.task = ModelTask::SequenceClassification;
    auto adapted = ModelLoader::load(dir, options);
    QVERIFY2(adapted.ok(), qPrintable(adapted.error()));
    PretrainedModel &model = *adapted->model;
    for (auto &parameter : model.parameters())
        parameter.set_requires_grad(false);
    const auto attached = LoraStrategy::attach(model, LoraOptions{2, 4.0, 0.0}, {QString::fromLatin1(LoraStrategy::kAllLinear)});
    QVERIFY2(attached.ok(), qPrintable(attached.error()));
    QCOMPARE(attached.value(), 4 * int(model.backbone()->layers().size())); // c_attn, attn.c_proj, c_fc, mlp.c_proj
    std::map<std::string, torch::Tensor> before;
    std::vector<torch::Tensor> trainable;
    for (const auto &item : model.named_parameters()) {
        before[item.key()] = item.value().detach().clone();
        if (item.value().requires_grad())
            trainable.push_back(item.value());
    }
    QCOMPARE(trainable.size(), size_t(2 * attached.value())); // A and B of each adapter
    torch::optim::SGD sgd(trainable, torch::optim::SGDOptions(0.5));
    const auto ids = torch::randint(5, 90, {2, 7}, torch::kInt64);
    const auto mask = torch::ones({2, 7}, torch::kInt64);
    const auto labels = torch::tensor({0, 1}, torch::kInt64);
    model.train();
    for (int step = 0; step < 2; ++step) { // B starts at zero: A's gradient is zero until B has moved
        sgd.zero_grad();
        torch::nn::functional::cross_entropy(model.forward(ids, mask), labels).backward();
        sgd.step();
    }
    for (const auto &item : model.named_parameters()) {
        const bool isAdapter = item.key().find(std::string(".") + LinearAdapter::kChildName + ".") != std::string::npos;
        QVERIFY2(torch::equal(item.value(), before.at(item.key())) != isAdapter, item.key().c_str());
    }

    model.eval();
    torch::NoGradGuard noGrad;
    const auto expected = model.forward(ids, mask);
    const NamedTensors merged = ModelExporter::exportTensors(model);
    for (const auto &entry : merged)
        QVERIFY2(entry.first.find("lora") == std::string::npos, entry.first.c_str());
    auto plain = ModelLoader::load(dir, options);
    QVERIFY(plain.ok());
    const auto original = plain->model->forward(ids, mask);
    QVERIFY(ModelLoader::loadWeights(*plain->model, merged, options, QStringLiteral("merged")).ok());
    QVERIFY((expected - plain->model->forward(ids, mask)).abs().max().item<double>() < 1e-5);
    QVERIFY((expected - original).abs().max().item<double>() > 1e-4);
}

QTEST_GUILESS_MAIN(TestAdaptationLayers)
#include "tst_adaptationlayers.moc"
