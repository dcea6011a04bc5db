// WordPiece and byte-level BPE training: deterministic, within the requested vocabulary size,
// special tokens first, loss-free byte-level round trips, and files that Hugging Face loads:
// the trained tokenizers are committed as trained-*.tokenizer.json, whose HF encodings
// make_tokenizer_golden.py records and test_text_golden compares. Run with TS_UPDATE_GOLDEN=1 to
// rewrite the committed files after a deliberate change of the trainers.
#include "text/BpeTrainer.h"
#include "text/WordPieceTrainer.h"

#include <QFile>
#include <QTest>

using namespace ts;

namespace {

QString dataPath(const QString &name)
{
    return QStringLiteral(TS_TEST_DATA_DIR "/tokenizers/") + name;
}

/// The lines of the training corpus, three times over.
TextSource corpus()
{
    QFile file(dataPath(QStringLiteral("trainer-corpus.txt")));
    QStringList lines;
    if (file.open(QIODevice::ReadOnly))
        lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    auto index = std::make_shared<int>(0);
    return [lines, index](QString &text) {
        if (*index >= 3 * lines.size())
            return false;
        text = lines[(*index)++ % lines.size()];
        return true;
    };
}

/// Compares `tokenizer` with the committed file, or rewrites it under TS_UPDATE_GOLDEN.
void compareWithCommitted(const Tokenizer &tokenizer, const QString &name)
{
    QFile file(dataPath(name));
    if (qEnvironmentVariableIsSet("TS_UPDATE_GOLDEN")) {
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(tokenizer.toJson());
        return;
    }
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(name));
    QCOMPARE(tokenizer.toJson(), file.readAll());
}

} // namespace

class TestTrainers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wordPiece();
    void wordPieceNeedsUnknownToken();
    void byteLevelBpe();
    void abortStopsTraining();

private:
    static TrainerParams params(int vocabSize);
};

TrainerParams TestTrainers::params(int vocabSize)
{
    TrainerParams p = TrainerParams::bertDefaults();
    p.vocabSize = vocabSize;
    return p;
}

void TestTrainers::wordPiece()
{
    int progressCalls = 0;
    TrainerParams p = params(600);
    p.progress = [&progressCalls](int, int) { ++progressCalls; };
    auto tokenizer = WordPieceTrainer::train(corpus(), p);
    QVERIFY2(tokenizer.ok(), qPrintable(tokenizer.error()));
    QVERIFY(tokenizer->vocabSize() <= 600);
    QVERIFY(tokenizer->vocabSize() > 400);
    QVERIFY(progressCalls > 0);
    QCOMPARE(tokenizer->specialIds().pad, 0);
    QCOMPARE(tokenizer->specialIds().unk, 1);
    QCOMPARE(tokenizer->specialIds().cls, 2);
    const Encoding e = tokenizer->encode(QStringLiteral("The quick brown fox."));
    QCOMPARE(e.ids.first(), 2);
    QCOMPARE(e.ids.last(), 3);
    QCOMPARE(tokenizer->decode(e.ids), QStringLiteral("the quick brown fox."));
    auto again = WordPieceTrainer::train(corpus(), params(600));
    QVERIFY(again.ok());
    QCOMPARE(again->toJson(), tokenizer->toJson());
    compareWithCommitted(tokenizer.value(), QStringLiteral("trained-wordpiece.tokenizer.json"));
}

void TestTrainers::wordPieceNeedsUnknownToken()
{
    TrainerParams p = params(300);
    p.specialTokens = {QStringLiteral("[CLS]"), QStringLiteral("[SEP]")};
    const auto tokenizer = WordPieceTrainer::train(corpus(), p);
    QVERIFY(!tokenizer.ok());
    QVERIFY(tokenizer.error().contains(QLatin1String("[UNK]")));
}

void TestTrainers::byteLevelBpe()
{
    TrainerParams p = params(700);
    p.specialTokens = {QStringLiteral("<|endoftext|>")};
    auto tokenizer = BpeTrainer::train(corpus(), p);
    QVERIFY2(tokenizer.ok(), qPrintable(tokenizer.error()));
    QCOMPARE(tokenizer->vocabSize(), 700);
    QCOMPARE(tokenizer->tokenToId(QStringLiteral("<|endoftext|>")), 0);
    for (const QString &text : {QStringLiteral("Unseen wörds, 表情 😀 and\ttabs\n"), QString(), QStringLiteral("  ")}) {
        const Encoding e = tokenizer->encode(text);
        QCOMPARE(tokenizer->decode(e.ids), text);
    }
    const Encoding common = tokenizer->encode(QStringLiteral("the quick brown fox"));
    QVERIFY2(common.size() <= 10, qPrintable(common.tokens.join(QLatin1Char('|')))); // 19 bytes
    QCOMPARE(common.tokens.first(), QStringLiteral("the"));
    compareWithCommitted(tokenizer.value(), QStringLiteral("trained-bpe.tokenizer.json"));
}

void TestTrainers::abortStopsTraining()
{
    TrainerParams p = params(600);
    p.abort = [] { return true; };
    const auto tokenizer = BpeTrainer::train(corpus(), p);
    QVERIFY(!tokenizer.ok());
    QVERIFY(tokenizer.error().contains(QLatin1String("cancelled")));
}

QTEST_GUILESS_MAIN(TestTrainers)
#include "tst_trainers.moc"
