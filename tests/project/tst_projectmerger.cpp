// ProjectMerger: runs copied with their corpora, models, groups and results, ids remapped; corpora and
// models reused by content, never duplicated; runs merged twice recognised; clashes; cancel; busy.
#include "MergeFixture.h"
#include "ProjectFixture.h"
#include "TempProject.h"

#include "project/PredictionStore.h"
#include "project/Project.h"
#include "project/ProjectMerger.h"
#include "project/RunSummary.h"

#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace ts;

namespace {

const QString kBaseline = QStringLiteral("source-only");

/// A run's result without what differs between projects: ids and the settings key, which names them.
QJsonObject comparable(const RunSummary &summary)
{
    QJsonObject json = summary.toJson();
    for (const char *key : {"id", "group", "settings_key", "baseline"})
        json.remove(QLatin1String(key));
    return json;
}

} // namespace

class TestProjectMerger : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void mergeCopiesRunsWithWhatTheyOwn();
    void mergeTwiceDuplicatesNothing();
    void subsetThenRestJoinsTheGroup();
    void sameGroupFromAnotherProjectIsJoined();
    void sameContentUnderAnotherNameIsReused();
    void clashFails();
    void clashRenames();
    void clashSkips();
    void cancelLeavesDestinationUnchanged();
    void refusals();
    void trainingDestinationIsRefused();
    void columnsAreCopiedByName();
    void busyDestinationIsExplained();

private:
    qint64 count(const QString &table, const QString &where = QString()) const;
    Result<MergeReport> merge(const MergeParams &params = {});

    std::unique_ptr<test::TempFolder> m_dir;
    QString m_sourcePath;
    QByteArray m_sourceDigest;
    QList<qint64> m_sourceRuns; // 1, 2: music -> video in group "seeds"; 3: video -> video
    std::unique_ptr<Project> m_dest;
};

void TestProjectMerger::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    m_sourcePath = m_dir->path(QStringLiteral("other.tstudio"));
    {
        auto source = Project::create(m_sourcePath);
        QVERIFY2(source, qPrintable(source.error()));
        test::MergeFixture rows(*source.value());
        const qint64 music = rows.corpus(QStringLiteral("music"));
        const qint64 video = rows.corpus(QStringLiteral("video"));
        const qint64 model = rows.model(QStringLiteral("tiny"));
        const qint64 group = rows.group(QStringLiteral("seeds"));
        m_sourceRuns = {rows.run(music, video, model, 1, group), rows.run(music, video, model, 2, group),
                        rows.run(video, video, model, 3)};
    }
    m_sourceDigest = test::fileDigest(m_sourcePath);
    auto dest = Project::create(m_dir->path(QStringLiteral("mine.tstudio")));
    QVERIFY2(dest, qPrintable(dest.error()));
    m_dest = std::move(dest.value());
}

void TestProjectMerger::cleanup()
{
    m_dest.reset();
    m_dir.reset();
}

qint64 TestProjectMerger::count(const QString &table, const QString &where) const
{
    return test::ProjectFixture(*m_dest).count(table, where);
}

Result<MergeReport> TestProjectMerger::merge(const MergeParams &params)
{
    return ProjectMerger::merge(*m_dest, m_sourcePath, params);
}

void TestProjectMerger::mergeCopiesRunsWithWhatTheyOwn()
{
    // Something already here, so that ids differ between the two projects.
    test::MergeFixture here(*m_dest);
    here.corpus(QStringLiteral("books"));
    here.run(1, 1, here.model(QStringLiteral("other"), "other bytes"), 7);

    QList<qint64> progress;
    MergeParams params;
    params.progress = [&](qint64 done, qint64 total) { progress << done << total; };
    const auto report = merge(params);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->copied.size(), 3);
    QCOMPARE(report->corporaCopied, (QStringList{QStringLiteral("music"), QStringLiteral("video")}));
    QCOMPARE(report->modelsCopied, QStringList{QStringLiteral("tiny")});
    QVERIFY(report->present.isEmpty());
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.at(progress.size() - 2), progress.last()); // the last report: all rows done

    QCOMPARE(count(QStringLiteral("runs")), 4);
    QCOMPARE(count(QStringLiteral("corpora")), 3);
    QCOMPARE(count(QStringLiteral("documents")), 12);
    QCOMPARE(count(QStringLiteral("imports")), 3);
    QCOMPARE(count(QStringLiteral("models")), 2);
    QCOMPARE(count(QStringLiteral("run_groups")), 1);
    QCOMPARE(count(QStringLiteral("metrics")), 12);
    QCOMPARE(count(QStringLiteral("predictions")), 8);
    QCOMPARE(count(QStringLiteral("artifacts")), 6);
    QCOMPARE(count(QStringLiteral("artifact_chunks")), 5 * 3); // the model here is stored inline
    QCOMPARE(count(QStringLiteral("labels")), 2);
    QCOMPARE(test::ProjectFixture(*m_dest).integrity(), QStringLiteral("ok"));
    QCOMPARE(test::fileDigest(m_sourcePath), m_sourceDigest);

    auto source = Project::open(m_sourcePath, Project::Access::ReadOnly);
    QVERIFY2(source, qPrintable(source.error()));
    for (const auto &[there, here] : report->copied) {
        const auto before = RunSummary::load(source.value()->database(), there, kBaseline);
        const auto after = RunSummary::load(m_dest->database(), here, kBaseline);
        QVERIFY2(before && after, qPrintable(before ? after.error() : before.error()));
        QVERIFY(before->target.isValid());
        QCOMPARE(comparable(after.value()), comparable(before.value()));
        // Predictions point at the copied documents.
        const auto predicted = PredictionStore(m_dest->database()).load(here, QStringLiteral("target/test"));
        QVERIFY(predicted && predicted->examples() == 2);
        const auto texts = PredictionStore(m_dest->database()).documentTexts({predicted->predictions[0].documentId});
        QVERIFY(texts && texts->first().endsWith(QLatin1String("test neg text")));
    }
    QCOMPARE(count(QStringLiteral("runs"), QStringLiteral("id > 1 AND group_id IS NOT NULL")), 2);
}

void TestProjectMerger::mergeTwiceDuplicatesNothing()
{
    const auto first = merge();
    QVERIFY2(first, qPrintable(first.error()));
    const auto second = merge();
    QVERIFY2(second, qPrintable(second.error()));
    QVERIFY(second->copied.isEmpty());
    QCOMPARE(second->present, first->copied);
    QVERIFY(second->corporaCopied.isEmpty() && second->modelsCopied.isEmpty());
    QCOMPARE(count(QStringLiteral("runs")), 3);
    QCOMPARE(count(QStringLiteral("corpora")), 2);
    QCOMPARE(count(QStringLiteral("models")), 1);
    QCOMPARE(count(QStringLiteral("artifacts")), 4);
    const auto plan = ProjectMerger::plan(*m_dest, m_sourcePath, {});
    QVERIFY2(plan, qPrintable(plan.error()));
    QVERIFY(plan->runs.isEmpty());
    QCOMPARE(plan->present.size(), 3);
}

void TestProjectMerger::subsetThenRestJoinsTheGroup()
{
    MergeParams params;
    params.runs = {2};
    const auto first = merge(params);
    QVERIFY2(first, qPrintable(first.error()));
    QCOMPARE(first->copied.size(), 1);
    QCOMPARE(first->copied.first().first, 2);
    QCOMPARE(count(QStringLiteral("corpora")), 2);
    QCOMPARE(count(QStringLiteral("metrics")), 3);
    QCOMPARE(count(QStringLiteral("run_groups")), 1);

    const auto rest = merge();
    QVERIFY2(rest, qPrintable(rest.error()));
    QCOMPARE(rest->copied.size(), 2);
    QCOMPARE(rest->present.size(), 1);
    QCOMPARE(count(QStringLiteral("runs")), 3);
    QCOMPARE(count(QStringLiteral("corpora")), 2);
    QCOMPARE(count(QStringLiteral("models")), 1);
    QCOMPARE(count(QStringLiteral("run_groups")), 1);
    QCOMPARE(count(QStringLiteral("runs"), QStringLiteral("group_id IS NOT NULL")), 2);
    QCOMPARE(test::ProjectFixture(*m_dest).integrity(), QStringLiteral("ok"));
}

// Two projects that recorded the same group (name, kind, creation time), as the cells of a Slurm
// benchmark job do: merged one after the other, their runs form one group; a group that differs
// in its creation time stays another.
void TestProjectMerger::sameGroupFromAnotherProjectIsJoined()
{
    const QString cellPath = m_dir->path(QStringLiteral("cell.tstudio"));
    {
        auto cell = Project::create(cellPath);
        QVERIFY2(cell, qPrintable(cell.error()));
        test::MergeFixture rows(*cell.value());
        const qint64 music = rows.corpus(QStringLiteral("music"));
        const qint64 video = rows.corpus(QStringLiteral("video"));
        const qint64 model = rows.model(QStringLiteral("tiny"));
        rows.run(music, video, model, 4, rows.group(QStringLiteral("seeds")));
        const qint64 later = rows.group(QStringLiteral("seeds"));
        rows.exec(QStringLiteral("UPDATE run_groups SET created_at = 'later' WHERE id = ?"), {later});
        rows.run(music, video, model, 5, later);
    }
    const auto first = merge();
    QVERIFY2(first, qPrintable(first.error()));
    const auto second = ProjectMerger::merge(*m_dest, cellPath, {});
    QVERIFY2(second, qPrintable(second.error()));
    QCOMPARE(second->copied.size(), 2);
    QCOMPARE(count(QStringLiteral("run_groups")), 2);
    QCOMPARE(count(QStringLiteral("runs"), QStringLiteral("group_id = (SELECT id FROM run_groups WHERE created_at = 'then')")), 3);
    QCOMPARE(count(QStringLiteral("runs"), QStringLiteral("group_id = (SELECT id FROM run_groups WHERE created_at = 'later')")), 1);
    QCOMPARE(test::ProjectFixture(*m_dest).integrity(), QStringLiteral("ok"));
}

void TestProjectMerger::sameContentUnderAnotherNameIsReused()
{
    test::MergeFixture here(*m_dest);
    // The same documents as the other project's music; its name differs in the texts, so rename after.
    const qint64 copy = here.corpus(QStringLiteral("music"));
    here.exec(QStringLiteral("UPDATE corpora SET name = 'my music' WHERE id = ?"), {copy});
    here.model(QStringLiteral("my tiny"));
    const auto report = merge();
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->corporaReused, QStringList{QStringLiteral("my music")});
    QCOMPARE(report->modelsReused, QStringList{QStringLiteral("my tiny")});
    QCOMPARE(count(QStringLiteral("corpora")), 2);
    QCOMPARE(count(QStringLiteral("models")), 1);
    QCOMPARE(count(QStringLiteral("runs"), QStringLiteral("source_corpus_id = %1").arg(copy)), 2);
}

void TestProjectMerger::clashFails()
{
    test::MergeFixture(*m_dest).corpus(QStringLiteral("music"), QStringLiteral(" of mine"));
    const auto plan = ProjectMerger::plan(*m_dest, m_sourcePath, {});
    QVERIFY2(plan, qPrintable(plan.error()));
    QCOMPARE(plan->clashes.size(), 1);
    QCOMPARE(plan->clashes.first().kind, QStringLiteral("corpus"));
    QCOMPARE(plan->clashes.first().renamed, QStringLiteral("music (2)"));
    QCOMPARE(plan->clashes.first().runs, (QList<qint64>{1, 2}));

    const auto report = merge();
    QVERIFY(!report);
    for (const char *part : {"corpus music (used by runs 1, 2)", "on-clash rename", "\"music (2)\"", "on-clash skip", "leaves out runs 1, 2"})
        QVERIFY2(report.error().contains(QLatin1String(part)), qPrintable(report.error()));
    QCOMPARE(count(QStringLiteral("runs")), 0);
    QCOMPARE(count(QStringLiteral("corpora")), 1);
}

void TestProjectMerger::clashRenames()
{
    test::MergeFixture(*m_dest).corpus(QStringLiteral("music"), QStringLiteral(" of mine"));
    test::MergeFixture(*m_dest).model(QStringLiteral("tiny"), "other weights");
    MergeParams params;
    params.onClash = MergeClashChoice::Rename;
    const auto report = merge(params);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->copied.size(), 3);
    QCOMPARE(report->renamed, (QStringList{QStringLiteral("corpus music as music (2)"), QStringLiteral("model tiny as tiny (2)")}));
    QCOMPARE(count(QStringLiteral("corpora"), QStringLiteral("name = 'music (2)'")), 1);
    QCOMPARE(count(QStringLiteral("models"), QStringLiteral("name = 'tiny (2)'")), 1);
    QCOMPARE(count(QStringLiteral("runs"), QStringLiteral("model_id = (SELECT id FROM models WHERE name = 'tiny (2)')")), 3);

    // Merged again: the renamed copies hold the same content and are reused.
    const auto again = merge(params);
    QVERIFY2(again, qPrintable(again.error()));
    QVERIFY(again->copied.isEmpty());
    QCOMPARE(count(QStringLiteral("corpora")), 3);
    QCOMPARE(count(QStringLiteral("models")), 2);
}

void TestProjectMerger::clashSkips()
{
    test::MergeFixture(*m_dest).corpus(QStringLiteral("music"), QStringLiteral(" of mine"));
    MergeParams params;
    params.onClash = MergeClashChoice::Skip;
    const auto report = merge(params);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->skipped, (QList<qint64>{1, 2}));
    QCOMPARE(report->copied.size(), 1);
    QCOMPARE(report->copied.first().first, 3);
    QCOMPARE(report->corporaCopied, QStringList{QStringLiteral("video")});
    QCOMPARE(count(QStringLiteral("corpora")), 2);
    QCOMPARE(count(QStringLiteral("run_groups")), 0);
    QCOMPARE(count(QStringLiteral("documents")), 8);
}

void TestProjectMerger::cancelLeavesDestinationUnchanged()
{
    int polls = 0;
    MergeParams params;
    params.cancelled = [&] { return ++polls > 1; }; // the second poll comes after the first row is written
    const auto report = merge(params);
    QVERIFY(!report);
    QVERIFY2(report.error().contains(QLatin1String("cancelled")), qPrintable(report.error()));
    QVERIFY(polls > 1);
    for (const char *table : {"runs", "corpora", "documents", "models", "artifacts", "labels"})
        QCOMPARE(count(QLatin1String(table)), 0);
    QCOMPARE(test::ProjectFixture(*m_dest).integrity(), QStringLiteral("ok"));
    QVERIFY(merge());
}

void TestProjectMerger::refusals()
{
    const auto itself = ProjectMerger::merge(*m_dest, m_dest->path());
    QVERIFY(!itself && itself.error().contains(QLatin1String("the project itself")));

    MergeParams params;
    params.runs = {9};
    const auto missing = merge(params);
    QVERIFY2(!missing && missing.error().contains(QLatin1String("has no run 9")), qPrintable(missing.error()));

    {
        auto source = Project::open(m_sourcePath);
        QVERIFY(source);
        test::MergeFixture(*source.value()).exec(QStringLiteral("UPDATE runs SET status = 'running' WHERE id = 2"), {});
    }
    const auto running = merge();
    QVERIFY2(!running && running.error().contains(QLatin1String("run 2 of")) && running.error().contains(QLatin1String("is running")),
             qPrintable(running.error()));
    params.runs = {1, 3};
    QVERIFY(merge(params));
    QCOMPARE(count(QStringLiteral("runs")), 2);

    // Another format: refused, naming it, and the other project is left as it was.
    for (const char *version : {"5", "99"}) {
        {
            // Straight through SQLite: Project::open would upgrade or refuse the file.
            QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            raw.setDatabaseName(m_sourcePath);
            QVERIFY(raw.open());
            QSqlQuery q(raw);
            QVERIFY(q.exec(QStringLiteral("UPDATE meta SET value = '%1' WHERE key = 'schema_version'").arg(QLatin1String(version))));
            q.finish();
            raw.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
        const QByteArray digest = test::fileDigest(m_sourcePath);
        const auto other = merge(params);
        QVERIFY(!other);
        QVERIFY2(other.error().contains(QLatin1String(version[0] == '5' ? "older project format 5" : "newer Transfer Studio")),
                 qPrintable(other.error()));
        QCOMPARE(test::fileDigest(m_sourcePath), digest);
    }
}

void TestProjectMerger::trainingDestinationIsRefused()
{
    test::MergeFixture here(*m_dest);
    const qint64 run = here.run(here.corpus(QStringLiteral("books")), 1, here.model(QStringLiteral("other"), "x"), 9);
    here.exec(QStringLiteral("UPDATE runs SET status = 'running' WHERE id = ?"), {run});
    MergeParams params;
    const auto refused = merge(params);
    QVERIFY(!refused);
    QVERIFY2(refused.error().contains(QLatin1String("run 1 is training in")), qPrintable(refused.error()));
    QCOMPARE(count(QStringLiteral("runs")), 1);
    params.runIsLive = [](qint64) { return false; }; // its process died
    QVERIFY(merge(params));
    QCOMPARE(count(QStringLiteral("runs")), 4);
}

void TestProjectMerger::columnsAreCopiedByName()
{
    // Another version's columns: one only here takes its default, one only there is left behind.
    {
        QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        raw.setDatabaseName(m_sourcePath);
        QVERIFY(raw.open());
        QSqlQuery q(raw);
        QVERIFY(q.exec(QStringLiteral("ALTER TABLE artifacts ADD COLUMN only_there INTEGER NOT NULL DEFAULT 5")));
        q.finish();
        raw.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    test::MergeFixture here(*m_dest);
    here.exec(QStringLiteral("ALTER TABLE artifacts ADD COLUMN only_here TEXT NOT NULL DEFAULT 'kept'"), {});
    const auto report = merge();
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(count(QStringLiteral("artifacts"), QStringLiteral("only_here = 'kept'")), 4);
    QCOMPARE(count(QStringLiteral("artifact_chunks")), 4 * 3);

    // A table merging does not know that refers to a run would be left behind: refused.
    here.exec(QStringLiteral("CREATE TABLE run_notes(run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE, note TEXT)"), {});
    const auto refused = merge();
    QVERIFY(!refused);
    QVERIFY2(refused.error().contains(QLatin1String("table run_notes refers to runs")), qPrintable(refused.error()));
}

void TestProjectMerger::busyDestinationIsExplained()
{
    auto other = Project::open(m_dest->path());
    QVERIFY(other);
    QSqlQuery lock(other.value()->database());
    QVERIFY(lock.exec(QStringLiteral("BEGIN IMMEDIATE")));
    const auto report = merge();
    QVERIFY(!report);
    QVERIFY2(report.error().contains(QLatin1String("is being changed by another program")), qPrintable(report.error()));
    QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
    QVERIFY(merge());
}

QTEST_GUILESS_MAIN(TestProjectMerger)
#include "tst_projectmerger.moc"
