// A run's status in words: one word per state, the same wherever it is shown (project panel, run
// monitor, CLI tables), while the stored names stay as they are.
#include "project/RunRecord.h"

#include <QTest>

using namespace ts;
using S = RunRecord::Status;

class TestRunRecord : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void displayNames_data();
    void displayNames();
    void storedNamesUnchanged();
    void descriptionsStartWithTheWord();
};

void TestRunRecord::displayNames_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("paused");
    QTest::addColumn<QString>("word");
    QTest::newRow("queued") << int(S::Queued) << false << QStringLiteral("queued");
    QTest::newRow("running") << int(S::Running) << false << QStringLiteral("running");
    QTest::newRow("paused") << int(S::Running) << true << QStringLiteral("paused");
    QTest::newRow("cancelled") << int(S::Cancelled) << false << QStringLiteral("stopped");
    QTest::newRow("interrupted") << int(S::Interrupted) << false << QStringLiteral("interrupted");
    QTest::newRow("failed") << int(S::Failed) << false << QStringLiteral("failed");
    QTest::newRow("finished") << int(S::Finished) << false << QStringLiteral("finished");
}

void TestRunRecord::displayNames()
{
    QFETCH(int, status);
    QFETCH(bool, paused);
    QFETCH(QString, word);
    QCOMPARE(RunRecord::displayName(S(status), paused), word);
}

void TestRunRecord::storedNamesUnchanged()
{
    QCOMPARE(RunRecord::statusName(S::Cancelled), QStringLiteral("cancelled"));
    S parsed = S::Queued;
    QVERIFY(RunRecord::parseStatus(QStringLiteral("cancelled"), &parsed));
    QCOMPARE(parsed, S::Cancelled);
}

void TestRunRecord::descriptionsStartWithTheWord()
{
    for (const S status : {S::Queued, S::Finished, S::Failed, S::Cancelled, S::Interrupted}) {
        const QString word = RunRecord::displayName(status);
        QVERIFY2(RunRecord::describe(status).startsWith(word, Qt::CaseInsensitive), qPrintable(word));
    }
    QVERIFY(RunRecord::describe(S::Running, true).startsWith(QLatin1String("Paused")));
    QCOMPARE(RunRecord::describe(S::Failed, false, QStringLiteral("out of memory")), QStringLiteral("Failed: out of memory"));
}

QTEST_GUILESS_MAIN(TestRunRecord)
#include "tst_runrecord.moc"
