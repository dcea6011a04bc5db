// Parity with Hugging Face `tokenizers`: ids, offsets, decoded text, pair truncation and padding,
// batch padding, compared with the fixtures tests/golden/make_tokenizer_golden.py wrote for
// tokenizers of each family (BERT, RoBERTa, GPT-2, Llama 3, Qwen2, Llama 2) trained by HF.
#include "EncodingJson.h"
#include "text/Tokenizer.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ts;
using test::flatOffsets;
using test::intList;

namespace {

constexpr int kMaxReported = 8; // mismatches printed per fixture before giving up

QString fixturePath(const QString &name)
{
    return QStringLiteral(TS_TEST_DATA_DIR "/tokenizers/") + name;
}

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QString show(const QList<int> &list)
{
    QStringList parts;
    for (int v : list)
        parts.append(QString::number(v));
    return parts.join(QLatin1Char(','));
}

/// Collects mismatches; the test fails at the end when there was any.
class Mismatches
{
public:
    void check(bool same, const QString &what)
    {
        if (same)
            return;
        if (++m_count <= kMaxReported)
            qWarning().noquote() << what;
    }
    int count() const { return m_count; }

private:
    int m_count = 0;
};

} // namespace

class TestGolden : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void singles_data();
    void singles();
    void pairs_data();
    void pairs();
    void batches_data();
    void batches();
    void roundTripsThroughJson_data();
    void roundTripsThroughJson();

private:
    static void fixtures();
};

void TestGolden::fixtures()
{
    QTest::addColumn<QString>("name");
    const QStringList goldens = QDir(fixturePath(QString())).entryList({QStringLiteral("*.golden.json")});
    for (const QString &golden : goldens) {
        const QString name = golden.chopped(int(QStringLiteral(".golden.json").size()));
        if (QFile::exists(fixturePath(name + QStringLiteral(".tokenizer.json"))))
            QTest::newRow(qPrintable(name)) << name;
    }
}

void TestGolden::singles_data()
{
    fixtures();
}

void TestGolden::singles()
{
    QFETCH(QString, name);
    auto tokenizer = Tokenizer::fromFile(fixturePath(name + QStringLiteral(".tokenizer.json")));
    QVERIFY2(tokenizer.ok(), qPrintable(tokenizer.error()));
    const QJsonArray cases = readJson(fixturePath(name + QStringLiteral(".golden.json"))).value(QLatin1String("cases")).toArray();
    QVERIFY(cases.size() >= 200);
    Mismatches mismatches;
    for (const QJsonValue value : cases) {
        const QJsonObject c = value.toObject();
        const QString text = c.value(QLatin1String("text")).toString();
        const Encoding e = tokenizer->encode(text);
        const QString where = QStringLiteral("[%1] \"%2\"").arg(name, text.left(60));
        mismatches.check(e.ids == intList(c.value(QLatin1String("ids"))),
                         where + QStringLiteral(" ids\n  got  %1\n  want %2").arg(show(e.ids), show(intList(c.value(QLatin1String("ids"))))));
        mismatches.check(flatOffsets(e) == intList(c.value(QLatin1String("offsets"))),
                         where + QStringLiteral(" offsets\n  got  %1\n  want %2").arg(show(flatOffsets(e)), show(intList(c.value(QLatin1String("offsets"))))));
        if (c.contains(QLatin1String("decoded"))) {
            const QString decoded = tokenizer->decode(e.ids, true);
            mismatches.check(decoded == c.value(QLatin1String("decoded")).toString(),
                             where + QStringLiteral(" decode: got \"%1\" want \"%2\"").arg(decoded, c.value(QLatin1String("decoded")).toString()));
            const QString withSpecial = tokenizer->decode(e.ids, false);
            mismatches.check(withSpecial == c.value(QLatin1String("decodedWithSpecial")).toString(),
                             where + QStringLiteral(" decode(special): got \"%1\" want \"%2\"").arg(withSpecial, c.value(QLatin1String("decodedWithSpecial")).toString()));
        }
        if (c.contains(QLatin1String("idsNoSpecial"))) {
            EncodeOptions plain;
            plain.addSpecialTokens = false;
            mismatches.check(tokenizer->encode(text, plain).ids == intList(c.value(QLatin1String("idsNoSpecial"))),
                             where + QStringLiteral(" ids without special tokens"));
            QStringList tokens;
            for (const QJsonValue t : c.value(QLatin1String("tokens")).toArray())
                tokens.append(t.toString());
            mismatches.check(e.tokens == tokens, where + QStringLiteral(" tokens: got %1 want %2").arg(e.tokens.join(QLatin1Char(' ')), tokens.join(QLatin1Char(' '))));
        }
    }
    QVERIFY2(mismatches.count() == 0, qPrintable(QStringLiteral("%1 mismatches with Hugging Face").arg(mismatches.count())));
}

void TestGolden::pairs_data()
{
    fixtures();
}

void TestGolden::pairs()
{
    QFETCH(QString, name);
    auto tokenizer = Tokenizer::fromFile(fixturePath(name + QStringLiteral(".tokenizer.json")));
    QVERIFY2(tokenizer.ok(), qPrintable(tokenizer.error()));
    const QJsonObject golden = readJson(fixturePath(name + QStringLiteral(".golden.json")));
    if (!golden.contains(QLatin1String("pairs")))
        QSKIP("fixture without pair cases");
    Mismatches mismatches;
    for (const QJsonValue value : golden.value(QLatin1String("pairs")).toArray()) {
        const QJsonObject c = value.toObject();
        EncodeOptions options;
        options.maxLength = c.value(QLatin1String("maxLength")).toInt();
        options.padding = EncodeOptions::Padding::MaxLength;
        options.padId = c.value(QLatin1String("padId")).toInt();
        const QString a = c.value(QLatin1String("a")).toString();
        const QString b = c.value(QLatin1String("b")).toString();
        const Encoding e = tokenizer->encodePair(a, b, options);
        const QString where = QStringLiteral("[%1] \"%2\" + \"%3\" max %4").arg(name, a.left(30), b.left(30)).arg(options.maxLength);
        mismatches.check(e.ids == intList(c.value(QLatin1String("ids"))),
                         where + QStringLiteral(" ids\n  got  %1\n  want %2").arg(show(e.ids), show(intList(c.value(QLatin1String("ids"))))));
        mismatches.check(e.typeIds == intList(c.value(QLatin1String("typeIds"))), where + QStringLiteral(" type ids: got %1").arg(show(e.typeIds)));
        mismatches.check(e.attentionMask == intList(c.value(QLatin1String("attentionMask"))), where + QStringLiteral(" attention mask"));
        mismatches.check(flatOffsets(e) == intList(c.value(QLatin1String("offsets"))),
                         where + QStringLiteral(" offsets\n  got  %1\n  want %2").arg(show(flatOffsets(e)), show(intList(c.value(QLatin1String("offsets"))))));
    }
    QVERIFY2(mismatches.count() == 0, qPrintable(QStringLiteral("%1 mismatches with Hugging Face").arg(mismatches.count())));
}

void TestGolden::batches_data()
{
    fixtures();
}

void TestGolden::batches()
{
    QFETCH(QString, name);
    auto tokenizer = Tokenizer::fromFile(fixturePath(name + QStringLiteral(".tokenizer.json")));
    QVERIFY2(tokenizer.ok(), qPrintable(tokenizer.error()));
    const QJsonObject golden = readJson(fixturePath(name + QStringLiteral(".golden.json")));
    if (!golden.contains(QLatin1String("batches")))
        QSKIP("fixture without batch cases");
    for (const QJsonValue value : golden.value(QLatin1String("batches")).toArray()) {
        const QJsonObject c = value.toObject();
        QStringList texts;
        for (const QJsonValue t : c.value(QLatin1String("texts")).toArray())
            texts.append(t.toString());
        EncodeOptions options;
        options.padding = EncodeOptions::Padding::Longest;
        options.padId = c.value(QLatin1String("padId")).toInt();
        const QList<Encoding> encodings = tokenizer->encodeBatch(texts, options);
        const QJsonArray ids = c.value(QLatin1String("ids")).toArray();
        const QJsonArray masks = c.value(QLatin1String("attentionMask")).toArray();
        QCOMPARE(encodings.size(), ids.size());
        for (qsizetype i = 0; i < encodings.size(); ++i) {
            QCOMPARE(encodings[i].ids, intList(ids[i]));
            QCOMPARE(encodings[i].attentionMask, intList(masks[i]));
        }
    }
}

void TestGolden::roundTripsThroughJson_data()
{
    fixtures();
}

void TestGolden::roundTripsThroughJson()
{
    QFETCH(QString, name);
    auto tokenizer = Tokenizer::fromFile(fixturePath(name + QStringLiteral(".tokenizer.json")));
    QVERIFY2(tokenizer.ok(), qPrintable(tokenizer.error()));
    auto reloaded = Tokenizer::fromJson(tokenizer->toJson());
    QVERIFY2(reloaded.ok(), qPrintable(reloaded.error()));
    QCOMPARE(reloaded->toJson(), tokenizer->toJson());
    QCOMPARE(reloaded->vocabSize(), tokenizer->vocabSize());
    const QJsonArray cases = readJson(fixturePath(name + QStringLiteral(".golden.json"))).value(QLatin1String("cases")).toArray();
    for (const QJsonValue value : cases) {
        const QString text = value.toObject().value(QLatin1String("text")).toString();
        QCOMPARE(reloaded->encode(text).ids, tokenizer->encode(text).ids);
    }
}

QTEST_GUILESS_MAIN(TestGolden)
#include "tst_golden.moc"
