// DropoutMask and ops::dropout: the drop rate and the scale are right, masks are a function of the
// default CPU generator's state (so a checkpoint that restores it restores the masks) and not of
// the thread count, successive masks differ, gradients flow through the kept elements only, and
// evaluation leaves x alone.
#include "model/nn/DropoutMask.h"
#include "model/nn/Ops.h"

#include <QTest>

using namespace ts;

class TestDropoutMask : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dropsTheRequestedShare_data();
    void dropsTheRequestedShare();
    void followsTheGeneratorState();
    void doesNotDependOnThreads();
    void successiveMasksDiffer();
    void gradientsFlowThroughKeptElements();
    void evaluationIsIdentity();
};

void TestDropoutMask::dropsTheRequestedShare_data()
{
    QTest::addColumn<double>("p");
    QTest::newRow("0.1") << 0.1;
    QTest::newRow("0.5") << 0.5;
    QTest::newRow("0.9") << 0.9;
}

void TestDropoutMask::dropsTheRequestedShare()
{
    QFETCH(double, p);
    torch::manual_seed(1);
    constexpr int64_t n = 1 << 22;
    const torch::Tensor mask = DropoutMask::draw({n}, p, torch::kFloat);
    const double dropped = mask.eq(0).sum().item<double>() / double(n);
    // Binomial standard deviation sqrt(p(1-p)/n) <= 2.5e-4; allow 8 of them.
    QVERIFY2(std::abs(dropped - p) < 2e-3, qPrintable(QString::number(dropped)));
    const torch::Tensor kept = mask.masked_select(mask.ne(0));
    QVERIFY(kept.eq(kept[0]).all().item<bool>());
    // 1 / (1 - p), with p rounded to a multiple of 2^-16: within 1e-4 relative for p <= 0.9.
    QVERIFY(std::abs(kept[0].item<double>() * (1.0 - p) - 1.0) < 1e-4);
    // The expectation of x * mask is x: the mean of the mask is 1.
    QVERIFY(std::abs(mask.mean().item<double>() - 1.0) < 1e-2);
    // Neighbouring elements are independent: pairs (i, i+1) are both dropped about p^2 of the time
    // (each 64-bit draw covers four elements; a bad split of its bits would show here).
    const torch::Tensor zero = mask.eq(0);
    const double both = zero.narrow(0, 0, n - 1).logical_and(zero.narrow(0, 1, n - 1)).sum().item<double>() / double(n - 1);
    QVERIFY2(std::abs(both - p * p) < 3e-3, qPrintable(QString::number(both)));
}

void TestDropoutMask::followsTheGeneratorState()
{
    torch::manual_seed(7);
    const torch::Tensor first = DropoutMask::draw({3, 1000}, 0.3, torch::kFloat);
    torch::manual_seed(7);
    const torch::Tensor again = DropoutMask::draw({3, 1000}, 0.3, torch::kFloat);
    QVERIFY(torch::equal(first, again));

    auto generator = at::detail::getDefaultCPUGenerator();
    const torch::Tensor state = generator.get_state(); // what CheckpointTensors saves
    const torch::Tensor next = DropoutMask::draw({1000}, 0.3, torch::kFloat);
    generator.set_state(state);
    QVERIFY(torch::equal(DropoutMask::draw({1000}, 0.3, torch::kFloat), next));
}

void TestDropoutMask::doesNotDependOnThreads()
{
    const int threads = torch::get_num_threads();
    const int64_t n = 5 * DropoutMask::kChunk + 123; // several chunks, the last one partial
    torch::set_num_threads(1);
    torch::manual_seed(3);
    const torch::Tensor one = DropoutMask::draw({n}, 0.2, torch::kFloat);
    torch::set_num_threads(4);
    torch::manual_seed(3);
    const torch::Tensor four = DropoutMask::draw({n}, 0.2, torch::kFloat);
    torch::set_num_threads(threads);
    QVERIFY(torch::equal(one, four));
}

void TestDropoutMask::successiveMasksDiffer()
{
    torch::manual_seed(5);
    const torch::Tensor a = DropoutMask::draw({4096}, 0.5, torch::kFloat);
    const torch::Tensor b = DropoutMask::draw({4096}, 0.5, torch::kFloat);
    QVERIFY(!torch::equal(a, b));
    // Chunks are streams of their own: the second chunk is not a copy of the first.
    const torch::Tensor c = DropoutMask::draw({2 * DropoutMask::kChunk}, 0.5, torch::kFloat);
    QVERIFY(!torch::equal(c.narrow(0, 0, DropoutMask::kChunk), c.narrow(0, DropoutMask::kChunk, DropoutMask::kChunk)));
}

void TestDropoutMask::gradientsFlowThroughKeptElements()
{
    torch::manual_seed(11);
    const torch::Tensor x = torch::randn({64, 32}, torch::requires_grad());
    const torch::Tensor y = ops::dropout(x, 0.25, true);
    y.sum().backward();
    const torch::Tensor kept = y.ne(0);
    // d(sum y)/dx is the mask: 1 / (1 - p) where kept, 0 where dropped.
    QVERIFY(torch::allclose(x.grad(), kept.to(torch::kFloat) / 0.75));
    QVERIFY(torch::allclose(y.masked_select(kept), x.masked_select(kept) / 0.75));
    QVERIFY(kept.logical_not().any().item<bool>());
}

void TestDropoutMask::evaluationIsIdentity()
{
    const torch::Tensor x = torch::randn({8, 8});
    QVERIFY(ops::dropout(x, 0.5, false).is_same(x));
    QVERIFY(ops::dropout(x, 0.0, true).is_same(x));
    // Integer tensors, and p = 1, are libtorch's business.
    QVERIFY(ops::dropout(x, 1.0, true).eq(0).all().item<bool>());
}

QTEST_GUILESS_MAIN(TestDropoutMask)
#include "tst_dropoutmask.moc"
