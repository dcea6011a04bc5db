// squeue / sacct output as Slurm 22.05 prints it, folded into JobState: plain jobs, array tasks,
// a pending array's ranges, sacct's "CANCELLED by UID", and one state for a whole array.
#include "cluster/JobState.h"
#include "cluster/SlurmClient.h"
#include "cluster/SlurmStateParser.h"

#include <QTest>

using namespace ts;

class TestSlurmStateParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void slurmWords_data();
    void slurmWords();
    void squeueLines();
    void sacctLines();
    void arrayTasks();
    void combine();
    void namesRoundTrip();
};

void TestSlurmStateParser::slurmWords_data()
{
    QTest::addColumn<QString>("word");
    QTest::addColumn<int>("state");
    QTest::newRow("pending") << "PENDING" << int(JobState::Pending);
    QTest::newRow("requeued") << "REQUEUED" << int(JobState::Pending);
    QTest::newRow("configuring") << "CONFIGURING" << int(JobState::Running);
    QTest::newRow("completing") << "COMPLETING" << int(JobState::Running);
    QTest::newRow("completed") << "COMPLETED" << int(JobState::Completed);
    QTest::newRow("oom") << "OUT_OF_MEMORY" << int(JobState::Failed);
    QTest::newRow("node fail") << "NODE_FAIL" << int(JobState::Failed);
    QTest::newRow("cancelled by") << "CANCELLED by 0" << int(JobState::Cancelled);
    QTest::newRow("cancelled+") << "CANCELLED+" << int(JobState::Cancelled);
    QTest::newRow("timeout") << "TIMEOUT" << int(JobState::Timeout);
    QTest::newRow("lower case") << "running" << int(JobState::Running);
    QTest::newRow("nonsense") << "BANANA" << int(JobState::Unknown);
    QTest::newRow("empty") << "" << int(JobState::Unknown);
}

void TestSlurmStateParser::slurmWords()
{
    QFETCH(QString, word);
    QFETCH(int, state);
    QCOMPARE(int(JobStates::fromSlurm(word)), state);
}

void TestSlurmStateParser::squeueLines()
{
    // squeue -h --states=all -o '%i|%T', as the test cluster printed it.
    const auto states = SlurmStateParser::parse(QStringLiteral("3|CANCELLED\n1|COMPLETED\n4|PENDING\n\nnot a line\n"
                                                               "7|RUNNING\n"));
    QCOMPARE(states.size(), 4);
    QCOMPARE(states.value(QStringLiteral("3")), JobState::Cancelled);
    QCOMPARE(states.value(QStringLiteral("1")), JobState::Completed);
    QCOMPARE(states.value(QStringLiteral("4")), JobState::Pending);
    QCOMPARE(states.value(QStringLiteral("7")), JobState::Running);
}

void TestSlurmStateParser::sacctLines()
{
    // sacct -n -P -X -o JobID,State
    const auto states = SlurmStateParser::parse(QStringLiteral("12|CANCELLED by 1000\n13_0|COMPLETED\n13_1|TIMEOUT\n"));
    QCOMPARE(states.value(QStringLiteral("12")), JobState::Cancelled);
    QCOMPARE(states.value(QStringLiteral("13_0")), JobState::Completed);
    QCOMPARE(states.value(QStringLiteral("13_1")), JobState::Timeout);
}

void TestSlurmStateParser::arrayTasks()
{
    // A pending array's remaining tasks as ranges, with a throttle; running tasks on their own.
    const auto states = SlurmStateParser::parse(QStringLiteral("8_[2-3,5%2]|PENDING\n8_0|RUNNING\n8_1|FAILED\n"
                                                               "9_[x-y]|PENDING\n"));
    QCOMPARE(states.value(QStringLiteral("8_0")), JobState::Running);
    QCOMPARE(states.value(QStringLiteral("8_1")), JobState::Failed);
    QCOMPARE(states.value(QStringLiteral("8_2")), JobState::Pending);
    QCOMPARE(states.value(QStringLiteral("8_3")), JobState::Pending);
    QCOMPARE(states.value(QStringLiteral("8_5")), JobState::Pending);
    QVERIFY(!states.contains(QStringLiteral("8_4")));
    QVERIFY(!states.contains(QStringLiteral("9_0"))); // a range that is not one is skipped
    const QList<JobState> tasks = SlurmClient::tasks(states, QStringLiteral("8"), 5);
    QCOMPARE(tasks, (QList<JobState>{JobState::Running, JobState::Failed, JobState::Pending, JobState::Pending,
                                     JobState::Unknown}));
    QCOMPARE(SlurmClient::tasks(states, QStringLiteral("42"), 1), QList<JobState>{JobState::Unknown});
}

void TestSlurmStateParser::combine()
{
    using S = JobState;
    QCOMPARE(JobStates::combine({}), S::Unknown);
    QCOMPARE(JobStates::combine({S::Completed, S::Completed}), S::Completed);
    QCOMPARE(JobStates::combine({S::Completed, S::Running, S::Pending}), S::Running);
    QCOMPARE(JobStates::combine({S::Completed, S::Pending}), S::Pending);
    QCOMPARE(JobStates::combine({S::Completed, S::Failed, S::Cancelled}), S::Failed);
    QCOMPARE(JobStates::combine({S::Completed, S::Timeout, S::Cancelled}), S::Timeout);
    QCOMPARE(JobStates::combine({S::Completed, S::Cancelled}), S::Cancelled);
    QCOMPARE(JobStates::combine({S::Completed, S::Unknown}), S::Unknown);
    QVERIFY(!JobStates::isFinal(S::Running));
    QVERIFY(!JobStates::isFinal(S::Unknown));
    QVERIFY(JobStates::isFinal(S::Timeout));
}

void TestSlurmStateParser::namesRoundTrip()
{
    for (const JobState state : {JobState::Pending, JobState::Running, JobState::Completed, JobState::Failed,
                                 JobState::Cancelled, JobState::Timeout, JobState::Unknown})
        QCOMPARE(JobStates::fromName(JobStates::name(state)), state);
    QCOMPARE(JobStates::name(JobState::Timeout), QStringLiteral("timeout"));
}

QTEST_GUILESS_MAIN(TestSlurmStateParser)
#include "tst_slurmstateparser.moc"
