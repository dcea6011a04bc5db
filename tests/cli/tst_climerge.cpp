// transfer-studio-cli merge: runs copied with what they need, twice without duplicates, --runs,
// --on-clash fail|rename|skip, usage errors; the other project is never written.
#include "CliRunner.h"
#include "MergeFixture.h"
#include "ProjectFixture.h"
#include "TempProject.h"

#include "project/Project.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ts;
using test::runCli;

class TestCliMerge : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void mergeTwiceCopiesOnce();
    void runsSubset();
    void clashChoices();
    void usageErrors();

private:
    qint64 count(const QString &table, const QString &where = QString()) const;

    std::unique_ptr<test::TempFolder> m_dir;
    QString m_path;
    QString m_other;
};

void TestCliMerge::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    m_path = m_dir->path(QStringLiteral("mine.tstudio"));
    m_other = m_dir->path(QStringLiteral("other.tstudio"));
    auto other = Project::create(m_other);
    QVERIFY(other);
    test::MergeFixture rows(*other.value());
    const qint64 music = rows.corpus(QStringLiteral("music"));
    const qint64 video = rows.corpus(QStringLiteral("video"));
    const qint64 model = rows.model(QStringLiteral("tiny"));
    rows.run(music, video, model, 1);
    rows.run(video, music, model, 2);
    QVERIFY(Project::create(m_path));
}

qint64 TestCliMerge::count(const QString &table, const QString &where) const
{
    auto project = Project::open(m_path, Project::Access::ReadOnly);
    return project ? test::ProjectFixture(*project.value()).count(table, where) : -1;
}

void TestCliMerge::mergeTwiceCopiesOnce()
{
    const QByteArray digest = test::fileDigest(m_other);
    // Open elsewhere (as the workbench keeps it) while the command merges into it.
    auto workbench = Project::open(m_path);
    QVERIFY(workbench);
    const auto first = runCli({QStringLiteral("merge"), m_path, QStringLiteral("--from"), m_other});
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    QVERIFY2(first.out.startsWith(QStringLiteral("merged 2 run(s) from %1 into %2: 1 -> 1, 2 -> 2").arg(m_other, m_path)),
             qPrintable(first.out));
    QVERIFY(first.out.contains(QLatin1String("corpora copied: music, video")));
    QVERIFY(first.out.contains(QLatin1String("models copied: tiny")));
    const auto second = runCli({QStringLiteral("merge"), m_path, QStringLiteral("--from"), m_other});
    QVERIFY2(second.exitCode == 0, qPrintable(second.err));
    QVERIFY2(second.out.contains(QLatin1String("merged 0 run(s)")), qPrintable(second.out));
    QVERIFY(second.out.contains(QLatin1String("already merged, not copied again: 1 -> 1, 2 -> 2")));
    QCOMPARE(test::ProjectFixture(*workbench.value()).count(QStringLiteral("runs")), 2); // seen by the open connection
    QCOMPARE(count(QStringLiteral("corpora")), 2);
    QCOMPARE(count(QStringLiteral("models")), 1);
    QCOMPARE(test::fileDigest(m_other), digest);

    // The merged runs' results are those of the other project.
    const auto mine = runCli({QStringLiteral("runs"), m_path, QStringLiteral("--json")});
    const auto theirs = runCli({QStringLiteral("runs"), m_other, QStringLiteral("--json")});
    QVERIFY2(mine.exitCode == 0 && theirs.exitCode == 0, qPrintable(mine.err + theirs.err));
    const QJsonArray a = QJsonDocument::fromJson(mine.out.toUtf8()).array();
    const QJsonArray b = QJsonDocument::fromJson(theirs.out.toUtf8()).array();
    QCOMPARE(a.size(), 2);
    for (int i = 0; i < a.size(); ++i)
        QCOMPARE(a[i].toObject().value(QStringLiteral("final")), b[i].toObject().value(QStringLiteral("final")));
    const auto check = runCli({QStringLiteral("info"), m_path, QStringLiteral("--check")});
    QVERIFY2(check.exitCode == 0, qPrintable(check.err + check.out));
}

void TestCliMerge::runsSubset()
{
    const auto r = runCli({QStringLiteral("merge"), m_path, QStringLiteral("--from"), m_other, QStringLiteral("--runs"),
                           QStringLiteral("2")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QLatin1String("merged 1 run(s)")) && r.out.contains(QLatin1String(": 2 -> 1")), qPrintable(r.out));
    QCOMPARE(count(QStringLiteral("runs")), 1);
    QCOMPARE(count(QStringLiteral("metrics")), 3);
    const auto missing = runCli({QStringLiteral("merge"), m_path, QStringLiteral("--from"), m_other, QStringLiteral("--runs"),
                                 QStringLiteral("5")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.startsWith(QLatin1String("error: ")) && missing.err.contains(QLatin1String("has no run 5")),
             qPrintable(missing.err));
}

void TestCliMerge::clashChoices()
{
    {
        auto mine = Project::open(m_path);
        QVERIFY(mine);
        test::MergeFixture(*mine.value()).corpus(QStringLiteral("video"), QStringLiteral(" of mine"));
    }
    const QStringList merge = {QStringLiteral("merge"), m_path, QStringLiteral("--from"), m_other};
    const auto failed = runCli(merge);
    QCOMPARE(failed.exitCode, 1);
    for (const char *part : {"corpus video (used by runs 1, 2)", "on-clash rename", "\"video (2)\"", "on-clash skip"})
        QVERIFY2(failed.err.contains(QLatin1String(part)), qPrintable(failed.err));
    QCOMPARE(count(QStringLiteral("runs")), 0);

    const auto skipped = runCli(merge + QStringList{QStringLiteral("--on-clash"), QStringLiteral("skip")});
    QVERIFY2(skipped.exitCode == 0, qPrintable(skipped.err));
    QVERIFY2(skipped.out.contains(QLatin1String("left out (name clash): run(s) 1, 2")), qPrintable(skipped.out));
    QCOMPARE(count(QStringLiteral("runs")), 0);

    const auto renamed = runCli(merge + QStringList{QStringLiteral("--on-clash"), QStringLiteral("rename")});
    QVERIFY2(renamed.exitCode == 0, qPrintable(renamed.err));
    QVERIFY2(renamed.out.contains(QLatin1String("renamed: corpus video as video (2)")), qPrintable(renamed.out));
    QCOMPARE(count(QStringLiteral("runs")), 2);
    QCOMPARE(count(QStringLiteral("corpora")), 3);
}

void TestCliMerge::usageErrors()
{
    const auto noFrom = runCli({QStringLiteral("merge"), m_path});
    QCOMPARE(noFrom.exitCode, 2);
    QVERIFY(noFrom.err.contains(QLatin1String("--from")));
    const auto badChoice = runCli({QStringLiteral("merge"), m_path, QStringLiteral("--from"), m_other,
                                   QStringLiteral("--on-clash"), QStringLiteral("merge")});
    QCOMPARE(badChoice.exitCode, 2);
    QVERIFY(badChoice.err.contains(QLatin1String("--on-clash")));
    const auto badRuns = runCli({QStringLiteral("merge"), m_path, QStringLiteral("--from"), m_other,
                                 QStringLiteral("--runs"), QStringLiteral("x")});
    QCOMPARE(badRuns.exitCode, 2);
    const auto itself = runCli({QStringLiteral("merge"), m_path, QStringLiteral("--from"), m_path});
    QCOMPARE(itself.exitCode, 1);
    QVERIFY(itself.err.contains(QLatin1String("the project itself")));
}

QTEST_GUILESS_MAIN(TestCliMerge)
#include "tst_climerge.moc"
