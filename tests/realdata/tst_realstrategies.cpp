// Every transfer strategy from the CLI on two real FDU-MTL domains (music -> video) with built-in
// models on the CPU, as a user would run them: each run must finish and record source and target
// metrics; a few-shot label-budget sweep and a multi-seed repeat must form groups of runs.
// Runs are capped (examples, length, one epoch) so that the whole matrix stays within minutes: this
// checks that everything runs and is recorded, not how well a from-scratch model learns.
// Skips when the data folder is absent.
#include "CliRunner.h"
#include "TempProject.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ts;
using test::runCli;

namespace {

constexpr int kRunTimeoutMs = 20 * 60 * 1000;

const QStringList kQuickRun = {QStringLiteral("--epochs"),    QStringLiteral("1"),   QStringLiteral("--max-train"),
                               QStringLiteral("300"),         QStringLiteral("--max-eval"), QStringLiteral("100"),
                               QStringLiteral("--max-length"), QStringLiteral("64"), QStringLiteral("--threads"),
                               QStringLiteral("1")};

} // namespace

class TestRealStrategies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyStrategyRecordsSourceAndTarget_data();
    void everyStrategyRecordsSourceAndTarget();
    void continuedPretrainingTracksBothPerplexities();
    void labelBudgetSweepAndSeedsFormGroups();
    void predictOnTheTestFileMatchesStoredPredictions();

private:
    void import(const QString &domain, const QString &part, const QStringList &how);
    QJsonArray runs() const;
    QJsonObject lastRun() const;

    test::TempFolder m_dir;
    QString m_data;
    QString m_project;
};

void TestRealStrategies::initTestCase()
{
    m_data = QStringLiteral(TS_SHARED_DATA_DIR "/fdu-mtl");
    if (!QDir(m_data).exists())
        QSKIP("real corpora not found (TS_SHARED_DATA_DIR)");
    m_project = m_dir.path(QStringLiteral("strategies.tstudio"));
    QCOMPARE(runCli({QStringLiteral("create"), m_project}).exitCode, 0);
    const QStringList tsv = {QStringLiteral("--format"), QStringLiteral("tsv"), QStringLiteral("--no-header"),
                             QStringLiteral("--label-column"), QStringLiteral("0"), QStringLiteral("--text-column"),
                             QStringLiteral("1")};
    for (const QString &domain : {QStringLiteral("music"), QStringLiteral("video"), QStringLiteral("apparel")}) {
        import(domain, QStringLiteral("train"), tsv + QStringList{QStringLiteral("--split"), QStringLiteral("0.9,0.1,0")});
        import(domain, QStringLiteral("test"), tsv + QStringList{QStringLiteral("--split-name"), QStringLiteral("test")});
        import(domain, QStringLiteral("unlabel"), {QStringLiteral("--format"), QStringLiteral("txt"), QStringLiteral("--unlabeled")});
    }
    for (const QString &builtin : {QStringLiteral("tiny-encoder"), QStringLiteral("tiny-decoder")}) {
        const auto added = runCli({QStringLiteral("add-model"), m_project, QStringLiteral("--builtin"), builtin,
                                   QStringLiteral("--vocab-corpora"), QStringLiteral("music,video")},
                                  kRunTimeoutMs); // trains the tokenizer on both corpora
        QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    }
}

void TestRealStrategies::import(const QString &domain, const QString &part, const QStringList &how)
{
    const QString file = QStringLiteral("%1/%2.task.%3").arg(m_data, domain, part);
    const auto r = runCli(QStringList{QStringLiteral("import"), m_project, QStringLiteral("--corpus"), domain,
                                      QStringLiteral("--file"), file} + how);
    QVERIFY2(r.exitCode == 0, qPrintable(file + QStringLiteral(": ") + r.err));
}

QJsonArray TestRealStrategies::runs() const
{
    const auto r = runCli({QStringLiteral("runs"), m_project, QStringLiteral("--json")});
    return QJsonDocument::fromJson(r.out.toUtf8()).array();
}

QJsonObject TestRealStrategies::lastRun() const
{
    const QJsonArray all = runs();
    return all.isEmpty() ? QJsonObject() : all.last().toObject();
}

void TestRealStrategies::everyStrategyRecordsSourceAndTarget_data()
{
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("extraMetric"); // recorded on the training split besides loss
    QTest::newRow("zero-shot") << QStringLiteral("zero-shot")
                               << QStringList{QStringLiteral("--set"), QStringLiteral("label_descriptions=0=a bad record|1=a great record")}
                               << QString();
    QTest::newRow("source-only") << QStringLiteral("source-only") << QStringList() << QStringLiteral("lr");
    QTest::newRow("freeze") << QStringLiteral("freeze") << QStringList() << QStringLiteral("lr");
    QTest::newRow("gradual-unfreeze") << QStringLiteral("gradual-unfreeze") << QStringList() << QStringLiteral("lr");
    QTest::newRow("lora") << QStringLiteral("lora") << QStringList{QStringLiteral("--set"), QStringLiteral("rank=4")}
                          << QStringLiteral("lr");
    QTest::newRow("dapt") << QStringLiteral("dapt") << QStringList() << QStringLiteral("lr");
    QTest::newRow("dann") << QStringLiteral("dann") << QStringList() << QStringLiteral("domain_accuracy");
    QTest::newRow("self-training") << QStringLiteral("self-training")
                                   << QStringList{QStringLiteral("--set"), QStringLiteral("confidence=0.6")}
                                   << QStringLiteral("lr");
    QTest::newRow("multitask") << QStringLiteral("multitask")
                               << QStringList{QStringLiteral("--set"), QStringLiteral("extra_corpora=apparel")}
                               << QStringLiteral("lr");
}

void TestRealStrategies::everyStrategyRecordsSourceAndTarget()
{
    QFETCH(QString, strategy);
    QFETCH(QStringList, options);
    QFETCH(QString, extraMetric);
    const auto r = runCli(QStringList{QStringLiteral("run"), m_project, QStringLiteral("--source"), QStringLiteral("music"),
                                      QStringLiteral("--target"), QStringLiteral("video"), QStringLiteral("--model"),
                                      QStringLiteral("tiny-encoder"), QStringLiteral("--strategy"), strategy} +
                              kQuickRun + options,
                          kRunTimeoutMs);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QLatin1String("target test, ")), qPrintable(r.out)); // the result: every test text

    const QJsonObject run = lastRun();
    QCOMPARE(run.value(QLatin1String("strategy")).toString(), strategy);
    QCOMPARE(run.value(QLatin1String("status")).toString(), QStringLiteral("finished"));
    const QJsonObject metrics = run.value(QLatin1String("metrics")).toObject();
    for (const char *split : {"source/validation", "target/validation", "target/test"}) {
        const double accuracy = metrics.value(QLatin1String(split)).toObject().value(QLatin1String("accuracy")).toDouble(-1);
        QVERIFY2(accuracy >= 0.0 && accuracy <= 1.0, split);
    }
    if (extraMetric.isEmpty())
        return;
    const auto csv = runCli({QStringLiteral("metrics"), m_project, QStringLiteral("--run"),
                             QString::number(run.value(QLatin1String("id")).toInteger()), QStringLiteral("--csv")});
    QCOMPARE(csv.exitCode, 0);
    QVERIFY2(csv.out.contains(QStringLiteral(",train,%1,").arg(extraMetric)), qPrintable(extraMetric));
    QVERIFY(csv.out.contains(QLatin1String(",train,loss,")));
}

void TestRealStrategies::continuedPretrainingTracksBothPerplexities()
{
    const auto r = runCli(QStringList{QStringLiteral("run"), m_project, QStringLiteral("--source"), QStringLiteral("music"),
                                      QStringLiteral("--target"), QStringLiteral("video"), QStringLiteral("--model"),
                                      QStringLiteral("tiny-decoder"), QStringLiteral("--strategy"),
                                      QStringLiteral("continued-pretraining")} +
                              kQuickRun,
                          kRunTimeoutMs);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject metrics = lastRun().value(QLatin1String("metrics")).toObject();
    for (const char *split : {"source/validation", "target/validation"}) {
        const double perplexity = metrics.value(QLatin1String(split)).toObject().value(QLatin1String("perplexity")).toDouble(-1);
        QVERIFY2(perplexity > 1.0 && std::isfinite(perplexity), split); // forgetting is read off the source's
    }
}

void TestRealStrategies::labelBudgetSweepAndSeedsFormGroups()
{
    const QStringList base = {QStringLiteral("run"),      m_project,           QStringLiteral("--source"),
                              QStringLiteral("music"),    QStringLiteral("--target"), QStringLiteral("video"),
                              QStringLiteral("--model"),  QStringLiteral("tiny-encoder"), QStringLiteral("--strategy"),
                              QStringLiteral("source-only")};
    const qsizetype before = runs().size();
    const auto sweep = runCli(base + kQuickRun + QStringList{QStringLiteral("--label-budgets"), QStringLiteral("0,8,32")},
                              kRunTimeoutMs);
    QVERIFY2(sweep.exitCode == 0, qPrintable(sweep.err));
    const auto seeds = runCli(base + kQuickRun + QStringList{QStringLiteral("--seeds"), QStringLiteral("2")}, kRunTimeoutMs);
    QVERIFY2(seeds.exitCode == 0, qPrintable(seeds.err));

    const QJsonArray all = runs();
    QCOMPARE(all.size(), before + 5);
    QList<QJsonObject> added;
    for (qsizetype i = before; i < all.size(); ++i)
        added.append(all.at(i).toObject());
    for (const QJsonObject &run : added)
        QCOMPARE(run.value(QLatin1String("status")).toString(), QStringLiteral("finished"));
    const QJsonValue sweepGroup = added.at(0).value(QLatin1String("group"));
    const QJsonValue seedGroup = added.at(3).value(QLatin1String("group"));
    QVERIFY(sweepGroup.toInteger() > 0); // 0: not in a group
    QVERIFY(seedGroup.toInteger() > 0);
    QVERIFY(sweepGroup != seedGroup);
    QCOMPARE(added.at(2).value(QLatin1String("group")), sweepGroup);
    QCOMPARE(added.at(4).value(QLatin1String("group")), seedGroup);
    QCOMPARE(added.at(0).value(QLatin1String("target_labels")).toInt(-1), 0);
    QCOMPARE(added.at(2).value(QLatin1String("target_labels")).toInt(-1), 32);
    QVERIFY(added.at(4).value(QLatin1String("init_seed")) != added.at(3).value(QLatin1String("init_seed")));
}

void TestRealStrategies::predictOnTheTestFileMatchesStoredPredictions()
{
    // A source-only run trained on music: its stored source result is every text of music's test
    // split (music.task.test without the texts the corpus already had).
    const auto trained = runCli(QStringList{QStringLiteral("run"), m_project, QStringLiteral("--source"), QStringLiteral("music"),
                                            QStringLiteral("--target"), QStringLiteral("video"), QStringLiteral("--model"),
                                            QStringLiteral("tiny-encoder"), QStringLiteral("--strategy"),
                                            QStringLiteral("source-only")} +
                                    kQuickRun,
                                kRunTimeoutMs);
    QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
    const QString id = QString::number(lastRun().value(QLatin1String("id")).toInteger());
    const auto stored = runCli({QStringLiteral("predictions"), m_project, QStringLiteral("--run"), id,
                                QStringLiteral("--domain"), QStringLiteral("source"), QStringLiteral("--csv")});
    QCOMPARE(stored.exitCode, 0);
    // The file itself, read as an import reads it: one prediction per line.
    const QString out = m_dir.path(QStringLiteral("music-test.csv"));
    const auto predicted = runCli({QStringLiteral("predict"), m_project, QStringLiteral("--run"), id, QStringLiteral("--file"),
                                   QStringLiteral("%1/music.task.test").arg(m_data), QStringLiteral("--format"),
                                   QStringLiteral("tsv"), QStringLiteral("--no-header"), QStringLiteral("--label-column"),
                                   QStringLiteral("0"), QStringLiteral("--text-column"), QStringLiteral("1"),
                                   QStringLiteral("--out"), out},
                                  kRunTimeoutMs);
    QVERIFY2(predicted.exitCode == 0, qPrintable(predicted.err));
    QFile fileIn(QStringLiteral("%1/music.task.test").arg(m_data));
    QFile csv(out);
    QVERIFY(fileIn.open(QIODevice::ReadOnly) && csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = fileIn.readAll().split('\n');
    QHash<QString, QString> byText; // the file's text -> the label predicted for its line
    const QList<QByteArray> rows = csv.readAll().split('\n');
    for (const QByteArray &row : rows.mid(1)) {
        const QList<QByteArray> cells = row.split(',');
        if (cells.size() < 3)
            continue;
        const QByteArray line = lines.value(cells[0].toInt() - 1);
        byText.insert(QString::fromUtf8(line.mid(line.indexOf('\t') + 1)).trimmed(), QString::fromUtf8(cells[2]));
    }
    QCOMPARE(byText.size() > 390, true);
    // Every stored prediction is the one predict gives for the same text (the CSV's text is the
    // last column, quoted when it holds a comma).
    int compared = 0;
    int disagree = 0;
    for (const QString &row : stored.out.split(QLatin1Char('\n')).mid(1)) {
        const QStringList cells = row.split(QLatin1Char(','));
        if (cells.size() < 8)
            continue;
        QString text = row.section(QLatin1Char(','), 7);
        if (text.startsWith(QLatin1Char('"')))
            text = text.mid(1, text.size() - 2).replace(QStringLiteral("\"\""), QStringLiteral("\""));
        const auto it = byText.constFind(text.trimmed());
        if (it == byText.cend())
            continue;
        ++compared;
        disagree += it.value() != cells[2] ? 1 : 0;
    }
    QVERIFY2(compared >= 380, qPrintable(QString::number(compared)));
    QCOMPARE(disagree, 0);
}

QTEST_GUILESS_MAIN(TestRealStrategies)
#include "tst_realstrategies.moc"
