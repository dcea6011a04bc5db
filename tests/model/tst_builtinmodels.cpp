// Built-in models made from scratch: the named configurations parse and have the documented sizes;
// the builder's files load with ModelLoader and run, the tokenizer is trained on the given texts and
// round-trips, equal seeds give identical weights; the project's texts feed it and the model is stored.
#include "TempProject.h"
#include "TextSources.h"

#include "model/BuiltinModels.h"
#include "model/ModelConfig.h"
#include "model/ModelRegistry.h"
#include "model/nn/BuiltinModelBuilder.h"
#include "model/nn/ModelLoader.h"
#include "project/Project.h"
#include "text/Tokenizer.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;
using test::sourceOf;

namespace {

constexpr int kCorpusRepeats = 3; // copies of the trainer corpus, so that its pairs reach min frequency
const QString kMarker = QStringLiteral("zorblaxian");  // a made-up word, frequent in the texts below
const QString kUnseen = QStringLiteral("quintessentially"); // a long word the texts never contain

QStringList corpusLines()
{
    QFile file(QStringLiteral(TS_TEST_DATA_DIR "/tokenizers/trainer-corpus.txt"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (int i = 0; i < 20; ++i)
        lines.append(QStringLiteral("the %1 reviews mention %1 products again").arg(kMarker));
    QStringList repeated;
    for (int i = 0; i < kCorpusRepeats; ++i)
        repeated += lines;
    return repeated;
}

Result<QMap<QString, QByteArray>> buildNamed(const QString &name, quint64 seed = 42)
{
    const auto model = BuiltinModels::find(name);
    if (!model)
        return Result<QMap<QString, QByteArray>>::failure(model.error());
    BuiltinBuildParams params;
    params.seed = seed;
    return BuiltinModels::build(model.value(), sourceOf(corpusLines()), params);
}

bool writeFolder(const QMap<QString, QByteArray> &files, const QString &dir)
{
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        QFile file(QDir(dir).filePath(it.key()));
        if (!file.open(QIODevice::WriteOnly) || file.write(it.value()) != it.value().size())
            return false;
    }
    return true;
}

void insertDocuments(const QSqlDatabase &db, const QString &corpus, const QStringList &texts)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO corpora(name, created_at) VALUES (?, '2024-01-01')"));
    q.addBindValue(corpus);
    QVERIFY(q.exec());
    const qint64 corpusId = q.lastInsertId().toLongLong();
    q.prepare(QStringLiteral("INSERT INTO documents(corpus_id, split, text) VALUES (?, 'train', ?)"));
    for (const QString &text : texts) {
        q.addBindValue(corpusId);
        q.addBindValue(text);
        QVERIFY(q.exec());
    }
}

QStringList drain(const TextSource &source)
{
    QStringList texts;
    QString text;
    while (source(text))
        texts.append(text);
    return texts;
}

} // namespace

class TestBuiltinModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void catalogHasDocumentedSizes_data();
    void catalogHasDocumentedSizes();
    void unknownNameListsChoices();
    void buildLoadsAndRuns_data();
    void buildLoadsAndRuns();
    void tokenizerTrainedOnTextsRoundTrips();
    void decoderTokenizerRoundTripsBytes();
    void sameSeedSameWeights();
    void abortCancels();
    void noTextFails();
    void projectTextsSelectsCorpora();
    void projectTextsErrors();
    void addToProjectStoresModel();

private:
    test::TempFolder m_dir;
};

void TestBuiltinModels::catalogHasDocumentedSizes_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("layers");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("heads");
    QTest::addColumn<int>("intermediate");
    QTest::addColumn<int>("positions");
    QTest::addColumn<int>("vocab");
    QTest::newRow("tiny-encoder") << "tiny-encoder" << "bert" << 2 << 128 << 2 << 512 << 256 << 8000;
    QTest::newRow("small-encoder") << "small-encoder" << "bert" << 4 << 256 << 4 << 1024 << 512 << 16000;
    QTest::newRow("tiny-decoder") << "tiny-decoder" << "llama" << 2 << 128 << 4 << 384 << 256 << 8000;
}

void TestBuiltinModels::catalogHasDocumentedSizes()
{
    QFETCH(QString, name);
    const auto model = BuiltinModels::find(name);
    QVERIFY2(model, qPrintable(model.error()));
    QVERIFY(!model->description.isEmpty());
    const auto config = ModelConfig::fromJson(QJsonDocument(model->config).toJson(), name);
    QVERIFY2(config, qPrintable(config.error()));
    QFETCH(QString, type);
    QCOMPARE(config->modelType, type);
    QTEST(int(config->numLayers), "layers");
    QTEST(int(config->hiddenSize), "hidden");
    QTEST(int(config->numHeads), "heads");
    QTEST(int(config->intermediateSize), "intermediate");
    QTEST(int(config->maxPositions), "positions");
    QTEST(int(config->vocabSize), "vocab");
}

void TestBuiltinModels::unknownNameListsChoices()
{
    const auto model = BuiltinModels::find(QStringLiteral("huge-encoder"));
    QVERIFY(!model);
    QVERIFY2(model.error().contains(QLatin1String("huge-encoder")), qPrintable(model.error()));
    for (const BuiltinModel &known : BuiltinModels::all())
        QVERIFY2(model.error().contains(known.name), qPrintable(model.error()));
}

void TestBuiltinModels::buildLoadsAndRuns_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("task");
    QTest::newRow("tiny-encoder") << "tiny-encoder" << int(ModelTask::MaskedLm);
    QTest::newRow("tiny-decoder") << "tiny-decoder" << int(ModelTask::CausalLm);
}

void TestBuiltinModels::buildLoadsAndRuns()
{
    QFETCH(QString, name);
    QFETCH(int, task);
    const auto files = buildNamed(name);
    QVERIFY2(files, qPrintable(files.error()));
    QCOMPARE(files->keys(), (QStringList{"config.json", "model.safetensors", "tokenizer.json"}));
    const QString dir = m_dir.path(name);
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(writeFolder(files.value(), dir));

    LoadOptions options;
    options.task = ModelTask(task);
    options.allowFreshHead = false; // every tensor, head included, must be in the file
    const auto loaded = ModelLoader::load(dir, options);
    QVERIFY2(loaded, qPrintable(loaded.error()));
    QVERIFY2(loaded->report.initialised.isEmpty(), qPrintable(loaded->report.initialised.join(", ")));

    const auto tokenizer = Tokenizer::fromJson(files->value("tokenizer.json"));
    QVERIFY2(tokenizer, qPrintable(tokenizer.error()));
    QCOMPARE(loaded->folder.config().vocabSize, qint64(tokenizer->vocabSize()));
    QVERIFY(tokenizer->vocabSize() < 8000); // the small corpus runs out of merges first
    const Encoding encoding = tokenizer->encode(QStringLiteral("the reviews mention products"));
    std::vector<int64_t> ids(encoding.ids.begin(), encoding.ids.end());
    const torch::Tensor input = torch::tensor(ids, torch::kLong).unsqueeze(0); // (1,T)
    const torch::Tensor logits = loaded->model->forward(input, torch::ones_like(input));
    QCOMPARE(logits.sizes().vec(), (std::vector<int64_t>{1, int64_t(ids.size()), tokenizer->vocabSize()}));
    QVERIFY(torch::isfinite(logits).all().item<bool>());
}

void TestBuiltinModels::tokenizerTrainedOnTextsRoundTrips()
{
    const auto files = buildNamed(QStringLiteral("tiny-encoder"));
    QVERIFY2(files, qPrintable(files.error()));
    const auto tokenizer = Tokenizer::fromJson(files->value("tokenizer.json"));
    QVERIFY2(tokenizer, qPrintable(tokenizer.error()));
    QVERIFY(tokenizer->tokenToId(kMarker) >= 0);  // frequent in the texts: one token
    QCOMPARE(tokenizer->tokenToId(kUnseen), -1);  // never seen: not in the vocabulary
    QCOMPARE(tokenizer->specialIds().pad, 0);
    QVERIFY(tokenizer->specialIds().mask >= 0);
    const QJsonObject config = QJsonDocument::fromJson(files->value("config.json")).object();
    QCOMPARE(config.value("pad_token_id").toInt(-1), tokenizer->padId());
    QCOMPARE(config.value("architectures").toArray().first().toString(), QStringLiteral("BertForMaskedLM"));
    const QString text = QStringLiteral("the %1 reviews mention products").arg(kMarker);
    const Encoding encoding = tokenizer->encode(text);
    QCOMPARE(encoding.tokens.first(), QStringLiteral("[CLS]"));
    QCOMPARE(encoding.tokens.last(), QStringLiteral("[SEP]"));
    QCOMPARE(tokenizer->decode(encoding.ids), text);
}

void TestBuiltinModels::decoderTokenizerRoundTripsBytes()
{
    const auto files = buildNamed(QStringLiteral("tiny-decoder"));
    QVERIFY2(files, qPrintable(files.error()));
    const auto tokenizer = Tokenizer::fromJson(files->value("tokenizer.json"));
    QVERIFY2(tokenizer, qPrintable(tokenizer.error()));
    const QString text = QStringLiteral("Unseen words, Émile & 漢字 — still %1!").arg(kMarker);
    QCOMPARE(tokenizer->decode(tokenizer->encode(text).ids), text);
    QVERIFY(tokenizer->tokenToId(QStringLiteral("Ġ") + kMarker) >= 0);
    const QJsonObject config = QJsonDocument::fromJson(files->value("config.json")).object();
    QCOMPARE(config.value("eos_token_id").toInt(-1), tokenizer->tokenToId(QStringLiteral("<|endoftext|>")));
    QCOMPARE(config.value("architectures").toArray().first().toString(), QStringLiteral("LlamaForCausalLM"));
}

void TestBuiltinModels::sameSeedSameWeights()
{
    const auto first = buildNamed(QStringLiteral("tiny-decoder"), 7);
    const auto second = buildNamed(QStringLiteral("tiny-decoder"), 7);
    const auto other = buildNamed(QStringLiteral("tiny-decoder"), 8);
    QVERIFY(first && second && other);
    QVERIFY(first.value() == second.value());
    QVERIFY(first->value("model.safetensors") != other->value("model.safetensors"));
    QCOMPARE(first->value("tokenizer.json"), other->value("tokenizer.json"));
}

void TestBuiltinModels::abortCancels()
{
    const auto model = BuiltinModels::find(QStringLiteral("tiny-encoder"));
    QVERIFY(model);
    BuiltinBuildParams params;
    int polls = 0;
    params.abort = [&polls] { return ++polls > 1; };
    const auto files = BuiltinModels::build(model.value(), sourceOf(corpusLines()), params);
    QVERIFY(!files);
    QVERIFY2(files.error().contains(QLatin1String("cancelled")), qPrintable(files.error()));
}

void TestBuiltinModels::noTextFails()
{
    const auto model = BuiltinModels::find(QStringLiteral("tiny-decoder"));
    QVERIFY(model);
    const auto files = BuiltinModels::build(model.value(), sourceOf({}), BuiltinBuildParams());
    QVERIFY(!files);
    QVERIFY2(files.error().contains(QLatin1String("no text")), qPrintable(files.error()));
}

void TestBuiltinModels::projectTextsSelectsCorpora()
{
    const auto project = Project::create(m_dir.path(QStringLiteral("texts.tstudio")));
    QVERIFY2(project, qPrintable(project.error()));
    const QSqlDatabase db = project.value()->database();
    insertDocuments(db, QStringLiteral("books"), {QStringLiteral("a book"), QStringLiteral("another book")});
    insertDocuments(db, QStringLiteral("dvds"), {QStringLiteral("a film")});
    const auto all = BuiltinModels::projectTexts(db, {});
    QVERIFY2(all, qPrintable(all.error()));
    QCOMPARE(drain(all.value()), (QStringList{"a book", "another book", "a film"}));
    const auto dvds = BuiltinModels::projectTexts(db, {QStringLiteral("dvds")});
    QVERIFY2(dvds, qPrintable(dvds.error()));
    QCOMPARE(drain(dvds.value()), QStringList{"a film"});
}

void TestBuiltinModels::projectTextsErrors()
{
    const auto project = Project::create(m_dir.path(QStringLiteral("empty.tstudio")));
    QVERIFY2(project, qPrintable(project.error()));
    const QSqlDatabase db = project.value()->database();
    const auto none = BuiltinModels::projectTexts(db, {});
    QVERIFY(!none);
    QVERIFY2(none.error().contains(QLatin1String("no documents")), qPrintable(none.error()));
    insertDocuments(db, QStringLiteral("books"), {QStringLiteral("a book")});
    const auto unknown = BuiltinModels::projectTexts(db, {QStringLiteral("books"), QStringLiteral("kitchen")});
    QVERIFY(!unknown);
    QVERIFY2(unknown.error().contains(QLatin1String("\"kitchen\"")), qPrintable(unknown.error()));
}

void TestBuiltinModels::addToProjectStoresModel()
{
    const auto project = Project::create(m_dir.path(QStringLiteral("stored.tstudio")));
    QVERIFY2(project, qPrintable(project.error()));
    const QSqlDatabase db = project.value()->database();
    insertDocuments(db, QStringLiteral("reviews"), corpusLines());
    const auto id = BuiltinModels::addToProject(db, QStringLiteral("tiny-encoder"), QStringLiteral("mine"), {}, {});
    QVERIFY2(id, qPrintable(id.error()));
    const auto record = ModelRegistry::load(db, id.value());
    QVERIFY2(record, qPrintable(record.error()));
    QCOMPARE(record->name, QStringLiteral("mine"));
    QCOMPARE(record->kind, ModelRecord::Kind::Builtin);
    QCOMPARE(record->architecture, QStringLiteral("bert"));
    QCOMPARE(record->parameters, record->config.parameterCount());

    const QTemporaryDir scratch;
    const auto dir = ModelRegistry::materialize(db, record.value(), scratch.path());
    QVERIFY2(dir, qPrintable(dir.error()));
    LoadOptions options;
    options.task = ModelTask::MaskedLm;
    QVERIFY(ModelLoader::load(dir.value(), options));

    const auto again = BuiltinModels::addToProject(db, QStringLiteral("tiny-encoder"), QStringLiteral("mine"), {}, {});
    QVERIFY(!again);
    QVERIFY2(again.error().contains(QLatin1String("already exists")), qPrintable(again.error()));
}

QTEST_GUILESS_MAIN(TestBuiltinModels)
#include "tst_builtinmodels.moc"
