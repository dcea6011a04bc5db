// Domain-shift measures against values worked out by hand: tokenizer, Jensen-Shannon
// divergence, logistic regression, proxy A-distance, sub-word fragmentation (against the tokens
// Hugging Face gives in tests/data/tokenizers/*.golden.json), and the analyzer on a small project.
#include "TempProject.h"

#include "corpus/CorpusImporter.h"
#include "corpus/DomainShiftAnalyzer.h"
#include "corpus/FragmentationMeter.h"
#include "corpus/LogisticRegression.h"
#include "corpus/ProxyADistance.h"
#include "corpus/WordTokenizer.h"
#include "project/Project.h"

#include <QTest>

#include <cmath>

using namespace ts;

namespace {

QHash<QString, qint64> counts(std::initializer_list<std::pair<const char *, qint64>> entries)
{
    QHash<QString, qint64> result;
    for (const auto &[word, count] : entries)
        result.insert(QLatin1String(word), count);
    return result;
}

// n documents of `words` words each, drawn from the words "<prefix>0" .. "<prefix><vocabulary-1>".
std::vector<QStringList> documents(const QString &prefix, int n, int words, int vocabulary, int seed)
{
    std::vector<QStringList> docs;
    quint32 state = quint32(seed);
    for (int i = 0; i < n; ++i) {
        QStringList doc;
        for (int w = 0; w < words; ++w) {
            state = state * 1664525u + 1013904223u; // LCG (Numerical Recipes)
            doc.append(prefix + QString::number((state >> 8) % quint32(vocabulary)));
        }
        docs.push_back(doc);
    }
    return docs;
}

} // namespace

class TestDomainShift : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokenizer();
    void jensenShannon();
    void logisticRegressionSeparates();
    void proxyADistanceExtremes();
    void fragmentationWordPiece();
    void fragmentationByteLevel();
    void analyzerReport();
    void analyzerFragmentation();
};

void TestDomainShift::tokenizer()
{
    QCOMPARE(WordTokenizer::words(QStringLiteral("Don't STOP, it's 4ever -- 'quoted' café")),
             (QStringList{QStringLiteral("don't"), QStringLiteral("stop"), QStringLiteral("it's"), QStringLiteral("4ever"),
                          QStringLiteral("quoted"), QStringLiteral("caf\u00e9")}));
}

void TestDomainShift::jensenShannon()
{
    const auto p = counts({{"a", 3}, {"b", 1}});
    QCOMPARE(DomainShiftAnalyzer::jensenShannon(p, p), 0.0);
    QCOMPARE(DomainShiftAnalyzer::jensenShannon(p, counts({{"c", 5}})), 1.0);
    // P = (1/2, 1/2, 0), Q = (0, 1/2, 1/2): M = (1/4, 1/2, 1/4), JS = 1/2 by hand.
    const double half = DomainShiftAnalyzer::jensenShannon(counts({{"a", 1}, {"b", 1}}), counts({{"b", 2}, {"c", 2}}));
    QVERIFY2(std::abs(half - 0.5) < 1e-12, qPrintable(QString::number(half)));
    QCOMPARE(DomainShiftAnalyzer::jensenShannon(p, counts({{"a", 1}})),
             DomainShiftAnalyzer::jensenShannon(counts({{"a", 1}}), p));
}

void TestDomainShift::logisticRegressionSeparates()
{
    // Feature 0 marks class 1, feature 1 class 0; feature 2 is noise on both.
    std::vector<SparseVector> rows;
    std::vector<int> y;
    for (int i = 0; i < 40; ++i) {
        rows.push_back(SparseVector{{i % 2 == 0 ? 0 : 1, 2}, {0.7f, 0.7f}});
        y.push_back(i % 2 == 0 ? 1 : 0);
    }
    std::vector<const SparseVector *> x;
    for (const SparseVector &row : rows)
        x.push_back(&row);
    LogisticRegression model(3);
    QCOMPARE(model.probability(rows[0]), 0.5);
    model.train(x, y, LogisticRegression::Params());
    QVERIFY(model.probability(SparseVector{{0}, {1.0f}}) > 0.9);
    QVERIFY(model.probability(SparseVector{{1}, {1.0f}}) < 0.1);
}

void TestDomainShift::proxyADistanceExtremes()
{
    DomainShiftParams params = domainShiftDefaultParams();
    const auto a = documents(QStringLiteral("w"), 200, 20, 50, 1);
    const auto sameDomain = documents(QStringLiteral("w"), 200, 20, 50, 2);
    const auto otherDomain = documents(QStringLiteral("v"), 200, 20, 50, 3);
    const ProxyADistance::Estimate near = ProxyADistance::estimate(a, sameDomain, params);
    const ProxyADistance::Estimate far = ProxyADistance::estimate(a, otherDomain, params);
    QCOMPARE(far.documentsPerDomain, 200);
    QCOMPARE(far.error, 0.0);
    QCOMPARE(far.distance, 2.0);
    QVERIFY2(near.error > 0.3, qPrintable(QString::number(near.error))); // indistinguishable: about chance
    QVERIFY(near.distance < 0.8);
    const ProxyADistance::Estimate tooFew = ProxyADistance::estimate(a, {}, params);
    QCOMPARE(tooFew.distance, 0.0);
}

namespace {

Tokenizer fixtureTokenizer(const char *name)
{
    const auto tokenizer = Tokenizer::fromFile(QStringLiteral(TS_TEST_DATA_DIR "/tokenizers/%1.tokenizer.json")
                                                   .arg(QLatin1String(name)));
    if (!tokenizer)
        qFatal("%s", qPrintable(tokenizer.error()));
    return tokenizer.value();
}

} // namespace

void TestDomainShift::fragmentationWordPiece()
{
    const Tokenizer bert = fixtureTokenizer("bert-uncased");
    SubwordFragmentation f;
    // Hugging Face: le ##ad ##ing | and | tra ##il ##ing
    FragmentationMeter::add(bert, QStringLiteral("  leading and trailing  "), f);
    QCOMPARE(f.documents, 1);
    QCOMPARE(f.words, 3);
    QCOMPARE(f.tokens, 7);
    QCOMPARE(f.splitWords, 2);
    // it ' s | ' qu ##ot ##ed ' | and | " do ##u ##ble ": punctuation splits count as pieces.
    FragmentationMeter::add(bert, QStringLiteral("It's 'quoted' and \"double\""), f);
    QCOMPARE(f.documents, 2);
    QCOMPARE(f.words, 3 + 4);
    QCOMPARE(f.tokens, 7 + 14);
    QCOMPARE(f.splitWords, 2 + 3);
    QCOMPARE(f.tokensPerWord(), 21.0 / 7.0);
    QCOMPARE(f.splitShare(), 5.0 / 7.0);
    QCOMPARE(SubwordFragmentation().tokensPerWord(), 0.0);
}

void TestDomainShift::fragmentationByteLevel()
{
    // Hugging Face: H ell o Ġ Ġ Ġwor ld Ġ Ġ; the lone spaces belong to no word, "Ġwor" to "world".
    SubwordFragmentation f;
    FragmentationMeter::add(fixtureTokenizer("gpt2"), QStringLiteral("Hello   world  "), f);
    QCOMPARE(f.words, 2);
    QCOMPARE(f.tokens, 5);
    QCOMPARE(f.splitWords, 2);
}

void TestDomainShift::analyzerReport()
{
    test::TempFolder dir;
    auto project = Project::create(dir.path(QStringLiteral("p.tstudio")));
    QVERIFY(project.ok());
    const QString source = dir.path(QStringLiteral("s.csv"));
    const QString target = dir.path(QStringLiteral("t.csv"));
    for (const auto &[path, bytes] : {std::pair{source, QByteArray("text,label\nred blue,pos\nred green,neg\n")},
                                      std::pair{target, QByteArray("text,label\nred red yellow,pos\nblue,neutral\n")}}) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
        file.close();
        ImportParams p = importDefaultParams();
        p.corpus = QFileInfo(path).baseName();
        p.path = path;
        const auto imported = CorpusImporter::run(*project.value(), p);
        QVERIFY2(imported.ok(), qPrintable(imported.error()));
    }
    const auto report = DomainShiftAnalyzer::analyze(project.value()->database(), QStringLiteral("s"), QStringLiteral("t"),
                                                     domainShiftDefaultParams());
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->source.documents, 2);
    QCOMPARE(report->source.tokens, 4);
    QCOMPARE(report->target.vocabulary, 3);
    QCOMPARE(report->sharedVocabulary, 2);            // red, blue
    QCOMPARE(report->vocabularyJaccard, 2.0 / 4.0);   // {red, blue, green, yellow}
    QCOMPARE(report->targetOovRate, 1.0 / 4.0);       // "yellow" of 4 target words
    QCOMPARE(report->target.lengths.counts.first(), 2); // both under 8 words
    QVERIFY(report->warnings.join(QLatin1Char('\n')).contains(QLatin1String("target label 'neutral'")));
    const auto missing = DomainShiftAnalyzer::analyze(project.value()->database(), QStringLiteral("s"),
                                                      QStringLiteral("nope"), domainShiftDefaultParams());
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().contains(QLatin1String("no corpus 'nope'")));
}

void TestDomainShift::analyzerFragmentation()
{
    test::TempFolder dir;
    auto project = Project::create(dir.path(QStringLiteral("p.tstudio")));
    QVERIFY(project.ok());
    const QString source = dir.path(QStringLiteral("s.txt"));
    const QString target = dir.path(QStringLiteral("t.txt"));
    // WordPiece (bert-uncased): "and" stays whole, "trailing" is tra ##il ##ing.
    for (const auto &[path, bytes] : {std::pair{source, QByteArray("and and\nand\n")},
                                      std::pair{target, QByteArray("trailing and\n")}}) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
        file.close();
        ImportParams p = importDefaultParams();
        p.corpus = QFileInfo(path).baseName();
        p.path = path;
        const auto imported = CorpusImporter::run(*project.value(), p);
        QVERIFY2(imported.ok(), qPrintable(imported.error()));
    }
    const QSqlDatabase db = project.value()->database();
    const auto plain = DomainShiftAnalyzer::analyze(db, QStringLiteral("s"), QStringLiteral("t"), domainShiftDefaultParams());
    QVERIFY2(plain.ok(), qPrintable(plain.error()));
    QVERIFY(plain->tokenizer.isEmpty());
    QCOMPARE(plain->targetFragmentation.words, 0);

    DomainShiftParams params = domainShiftDefaultParams();
    params.tokenizer = fixtureTokenizer("bert-uncased");
    params.tokenizerName = QStringLiteral("bert");
    const auto report = DomainShiftAnalyzer::analyze(db, QStringLiteral("s"), QStringLiteral("t"), params);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->tokenizer, QStringLiteral("bert"));
    QCOMPARE(report->sourceFragmentation.documents, 2);
    QCOMPARE(report->sourceFragmentation.tokensPerWord(), 1.0);
    QCOMPARE(report->sourceFragmentation.splitShare(), 0.0);
    QCOMPARE(report->targetFragmentation.words, 2);
    QCOMPARE(report->targetFragmentation.tokensPerWord(), 4.0 / 2.0);
    QCOMPARE(report->targetFragmentation.splitShare(), 0.5);
}

QTEST_GUILESS_MAIN(TestDomainShift)
#include "tst_domainshift.moc"
