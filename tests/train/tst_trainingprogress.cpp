// The progress value the worker sends: fraction and the human-readable durations and sizes the
// run monitor and the CLI show.
#include "train/TrainingProgress.h"

#include <QTest>

using namespace ts;

class TestTrainingProgress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fraction();
    void durations_data();
    void durations();
    void bytes();
};

void TestTrainingProgress::fraction()
{
    TrainingProgress p;
    QCOMPARE(p.fraction(), 0.0);
    p.totalSteps = 200;
    p.step = 50;
    QCOMPARE(p.fraction(), 0.25);
    p.step = 250;
    QCOMPARE(p.fraction(), 1.0);
}

void TestTrainingProgress::durations_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("unknown") << -1.0 << QString();
    QTest::newRow("zero") << 0.0 << QStringLiteral("0 s");
    QTest::newRow("seconds") << 12.4 << QStringLiteral("12 s");
    QTest::newRow("minutes") << 185.0 << QStringLiteral("3 min 05 s");
    QTest::newRow("hours") << 3720.0 << QStringLiteral("1 h 02 min");
    QTest::newRow("infinite") << qInf() << QString();
}

void TestTrainingProgress::durations()
{
    QFETCH(double, seconds);
    QFETCH(QString, text);
    QCOMPARE(TrainingProgress::formatDuration(seconds), text);
}

void TestTrainingProgress::bytes()
{
    QCOMPARE(TrainingProgress::formatBytes(-1), QString());
    QCOMPARE(TrainingProgress::formatBytes(512LL * 1024 * 1024), QStringLiteral("512 MiB"));
    QCOMPARE(TrainingProgress::formatBytes(3435973837LL), QStringLiteral("3.2 GiB"));
}

QTEST_GUILESS_MAIN(TestTrainingProgress)
#include "tst_trainingprogress.moc"
