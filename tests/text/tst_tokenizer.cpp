// Untrusted input: malformed tokenizer.json and vocab.txt files are refused with a message that
// names the file and the field, never a crash. Plus options the golden files do not cover:
// truncation strategies, padding to a multiple, and encoding from several threads at once.
#include "text/Tokenizer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace ts;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(TS_TEST_DATA_DIR "/tokenizers/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// The BERT fixture with `edit` applied to its JSON.
QByteArray editedBert(const std::function<void(QJsonObject &)> &edit)
{
    QJsonObject root = QJsonDocument::fromJson(fixture(QStringLiteral("bert-uncased.tokenizer.json"))).object();
    edit(root);
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

} // namespace

class TestTokenizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusesMalformedJson_data();
    void refusesMalformedJson();
    void refusesBadVocabTxt();
    void missingFileNamesPath();
    void truncationStrategies();
    void padsToMultiple();
    void encodesFromSeveralThreads();
};

void TestTokenizer::refusesMalformedJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    QTest::newRow("not json") << QByteArray("{\"model\": ") << QStringLiteral("not valid JSON");
    QTest::newRow("array") << QByteArray("[]") << QStringLiteral("top level");
    QTest::newRow("no model") << QByteArray("{}") << QStringLiteral("model");
    QTest::newRow("negative id") << editedBert([](QJsonObject &r) {
        QJsonObject m = r[QStringLiteral("model")].toObject();
        QJsonObject v = m[QStringLiteral("vocab")].toObject();
        v[QStringLiteral("hello")] = -3;
        m[QStringLiteral("vocab")] = v;
        r[QStringLiteral("model")] = m;
    }) << QStringLiteral("model.vocab[\"hello\"]");
    QTest::newRow("huge id") << editedBert([](QJsonObject &r) {
        QJsonObject m = r[QStringLiteral("model")].toObject();
        QJsonObject v = m[QStringLiteral("vocab")].toObject();
        v[QStringLiteral("hello")] = 1e12;
        m[QStringLiteral("vocab")] = v;
        r[QStringLiteral("model")] = m;
    }) << QStringLiteral("model.vocab");
    QTest::newRow("unk missing") << editedBert([](QJsonObject &r) {
        QJsonObject m = r[QStringLiteral("model")].toObject();
        m[QStringLiteral("unk_token")] = QStringLiteral("<nope>");
        r[QStringLiteral("model")] = m;
    }) << QStringLiteral("unk_token");
    QTest::newRow("unknown model") << editedBert([](QJsonObject &r) {
        QJsonObject m = r[QStringLiteral("model")].toObject();
        m[QStringLiteral("type")] = QStringLiteral("Unigram");
        r[QStringLiteral("model")] = m;
    }) << QStringLiteral("model.type");
    QTest::newRow("unknown normalizer") << editedBert([](QJsonObject &r) {
        r[QStringLiteral("normalizer")] = QJsonObject{{QStringLiteral("type"), QStringLiteral("Precompiled")}};
    }) << QStringLiteral("normalizer.type");
    QTest::newRow("odd regex") << editedBert([](QJsonObject &r) {
        r[QStringLiteral("pre_tokenizer")] = QJsonObject{
            {QStringLiteral("type"), QStringLiteral("Split")},
            {QStringLiteral("pattern"), QJsonObject{{QStringLiteral("Regex"), QStringLiteral("(a+)+$")}}},
            {QStringLiteral("behavior"), QStringLiteral("Isolated")}};
    }) << QStringLiteral("pre_tokenizer.pattern");
    QTest::newRow("special id out of range") << editedBert([](QJsonObject &r) {
        r[QStringLiteral("post_processor")] = QJsonObject{
            {QStringLiteral("type"), QStringLiteral("BertProcessing")},
            {QStringLiteral("sep"), QJsonArray{QStringLiteral("[SEP]"), 99999}},
            {QStringLiteral("cls"), QJsonArray{QStringLiteral("[CLS]"), 2}}};
    }) << QStringLiteral("post_processor");
    QTest::newRow("bad added token") << editedBert([](QJsonObject &r) {
        r[QStringLiteral("added_tokens")] = QJsonArray{QJsonObject{{QStringLiteral("id"), 1.5}, {QStringLiteral("content"), QStringLiteral("x")}}};
    }) << QStringLiteral("added_tokens[0].id");
    const QByteArray gpt2 = fixture(QStringLiteral("gpt2.tokenizer.json"));
    QJsonObject root = QJsonDocument::fromJson(gpt2).object();
    QJsonObject model = root[QStringLiteral("model")].toObject();
    QJsonArray merges = model[QStringLiteral("merges")].toArray();
    merges.append(QStringLiteral("zz qq"));
    model[QStringLiteral("merges")] = merges;
    root[QStringLiteral("model")] = model;
    QTest::newRow("merge of unknown tokens") << QJsonDocument(root).toJson() << QStringLiteral("model: merges[");
}

void TestTokenizer::refusesMalformedJson()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    const auto tokenizer = Tokenizer::fromJson(json, QStringLiteral("evil.json"));
    QVERIFY(!tokenizer.ok());
    QVERIFY2(tokenizer.error().startsWith(QLatin1String("evil.json: ")), qPrintable(tokenizer.error()));
    QVERIFY2(tokenizer.error().contains(field), qPrintable(tokenizer.error()));
}

void TestTokenizer::refusesBadVocabTxt()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("vocab.txt"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\nhello\n");
    file.close();
    const auto tokenizer = Tokenizer::fromFile(path);
    QVERIFY(!tokenizer.ok());
    QVERIFY2(tokenizer.error().contains(QLatin1String("line 6")), qPrintable(tokenizer.error()));
}

void TestTokenizer::missingFileNamesPath()
{
    const auto tokenizer = Tokenizer::fromFile(QStringLiteral("/nonexistent/tokenizer.json"));
    QVERIFY(!tokenizer.ok());
    QVERIFY(tokenizer.error().contains(QLatin1String("/nonexistent/tokenizer.json")));
}

void TestTokenizer::truncationStrategies()
{
    auto tokenizer = Tokenizer::fromJson(fixture(QStringLiteral("bert-uncased.tokenizer.json")));
    QVERIFY2(tokenizer.ok(), qPrintable(tokenizer.error()));
    const QString a = QStringLiteral("one two three four five six");
    const QString b = QStringLiteral("seven eight");
    EncodeOptions options;
    options.maxLength = 7;
    options.truncation = EncodeOptions::Truncation::OnlyFirst;
    const Encoding first = tokenizer->encodePair(a, b, options);
    QCOMPARE(first.size(), 7);
    QCOMPARE(first.sequenceIds.count(1), tokenizer->encode(b, {false}).size());
    options.truncation = EncodeOptions::Truncation::OnlySecond;
    options.maxLength = tokenizer->encode(a).size() + 2;
    const Encoding second = tokenizer->encodePair(a, b, options);
    QCOMPARE(second.size(), options.maxLength);
    QCOMPARE(second.sequenceIds.count(0), tokenizer->encode(a, {false}).size());
}

void TestTokenizer::padsToMultiple()
{
    auto tokenizer = Tokenizer::fromJson(fixture(QStringLiteral("bert-uncased.tokenizer.json")));
    QVERIFY(tokenizer.ok());
    EncodeOptions options;
    options.padding = EncodeOptions::Padding::Longest;
    options.padToMultipleOf = 8;
    const QList<Encoding> batch = tokenizer->encodeBatch({QStringLiteral("a"), QStringLiteral("a b c d e f g h i")}, options);
    QCOMPARE(batch[0].size(), 16);
    QCOMPARE(batch[1].size(), 16);
    QCOMPARE(batch[0].ids.last(), tokenizer->padId());
    QCOMPARE(batch[0].attentionMask.count(1), 3);
}

void TestTokenizer::encodesFromSeveralThreads()
{
    auto tokenizer = Tokenizer::fromJson(fixture(QStringLiteral("gpt2.tokenizer.json")));
    QVERIFY(tokenizer.ok());
    const QString text = QStringLiteral("Shared tokenizers cache BPE pieces; threads must agree. 😀 ");
    const QList<int> expected = tokenizer->encode(text.repeated(20)).ids;
    QList<QList<int>> results(4);
    QList<QThread *> threads;
    for (int t = 0; t < results.size(); ++t) {
        threads.append(QThread::create([&, t] {
            for (int i = 0; i < 50; ++i)
                results[t] = tokenizer->encode(text.repeated(20)).ids;
        }));
        threads.back()->start();
    }
    for (QThread *thread : threads) {
        thread->wait();
        delete thread;
    }
    for (const QList<int> &ids : results)
        QCOMPARE(ids, expected);
}

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
