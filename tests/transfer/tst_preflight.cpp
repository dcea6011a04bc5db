// The checks a run must pass before it is recorded or trains (Preflight), one test per
// precondition, and the option schema's checks (StrategyOption): NaN, infinities, ranges, flags.
#include "ModelVariants.h"

#include "corpus/CorpusStore.h"
#include "corpus/SampleCorpora.h"
#include "model/BuiltinModels.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "transfer/Preflight.h"
#include "transfer/StrategyRegistry.h"
#include "transfer/TransferRunner.h"

#include <QJsonDocument>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace ts;

namespace {

/// The registry's plain fine-tuning strategy.
QString fineTuning()
{
    for (const StrategyDescriptor &d : StrategyRegistry::all()) {
        if (d.baseline == StrategyDescriptor::Baseline::FineTuning)
            return d.name;
    }
    return {};
}

/// A request that passes every check: books -> electronics on the tiny model.
RunRequest goodRequest(const QString &strategy = fineTuning())
{
    RunRequest request;
    request.sourceCorpus = QStringLiteral("books");
    request.targetCorpus = QStringLiteral("electronics");
    request.model = QStringLiteral("tiny");
    request.config.strategy = strategy;
    request.config.maxLength = 32;
    return request;
}

QString joined(const QStringList &problems)
{
    return problems.join(QLatin1Char('\n'));
}

} // namespace

class TestPreflight : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void goodRequestPasses();
    void unknownCorporaAndModel();
    void sourceNeedsTwoClasses();
    void unlabelledTargetTextWhereNeeded();
    void fewShotNeedsTargetLabels();
    void maxLengthAgainstPositions();
    void tokenizerIdsBeyondEmbeddingTable();
    void nonFiniteWeights();
    void optionsAreChecked();
    void optionSchemaRefusesNanInfinityAndRange();
    void flagsAcceptOnlyBooleanWords();
    void createRunRefusesBadOptions();
    void executeFailsWithThePreflightMessage();

private:
    QStringList check(const RunRequest &request) const { return Preflight::check(m_project->database(), request); }

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Project> m_project;
};

void TestPreflight::initTestCase()
{
    m_path = m_dir.filePath(QStringLiteral("preflight.tstudio"));
    auto project = Project::create(m_path);
    QVERIFY2(project.ok(), qPrintable(project.error()));
    m_project = std::move(project.value());
    for (const QString &domain : {QStringLiteral("books"), QStringLiteral("electronics")})
        QVERIFY(SampleCorpora::importDomain(*m_project, domain).ok());
    QVERIFY(CorpusStore::ensure(m_project->database(), QStringLiteral("empty")).ok());
    const auto id = BuiltinModels::addToProject(m_project->database(), QStringLiteral("tiny-encoder"),
                                                QStringLiteral("tiny"), {QStringLiteral("books")}, {});
    QVERIFY2(id.ok(), qPrintable(id.error()));
}

void TestPreflight::goodRequestPasses()
{
    for (const StrategyDescriptor &d : StrategyRegistry::all())
        QVERIFY2(check(goodRequest(d.name)).isEmpty(), qPrintable(d.name + QStringLiteral(": ") + joined(check(goodRequest(d.name)))));
}

void TestPreflight::unknownCorporaAndModel()
{
    RunRequest request = goodRequest();
    request.sourceCorpus = QStringLiteral("nowhere");
    request.targetCorpus = QStringLiteral("elsewhere");
    request.model = QStringLiteral("nobody");
    const QString problems = joined(check(request));
    QVERIFY2(problems.contains(QLatin1String("source corpus \"nowhere\" does not exist")), qPrintable(problems));
    QVERIFY2(problems.contains(QLatin1String("target corpus \"elsewhere\" does not exist")), qPrintable(problems));
    QVERIFY2(problems.contains(QLatin1String("no model called \"nobody\"")), qPrintable(problems));
}

void TestPreflight::sourceNeedsTwoClasses()
{
    for (const StrategyDescriptor &d : StrategyRegistry::all()) {
        RunRequest request = goodRequest(d.name);
        request.sourceCorpus = QStringLiteral("empty");
        const QString problems = joined(check(request));
        QCOMPARE(problems.contains(QLatin1String("source corpus \"empty\" has 0 labelled classes")), d.needsSourceLabels);
    }
}

void TestPreflight::unlabelledTargetTextWhereNeeded()
{
    int needing = 0;
    for (const StrategyDescriptor &d : StrategyRegistry::all()) {
        RunRequest request = goodRequest(d.name);
        request.targetCorpus = QStringLiteral("empty");
        const QString problems = joined(check(request));
        QCOMPARE(problems.contains(QLatin1String("target corpus \"empty\" has none")), d.needsUnlabelledTarget);
        needing += d.needsUnlabelledTarget ? 1 : 0;
    }
    QVERIFY(needing >= 2);
}

void TestPreflight::fewShotNeedsTargetLabels()
{
    RunRequest request = goodRequest();
    request.targetCorpus = QStringLiteral("empty");
    request.config.targetLabels = 8;
    const QString problems = joined(check(request));
    QVERIFY2(problems.contains(QLatin1String("target corpus \"empty\" has no labelled documents")), qPrintable(problems));
    QVERIFY2(problems.contains(QLatin1String("target_labels")), qPrintable(problems));
}

void TestPreflight::maxLengthAgainstPositions()
{
    const auto model = ModelRegistry::find(m_project->database(), QStringLiteral("tiny"));
    QVERIFY(model.ok());
    const qint64 positions = Preflight::usablePositions(model->config);
    QCOMPARE(positions, qint64(256));
    RunRequest request = goodRequest();
    request.config.maxLength = int(positions);
    QVERIFY(check(request).isEmpty());
    request.config.maxLength = 300;
    const QString problems = joined(check(request));
    QVERIFY2(problems.contains(QLatin1String("max_length (--max-length) is 300, but model \"tiny\" has positions for 256")),
             qPrintable(problems));
}

void TestPreflight::tokenizerIdsBeyondEmbeddingTable()
{
    const auto id = test::addModelVariant(m_project->database(), QStringLiteral("tiny"), QStringLiteral("tiny-short-table"),
                                          [](test::ModelFiles &files) {
                                              test::setConfigField(files, QStringLiteral("vocab_size"), 100);
                                          });
    QVERIFY2(id.ok(), qPrintable(id.error()));
    RunRequest request = goodRequest();
    request.model = QStringLiteral("tiny-short-table");
    const QString problems = joined(check(request));
    QVERIFY2(problems.contains(QLatin1String("model \"tiny-short-table\": its tokenizer has")), qPrintable(problems));
    QVERIFY2(problems.contains(QLatin1String("only 100 rows")), qPrintable(problems));
}

void TestPreflight::nonFiniteWeights()
{
    const auto id = test::addModelVariant(m_project->database(), QStringLiteral("tiny"), QStringLiteral("tiny-nan"),
                                          test::poisonFirstWeight);
    QVERIFY2(id.ok(), qPrintable(id.error()));
    RunRequest request = goodRequest();
    request.model = QStringLiteral("tiny-nan");
    const QString problems = joined(check(request));
    QVERIFY2(problems.contains(QLatin1String("model \"tiny-nan\": tensor")), qPrintable(problems));
    QVERIFY2(problems.contains(QLatin1String("1 NaN or infinite values")), qPrintable(problems));
}

void TestPreflight::optionsAreChecked()
{
    for (const StrategyDescriptor &d : StrategyRegistry::all()) {
        RunRequest request = goodRequest(d.name);
        request.config.options.insert(QStringLiteral("no_such_option"), 1);
        QVERIFY(joined(check(request)).contains(QLatin1String("has no option \"no_such_option\"")));
        for (const StrategyOption &o : d.options) {
            if (o.kind != StrategyOption::Kind::Real && o.kind != StrategyOption::Kind::Integer)
                continue;
            request = goodRequest(d.name);
            request.config.options.insert(o.name, o.maximum + 1);
            const QString problems = joined(check(request));
            QVERIFY2(problems.contains(QStringLiteral("option \"%1\"").arg(o.name)), qPrintable(problems));
            QVERIFY2(problems.contains(o.allowed()), qPrintable(problems));
        }
    }
    RunRequest request = goodRequest(QStringLiteral("nonsense"));
    QVERIFY(joined(check(request)).contains(QLatin1String("unknown strategy \"nonsense\"")));
    request = goodRequest();
    request.config.learningRate = std::numeric_limits<double>::quiet_NaN();
    QVERIFY(joined(check(request)).contains(QLatin1String("\"learning_rate\"")));
}

void TestPreflight::optionSchemaRefusesNanInfinityAndRange()
{
    StrategyOption real{QStringLiteral("weight"), {}, StrategyOption::Kind::Real, 1.0, 0.0, 100, {}, {}};
    for (const char *text : {"nan", "NaN", "inf", "-inf", "infinity", "101", "-0.5", "1e300", "abc", ""}) {
        const auto value = real.parse(QLatin1String(text));
        QVERIFY2(!value.ok(), text);
        QVERIFY2(value.error().contains(QLatin1String("option \"weight\"")), qPrintable(value.error()));
        QVERIFY2(value.error().contains(QLatin1String("from 0 to 100")), qPrintable(value.error()));
    }
    QCOMPARE(real.parse(QStringLiteral("0.5")).value().toDouble(), 0.5);
    QVERIFY(!real.check(QJsonValue(std::numeric_limits<double>::quiet_NaN())).ok());
    QVERIFY(!real.check(QJsonValue(std::numeric_limits<double>::infinity())).ok());
    QVERIFY(!real.check(QJsonValue(QStringLiteral("1"))).ok());
    StrategyOption whole{QStringLiteral("rank"), {}, StrategyOption::Kind::Integer, 8, 1, 1024, {}, {}};
    QVERIFY(!whole.parse(QStringLiteral("2.5")).ok());
    QVERIFY(whole.parse(QStringLiteral("2.5")).error().contains(QLatin1String("a whole number from 1 to 1024")));
    QCOMPARE(whole.parse(QStringLiteral("4")).value().toInt(), 4);
    StrategyOption choice{QStringLiteral("sampling"), {}, StrategyOption::Kind::Choice, QStringLiteral("size"), 0, 0,
                          {QStringLiteral("size"), QStringLiteral("temperature")}, {}};
    QVERIFY(!choice.parse(QStringLiteral("random")).ok());
    QVERIFY(choice.parse(QStringLiteral("temperature")).ok());
}

void TestPreflight::flagsAcceptOnlyBooleanWords()
{
    StrategyOption flag{QStringLiteral("freeze_embeddings"), {}, StrategyOption::Kind::Flag, true, 0, 0, {}, {}};
    for (const char *yes : {"true", "1", "yes", "YES"})
        QCOMPARE(flag.parse(QLatin1String(yes)).value().toBool(), true);
    for (const char *no : {"false", "0", "no"})
        QCOMPARE(flag.parse(QLatin1String(no)).value().toBool(), false);
    const auto maybe = flag.parse(QStringLiteral("maybe"));
    QVERIFY(!maybe.ok());
    QVERIFY2(maybe.error().contains(QLatin1String("option \"freeze_embeddings\": \"maybe\"")), qPrintable(maybe.error()));
    QVERIFY(!flag.check(QJsonValue(1)).ok());
}

void TestPreflight::createRunRefusesBadOptions()
{
    RunRequest request = goodRequest();
    const StrategyDescriptor *withNumber = nullptr;
    for (const StrategyDescriptor &d : StrategyRegistry::all()) {
        for (const StrategyOption &o : d.options) {
            if (!withNumber && o.kind == StrategyOption::Kind::Real)
                withNumber = &d;
        }
    }
    QVERIFY(withNumber);
    request.config.strategy = withNumber->name;
    const StrategyOption *option = nullptr;
    for (const StrategyOption &o : withNumber->options) {
        if (!option && o.kind == StrategyOption::Kind::Real)
            option = &o;
    }
    request.config.options.insert(option->name, std::numeric_limits<double>::quiet_NaN());
    const auto id = TransferRunner::createRun(m_project->database(), request);
    QVERIFY(!id.ok());
    QVERIFY2(id.error().contains(QStringLiteral("option \"%1\"").arg(option->name)), qPrintable(id.error()));
}

void TestPreflight::executeFailsWithThePreflightMessage()
{
    // Recorded while it could run; then its settings (as an older version might have stored them)
    // no longer pass: execution fails with the check's message before anything trains.
    const auto id = TransferRunner::createRun(m_project->database(), goodRequest());
    QVERIFY2(id.ok(), qPrintable(id.error()));
    RunStore store(m_project->database());
    QJsonObject config = QJsonDocument::fromJson(store.load(id.value())->configJson.toUtf8()).object();
    config.insert(QStringLiteral("max_length"), 300);
    QSqlQuery q(m_project->database());
    q.prepare(QStringLiteral("UPDATE runs SET config_json = ? WHERE id = ?"));
    q.addBindValue(QString::fromUtf8(QJsonDocument(config).toJson(QJsonDocument::Compact)));
    q.addBindValue(id.value());
    QVERIFY(q.exec());
    const Status s = TransferRunner::execute(m_path, id.value(), {});
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QLatin1String("cannot start: max_length (--max-length) is 300")), qPrintable(s.error()));
    const auto run = store.load(id.value());
    QCOMPARE(run->status, RunRecord::Status::Failed);
    QVERIFY(run->errorText.contains(QLatin1String("max_length")));
    QVERIFY(store.metrics(id.value())->isEmpty());
}

QTEST_GUILESS_MAIN(TestPreflight)
#include "tst_preflight.moc"
