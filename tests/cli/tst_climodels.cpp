// transfer-studio-cli's model verbs (add-model, models, tokenize, hf-cache), run as a separate
// process exactly as a user runs them, on projects filled with the `import` verb.
#include "CliRunner.h"
#include "TempProject.h"

#include "model/ModelRegistry.h"
#include "project/Project.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace ts;
using test::runCli;

namespace {

const QString kCorpus = QStringLiteral(TS_TEST_DATA_DIR "/tokenizers/trainer-corpus.txt");
const QString kFixture = QStringLiteral(TS_TEST_DATA_DIR "/models/bert");
const QString kTokenizer = QStringLiteral(TS_TEST_DATA_DIR "/tokenizers/bert-uncased.tokenizer.json");

QJsonDocument parse(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8());
}

/// A copy of the BERT fixture with a tokenizer: a Hugging Face folder add-model accepts.
bool makeModelFolder(const QString &dir)
{
    return QDir().mkpath(dir)
        && QFile::copy(kFixture + QStringLiteral("/config.json"), dir + QStringLiteral("/config.json"))
        && QFile::copy(kFixture + QStringLiteral("/model.safetensors"), dir + QStringLiteral("/model.safetensors"))
        && QFile::copy(kTokenizer, dir + QStringLiteral("/tokenizer.json"));
}

} // namespace

class TestCliModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void addBuiltinThenModelsJson();
    void modelsHumanReadable();
    void builtinNeedsText();
    void builtinUnknownCorpusOrName();
    void addHfDir();
    void pickleOnlyFolderRefused();
    void tokenizeJsonAndText();
    void tokenizeUnknownModel();
    void usageErrors_data();
    void usageErrors();
    void hfCacheListsModels();

private:
    QString newProject(bool withTexts);

    std::unique_ptr<test::TempFolder> m_dir;
};

void TestCliModels::init()
{
    m_dir = std::make_unique<test::TempFolder>();
}

QString TestCliModels::newProject(bool withTexts)
{
    const QString path = m_dir->path(QStringLiteral("p.tstudio"));
    if (runCli({QStringLiteral("create"), path}).exitCode != 0)
        return {};
    if (withTexts) {
        const auto imported = runCli({QStringLiteral("import"), path, QStringLiteral("--corpus"), QStringLiteral("books"),
                                      QStringLiteral("--file"), kCorpus, QStringLiteral("--format"), QStringLiteral("txt")});
        if (imported.exitCode != 0)
            return {};
    }
    return path;
}

void TestCliModels::addBuiltinThenModelsJson()
{
    const QString project = newProject(true);
    QVERIFY(!project.isEmpty());
    const auto added = runCli({QStringLiteral("add-model"), project, QStringLiteral("--builtin"),
                               QStringLiteral("tiny-encoder"), QStringLiteral("--seed"), QStringLiteral("5")});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QVERIFY2(added.out.startsWith(QLatin1String("added model \"tiny-encoder\" (id 1): bert")), qPrintable(added.out));

    const auto listed = runCli({QStringLiteral("models"), project, QStringLiteral("--json")});
    QCOMPARE(listed.exitCode, 0);
    const QJsonArray models = parse(listed.out).array();
    QCOMPARE(models.size(), 1);
    const QJsonObject m = models.first().toObject();
    QCOMPARE(m.value("id").toInt(), 1);
    QCOMPARE(m.value("name").toString(), QStringLiteral("tiny-encoder"));
    QCOMPARE(m.value("kind").toString(), QStringLiteral("builtin"));
    QCOMPARE(m.value("architecture").toString(), QStringLiteral("bert"));
    QCOMPARE(m.value("max_length").toInt(), 256);
    QCOMPARE(m.value("location").toString(), QStringLiteral("project"));

    const auto opened = Project::open(project, Project::Access::ReadOnly);
    QVERIFY2(opened, qPrintable(opened.error()));
    const auto record = ModelRegistry::find(opened.value()->database(), QStringLiteral("tiny-encoder"));
    QVERIFY2(record, qPrintable(record.error()));
    QCOMPARE(m.value("parameters").toInteger(), record->config.parameterCount());
    QCOMPARE(m.value("vocab_size").toInteger(), record->config.vocabSize);
    QVERIFY(record->config.vocabSize > 100 && record->config.vocabSize < 8000); // trained on the imported texts
    QCOMPARE(m.value("training_memory_bytes").toInteger(), record->config.trainingMemoryBytes(16, 128, DType::F32));
}

void TestCliModels::modelsHumanReadable()
{
    const QString project = newProject(true);
    QVERIFY(!project.isEmpty());
    QCOMPARE(runCli({QStringLiteral("add-model"), project, QStringLiteral("--builtin"), QStringLiteral("tiny-decoder"),
                     QStringLiteral("--name"), QStringLiteral("dec")}).exitCode, 0);
    const auto listed = runCli({QStringLiteral("models"), project});
    QCOMPARE(listed.exitCode, 0);
    const QStringList lines = listed.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.at(0).contains(QLatin1String("train mem")), qPrintable(lines.at(0)));
    const QStringList cells = lines.at(1).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QCOMPARE(cells.value(1), QStringLiteral("dec"));
    QCOMPARE(cells.value(2), QStringLiteral("builtin"));
    QCOMPARE(cells.value(3), QStringLiteral("llama"));
    QCOMPARE(cells.value(6), QStringLiteral("256"));
    QCOMPARE(cells.value(8), QStringLiteral("MiB"));
    QCOMPARE(cells.value(9), QStringLiteral("project"));
}

void TestCliModels::builtinNeedsText()
{
    const QString project = newProject(false);
    QVERIFY(!project.isEmpty());
    const auto r = runCli({QStringLiteral("add-model"), project, QStringLiteral("--builtin"), QStringLiteral("tiny-encoder")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.err, QStringLiteral("error: the project has no documents to train a tokenizer on; import a corpus first\n"));
}

void TestCliModels::builtinUnknownCorpusOrName()
{
    const QString project = newProject(true);
    QVERIFY(!project.isEmpty());
    const auto corpus = runCli({QStringLiteral("add-model"), project, QStringLiteral("--builtin"), QStringLiteral("tiny-encoder"),
                                QStringLiteral("--vocab-corpora"), QStringLiteral("books,kitchen")});
    QCOMPARE(corpus.exitCode, 1);
    QCOMPARE(corpus.err, QStringLiteral("error: no corpus called \"kitchen\" in the project\n"));
    const auto name = runCli({QStringLiteral("add-model"), project, QStringLiteral("--builtin"), QStringLiteral("huge")});
    QCOMPARE(name.exitCode, 1);
    QVERIFY2(name.err.contains(QLatin1String("tiny-encoder, small-encoder, tiny-decoder")), qPrintable(name.err));
    QCOMPARE(runCli({QStringLiteral("models"), project, QStringLiteral("--json")}).out.trimmed(), QStringLiteral("[\n]"));
}

void TestCliModels::addHfDir()
{
    const QString project = newProject(false);
    QVERIFY(!project.isEmpty());
    const QString folder = m_dir->path(QStringLiteral("tiny-bert"));
    QVERIFY(makeModelFolder(folder));
    const auto added = runCli({QStringLiteral("add-model"), project, QStringLiteral("--hf-dir"), folder});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QVERIFY2(added.out.startsWith(QLatin1String("added model \"tiny-bert\" (id 1): bert")), qPrintable(added.out));
    const QJsonObject m = parse(runCli({QStringLiteral("models"), project, QStringLiteral("--json")}).out).array().first().toObject();
    QCOMPARE(m.value("kind").toString(), QStringLiteral("huggingface"));
    QCOMPARE(m.value("location").toString(), QDir(folder).absolutePath());
    QCOMPARE(m.value("vocab_size").toInt(), 100);
    QCOMPARE(m.value("max_length").toInt(), 64);

    const auto twice = runCli({QStringLiteral("add-model"), project, QStringLiteral("--hf-dir"), folder});
    QCOMPARE(twice.exitCode, 1);
    QCOMPARE(twice.err, QStringLiteral("error: a model called \"tiny-bert\" already exists in the project\n"));
}

void TestCliModels::pickleOnlyFolderRefused()
{
    const QString project = newProject(false);
    QVERIFY(!project.isEmpty());
    const QString folder = m_dir->path(QStringLiteral("pickled"));
    QVERIFY(QDir().mkpath(folder));
    QVERIFY(QFile::copy(kFixture + QStringLiteral("/config.json"), folder + QStringLiteral("/config.json")));
    QFile pickle(folder + QStringLiteral("/pytorch_model.bin"));
    QVERIFY(pickle.open(QIODevice::WriteOnly) && pickle.write("never unpickled") > 0);
    pickle.close();
    const auto r = runCli({QStringLiteral("add-model"), project, QStringLiteral("--hf-dir"), folder});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.startsWith(QLatin1String("error: ")) && r.err.count(QLatin1Char('\n')) == 1, qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("pytorch_model.bin")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("save_pretrained('%1', safe_serialization=True)").arg(QDir(folder).absolutePath())),
             qPrintable(r.err));
}

void TestCliModels::tokenizeJsonAndText()
{
    const QString project = newProject(true);
    QVERIFY(!project.isEmpty());
    QCOMPARE(runCli({QStringLiteral("add-model"), project, QStringLiteral("--builtin"), QStringLiteral("tiny-encoder")}).exitCode, 0);
    const QString text = QStringLiteral("The quick brown fox");
    const auto r = runCli({QStringLiteral("tokenize"), project, QStringLiteral("--model"), QStringLiteral("tiny-encoder"),
                           QStringLiteral("--text"), text, QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject json = parse(r.out).object();
    const QJsonArray ids = json.value("ids").toArray();
    const QJsonArray tokens = json.value("tokens").toArray();
    const QJsonArray offsets = json.value("offsets").toArray();
    QVERIFY(ids.size() >= 4);
    QCOMPARE(tokens.size(), ids.size());
    QCOMPARE(offsets.size(), ids.size());
    QCOMPARE(tokens.first().toString(), QStringLiteral("[CLS]"));
    QCOMPARE(tokens.last().toString(), QStringLiteral("[SEP]"));
    QCOMPARE(tokens.at(1).toString(), QStringLiteral("the")); // lower-cased, a whole word of the corpus
    QCOMPARE(offsets.at(1).toArray(), (QJsonArray{0, 3}));
    QString rebuilt;
    for (int i = 1; i + 1 < offsets.size(); ++i) {
        const QJsonArray span = offsets.at(i).toArray();
        rebuilt += text.mid(span.at(0).toInt(), span.at(1).toInt() - span.at(0).toInt());
    }
    QCOMPARE(rebuilt, QStringLiteral("Thequickbrownfox"));

    const auto plain = runCli({QStringLiteral("tokenize"), project, QStringLiteral("--model"), QStringLiteral("1"),
                               QStringLiteral("--text"), text});
    QCOMPARE(plain.exitCode, 0);
    const QStringList lines = plain.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), ids.size());
    QCOMPARE(lines.at(1).split(QLatin1Char(' '), Qt::SkipEmptyParts),
             (QStringList{QString::number(ids.at(1).toInt()), "the", "0-3", "The"}));
}

void TestCliModels::tokenizeUnknownModel()
{
    const QString project = newProject(false);
    QVERIFY(!project.isEmpty());
    const auto r = runCli({QStringLiteral("tokenize"), project, QStringLiteral("--model"), QStringLiteral("nope"),
                           QStringLiteral("--text"), QStringLiteral("x")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.err, QStringLiteral("error: no model called \"nope\" in the project\n"));
}

void TestCliModels::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("no source") << QStringList{"add-model", "P"} << "one of --hf-dir or --builtin";
    QTest::newRow("two sources") << QStringList{"add-model", "P", "--hf-dir", "d", "--builtin", "tiny-encoder"}
                                 << "one of --hf-dir or --builtin";
    QTest::newRow("seed with folder") << QStringList{"add-model", "P", "--hf-dir", "d", "--seed", "1"}
                                      << "apply to --builtin only";
    QTest::newRow("bad seed") << QStringList{"add-model", "P", "--builtin", "tiny-encoder", "--seed", "x"}
                              << "--seed wants a non-negative integer";
    QTest::newRow("tokenize without text") << QStringList{"tokenize", "P", "--model", "m"} << "--model and --text";
    QTest::newRow("hf-cache positional") << QStringList{"hf-cache", "P"} << "expected 0 argument(s)";
}

void TestCliModels::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const QString project = newProject(false);
    QVERIFY(!project.isEmpty());
    arguments.replaceInStrings(QRegularExpression(QStringLiteral("^P$")), project);
    const auto r = runCli(arguments);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.startsWith(QLatin1String("error: ")) && r.err.contains(message), qPrintable(r.err));
}

void TestCliModels::hfCacheListsModels()
{
    const QString hub = m_dir->path(QStringLiteral("hub"));
    QVERIFY(makeModelFolder(hub + QStringLiteral("/models--acme--tiny-bert/snapshots/0123abcd")));
    QVERIFY(QDir().mkpath(hub + QStringLiteral("/models--acme--unfinished")));
    qputenv("HF_HUB_CACHE", hub.toUtf8()); // inherited by the CLI process
    const auto r = runCli({QStringLiteral("hf-cache"), QStringLiteral("--json")});
    const auto text = runCli({QStringLiteral("hf-cache")});
    qunsetenv("HF_HUB_CACHE");
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject json = parse(r.out).object();
    QCOMPARE(json.value("hub_dir").toString(), QDir(hub).absolutePath());
    const QJsonArray models = json.value("models").toArray();
    QCOMPARE(models.size(), 1);
    const QJsonObject m = models.first().toObject();
    QCOMPARE(m.value("repo_id").toString(), QStringLiteral("acme/tiny-bert"));
    QCOMPARE(m.value("architecture").toString(), QStringLiteral("bert"));
    QCOMPARE(m.value("vocab_size").toInt(), 100);
    QVERIFY(m.value("has_tokenizer").toBool());
    QVERIFY(m.value("folder").toString().endsWith(QLatin1String("/snapshots/0123abcd")));
    QCOMPARE(json.value("skipped").toArray().size(), 1);
    QVERIFY(json.value("skipped").toArray().first().toString().startsWith(QLatin1String("acme/unfinished: ")));

    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains(QLatin1String("acme/tiny-bert")), qPrintable(text.out));
    QVERIFY2(text.err.startsWith(QLatin1String("skipped: acme/unfinished: ")), qPrintable(text.err));
}

QTEST_GUILESS_MAIN(TestCliModels)
#include "tst_climodels.moc"
