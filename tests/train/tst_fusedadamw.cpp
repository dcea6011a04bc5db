// FusedAdamW's CPU pass against torch::optim::AdamW: the same parameters after several steps
// (weight decay, two groups with their own learning rates, a parameter whose gradients start
// late and so counts fewer steps), state that a plain step() carries on from, and the cases where
// it declines (TS_ADAMW=plain, a non-contiguous parameter, amsgrad).
#include "train/FusedAdamW.h"

#include <QTest>

#include <torch/torch.h>

using namespace ts;

namespace {

struct Setup
{
    std::vector<torch::Tensor> first, second; // two parameter groups
    std::unique_ptr<torch::optim::AdamW> optimizer;
};

/// The same parameters (seeded) in two groups: lr 1e-2 with weight decay 0.1, and lr 3e-3 without.
Setup makeSetup(bool amsgrad = false)
{
    torch::manual_seed(42);
    Setup s;
    s.first = {torch::randn({300, 17}).requires_grad_(), torch::randn({17}).requires_grad_()};
    s.second = {torch::randn({70001}).requires_grad_()}; // several parallel_for chunks, one partial
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(s.first, std::make_unique<torch::optim::AdamWOptions>(
                                     torch::optim::AdamWOptions(1e-2).weight_decay(0.1).amsgrad(amsgrad)));
    groups.emplace_back(s.second, std::make_unique<torch::optim::AdamWOptions>(
                                      torch::optim::AdamWOptions(3e-3).weight_decay(0.0).amsgrad(amsgrad)));
    s.optimizer = std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(1e-3));
    return s;
}

/// Gradients for step `step` (seeded), none for the first group's bias before step 2.
void setGradients(Setup &s, int step)
{
    torch::manual_seed(1000 + step);
    for (auto *group : {&s.first, &s.second}) {
        for (torch::Tensor &p : *group)
            p.mutable_grad() = torch::randn_like(p) * 0.5;
    }
    if (step < 2)
        s.first[1].mutable_grad() = torch::Tensor();
}

double maxDifference(const Setup &a, const Setup &b)
{
    double most = 0.0;
    for (size_t i = 0; i < a.first.size(); ++i)
        most = std::max(most, (a.first[i] - b.first[i]).abs().max().item<double>());
    return std::max(most, (a.second[0] - b.second[0]).abs().max().item<double>());
}

} // namespace

class TestFusedAdamW : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTorchAdamW();
    void plainStepCarriesOn();
    void declinesWhatItCannotDo();
};

void TestFusedAdamW::matchesTorchAdamW()
{
    Setup plain = makeSetup();
    Setup fused = makeSetup();
    QCOMPARE(maxDifference(plain, fused), 0.0);
    for (int step = 0; step < 6; ++step) {
        setGradients(plain, step);
        setGradients(fused, step);
        plain.optimizer->step();
        QVERIFY(FusedAdamW::step(*fused.optimizer));
    }
    // Same arithmetic in float; only the compiler's and ATen's instruction choices differ.
    const double diff = maxDifference(plain, fused);
    QVERIFY2(diff < 1e-6, qPrintable(QString::number(diff)));
    // The update did something: a broken pass that changes nothing would also "match" a no-op.
    Setup untouched = makeSetup();
    QVERIFY(maxDifference(untouched, fused) > 1e-2);
}

void TestFusedAdamW::plainStepCarriesOn()
{
    Setup plain = makeSetup();
    Setup mixed = makeSetup();
    for (int step = 0; step < 4; ++step) {
        setGradients(plain, step);
        setGradients(mixed, step);
        plain.optimizer->step();
        if (step < 2)
            QVERIFY(FusedAdamW::step(*mixed.optimizer));
        else
            mixed.optimizer->step(); // reads the moments and step counts the fused pass wrote
    }
    const double diff = maxDifference(plain, mixed);
    QVERIFY2(diff < 1e-6, qPrintable(QString::number(diff)));
}

void TestFusedAdamW::declinesWhatItCannotDo()
{
    Setup s = makeSetup();
    setGradients(s, 3);
    const torch::Tensor before = s.first[0].detach().clone();

    qputenv("TS_ADAMW", "plain");
    QVERIFY(!FusedAdamW::step(*s.optimizer));
    qunsetenv("TS_ADAMW");

    Setup ams = makeSetup(/*amsgrad=*/true);
    setGradients(ams, 3);
    QVERIFY(!FusedAdamW::step(*ams.optimizer));

    torch::Tensor strided = torch::randn({8, 6}).t().requires_grad_(); // not contiguous
    strided.mutable_grad() = torch::ones_like(strided);
    torch::optim::AdamW odd({strided}, torch::optim::AdamWOptions(1e-2));
    QVERIFY(!FusedAdamW::step(odd));

    QVERIFY(torch::equal(s.first[0], before)); // declining changed nothing
    QVERIFY(s.optimizer->state().empty());
}

QTEST_GUILESS_MAIN(TestFusedAdamW)
#include "tst_fusedadamw.moc"
