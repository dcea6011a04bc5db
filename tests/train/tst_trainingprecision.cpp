// Which precision a run trains in (TrainingPrecision) on which processor (CpuFeatures), and the
// precision field of the run configuration.
#include "train/TrainingConfig.h"
#include "train/TrainingPrecision.h"
#include "util/CpuFeatures.h"

#include <QTest>

using namespace ts;

namespace {

const QByteArray kSapphireRapids = "processor\t: 0\nflags\t\t: fpu sse avx512f avx512_bf16 amx_bf16 amx_tile amx_int8\n"
                                   "processor\t: 1\nflags\t\t: fpu\n";
const QByteArray kZen4 = "flags\t\t: fpu avx2 avx512f avx512_bf16 avx512_vnni\n";
const QByteArray kSkylake = "flags\t\t: fpu avx2 avx512f avx512bw\n";

} // namespace

class TestTrainingPrecision : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsTheCpuFlags();
    void autoPicksBf16WhereItIsNative();
    void bf16IsRefusedOnACpuWithoutIt();
    void configStoresAndChecksThePrecision();
};

void TestTrainingPrecision::readsTheCpuFlags()
{
    const CpuFeatures spr = CpuFeatures::fromCpuInfo(kSapphireRapids);
    QVERIFY(spr.avx512Bf16 && spr.amxBf16 && spr.hasBf16());
    QCOMPARE(spr.bf16Unit(), QStringLiteral("AMX"));
    const CpuFeatures zen4 = CpuFeatures::fromCpuInfo(kZen4);
    QVERIFY(zen4.avx512Bf16 && !zen4.amxBf16);
    QCOMPARE(zen4.bf16Unit(), QStringLiteral("AVX512-BF16"));
    const CpuFeatures skylake = CpuFeatures::fromCpuInfo(kSkylake);
    QVERIFY(!skylake.hasBf16());
    QVERIFY(skylake.bf16Unit().isEmpty());
    QVERIFY(!CpuFeatures::fromCpuInfo(QByteArray()).hasBf16());
    // A flag must match whole: "amx_bf16" without "amx_tile" is not usable.
    QVERIFY(!CpuFeatures::fromCpuInfo("flags : amx_bf16 avx512_bf16x\n").hasBf16());
}

void TestTrainingPrecision::autoPicksBf16WhereItIsNative()
{
    const CpuFeatures spr = CpuFeatures::fromCpuInfo(kSapphireRapids);
    const CpuFeatures skylake = CpuFeatures::fromCpuInfo(kSkylake);
    QCOMPARE(TrainingPrecision::resolve(QStringLiteral("auto"), false, spr).value(), Precision::Bf16);
    QCOMPARE(TrainingPrecision::resolve(QStringLiteral("auto"), false, skylake).value(), Precision::Fp32);
    QCOMPARE(TrainingPrecision::resolve(QStringLiteral("auto"), true, skylake).value(), Precision::Bf16);
    QCOMPARE(TrainingPrecision::resolve(QStringLiteral("fp32"), true, spr).value(), Precision::Fp32);
    QCOMPARE(TrainingPrecision::resolve(QStringLiteral("bf16"), false, spr).value(), Precision::Bf16);
    QCOMPARE(TrainingPrecision::describe(Precision::Bf16, false, spr), QStringLiteral("bf16 autocast, AMX"));
    QCOMPARE(TrainingPrecision::describe(Precision::Bf16, true, spr), QStringLiteral("bf16 autocast"));
    QCOMPARE(TrainingPrecision::describe(Precision::Fp32, false, spr), QStringLiteral("fp32"));
    QCOMPARE(TrainingPrecision::name(Precision::Bf16), QStringLiteral("bf16"));
}

void TestTrainingPrecision::bf16IsRefusedOnACpuWithoutIt()
{
    const auto refused = TrainingPrecision::resolve(QStringLiteral("bf16"), false, CpuFeatures::fromCpuInfo(kSkylake));
    QVERIFY(!refused);
    QVERIFY2(refused.error().contains(QLatin1String("AVX512-BF16")) && refused.error().contains(QLatin1String("fp32")),
             qPrintable(refused.error()));
    QVERIFY(TrainingPrecision::resolve(QStringLiteral("bf16"), true, CpuFeatures::fromCpuInfo(kSkylake)));
    QVERIFY(!TrainingPrecision::resolve(QStringLiteral("fp16"), true, CpuFeatures::fromCpuInfo(kSapphireRapids)));
}

void TestTrainingPrecision::configStoresAndChecksThePrecision()
{
    TrainingConfig config;
    QCOMPARE(config.precision, QStringLiteral("auto"));
    config.precision = QStringLiteral("bf16");
    const auto back = TrainingConfig::fromJson(config.toJson());
    QVERIFY2(back, qPrintable(back.error()));
    QCOMPARE(back->precision, QStringLiteral("bf16"));
    config.precision = QStringLiteral("fp16");
    const Status wrong = config.validate();
    QVERIFY(!wrong);
    QVERIFY2(wrong.error().contains(QLatin1String("\"precision\"")), qPrintable(wrong.error()));
}

QTEST_GUILESS_MAIN(TestTrainingPrecision)
#include "tst_trainingprecision.moc"
