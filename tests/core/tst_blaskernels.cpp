// Which OpenBLAS kernels replace a generic choice: AVX-512 CPUs get SkylakeX, AVX2 ones Haswell,
// and a choice OpenBLAS made right (or a CPU with neither) is left alone.
#include "util/BlasKernels.h"

#include <QTest>

using namespace ts;

class TestBlasKernels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void genericKernelsAreReplaced();
    void rightChoicesStand();
};

void TestBlasKernels::genericKernelsAreReplaced()
{
    QCOMPARE(BlasKernels::betterCoreType("Prescott", true, true), QByteArray("SkylakeX"));
    QCOMPARE(BlasKernels::betterCoreType("Prescott", false, true), QByteArray("Haswell"));
    QCOMPARE(BlasKernels::betterCoreType("Sandybridge", false, true), QByteArray("Haswell"));
    QCOMPARE(BlasKernels::betterCoreType("Nehalem", true, true), QByteArray("SkylakeX"));
}

void TestBlasKernels::rightChoicesStand()
{
    QVERIFY(BlasKernels::betterCoreType("SkylakeX", true, true).isEmpty());
    QVERIFY(BlasKernels::betterCoreType("Haswell", false, true).isEmpty());
    QVERIFY(BlasKernels::betterCoreType("Zen", false, true).isEmpty());
    QVERIFY(BlasKernels::betterCoreType("Cooperlake", true, true).isEmpty());
    QVERIFY(BlasKernels::betterCoreType("Prescott", false, false).isEmpty()); // nothing better to run
    QVERIFY(BlasKernels::betterCoreType("", true, true).isEmpty());           // OpenBLAS not loaded
}

QTEST_GUILESS_MAIN(TestBlasKernels)
#include "tst_blaskernels.moc"
