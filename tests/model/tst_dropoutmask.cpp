// DropoutMask and ops::dropout: the drop rate and the scale are right, masks are a function of the
// default CPU generator's state (so a checkpoint that restores it restores the masks) and not of
// the thread count, successive masks differ, gradients flow through the kept elements only, and
// evaluation leaves x alone. The mask shows as the output for an input of ones.
#include "model/nn/DropoutMask.h"
#include "model/nn/Ops.h"

#include <QTest>

using namespace ts;

namespace {

/// The mask DropoutMask applies to a tensor of `n` ones: 0 or 1 / (1 - p).
torch::Tensor maskOf(int64_t n, double p)
{
    return DropoutMask::apply(torch::ones({n}), p);
}

} // namespace

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
    const torch::Tensor mask = maskOf(n, p);
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
    const torch::Tensor first = maskOf(3000, 0.3);
    torch::manual_seed(7);
    const torch::Tensor again = maskOf(3000, 0.3);
    QVERIFY(torch::equal(first, again));

    auto generator = at::detail::getDefaultCPUGenerator();
    const torch::Tensor state = generator.get_state(); // what CheckpointTensors saves
    const torch::Tensor next = maskOf(1000, 0.3);
    generator.set_state(state);
    QVERIFY(torch::equal(maskOf(1000, 0.3), next));
}

void TestDropoutMask::doesNotDependOnThreads()
{
    const int threads = torch::get_num_threads();
    const int64_t n = 5 * DropoutMask::kChunk + 123; // several chunks, the last one partial
    torch::set_num_threads(1);
    torch::manual_seed(3);
    const torch::Tensor one = maskOf(n, 0.2);
    torch::set_num_threads(4);
    torch::manual_seed(3);
    const torch::Tensor four = maskOf(n, 0.2);
    torch::set_num_threads(threads);
    QVERIFY(torch::equal(one, four));
}

void TestDropoutMask::successiveMasksDiffer()
{
    torch::manual_seed(5);
    const torch::Tensor a = maskOf(4096, 0.5);
    const torch::Tensor b = maskOf(4096, 0.5);
    QVERIFY(!torch::equal(a, b));
    // Chunks are streams of their own: the second chunk is not a copy of the first.
    const torch::Tensor c = maskOf(2 * DropoutMask::kChunk, 0.5);
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

    // A non-contiguous input (a transposed view) and an output gradient that is not all ones.
    const torch::Tensor base = torch::randn({32, 64}, torch::requires_grad());
    const torch::Tensor t = base.t();
    const torch::Tensor z = ops::dropout(t, 0.5, true);
    QCOMPARE(z.sizes(), t.sizes());
    const torch::Tensor weights = torch::randn({64, 32});
    (z * weights).sum().backward();
    const torch::Tensor zKept = z.ne(0);
    QVERIFY(torch::allclose(z.masked_select(zKept), t.masked_select(zKept) * 2.0));
    QVERIFY(torch::allclose(base.grad().t(), weights * zKept.to(torch::kFloat) * 2.0));
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
