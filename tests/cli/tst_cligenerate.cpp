// `generate` as a user runs it: a registered decoder and a finished language-model run continue a
// prompt (greedy reproducible, sampling reproducible by seed), the text streamed through
// TextGenerator's callback is the text printed; encoders and classifier runs are refused with a
// pointer to `predict`, and every option's range is checked by name.
#include "CliProject.h"
#include "CliRunner.h"

#include "jobs/TextGenerator.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ts;
using test::runCli;

namespace {

constexpr int kTrainTimeoutMs = 600000;

} // namespace

class TestCliGenerate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void greedyIsReproducible();
    void samplingFollowsTheSeed();
    void runModelGenerates();
    void streamedPiecesMakeTheText();
    void encodersAndClassifiersAreRefused();
    void optionRangesAreChecked_data();
    void optionRangesAreChecked();

private:
    test::CliResult generate(const QStringList &extra);

    QTemporaryDir m_dir;
    QString m_project;
};

void TestCliGenerate::initTestCase()
{
    m_project = m_dir.filePath(QStringLiteral("generate.tstudio"));
    QCOMPARE(runCli({QStringLiteral("create"), m_project}).exitCode, 0);
    for (const char *domain : {"books", "electronics"}) {
        const auto r = runCli({QStringLiteral("import"), m_project, QStringLiteral("--corpus"), QLatin1String(domain),
                               QStringLiteral("--file"), test::sampleFile(QStringLiteral("%1.train.tsv").arg(QLatin1String(domain))),
                               QStringLiteral("--no-header"), QStringLiteral("--label-column"), QStringLiteral("0"),
                               QStringLiteral("--text-column"), QStringLiteral("1"), QStringLiteral("--split-name"),
                               QStringLiteral("train")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }
    const auto unlabelled = runCli({QStringLiteral("import"), m_project, QStringLiteral("--corpus"), QStringLiteral("electronics"),
                                    QStringLiteral("--file"), test::sampleFile("electronics.unlabeled.txt"), QStringLiteral("--format"),
                                    QStringLiteral("txt"), QStringLiteral("--unlabeled")});
    QVERIFY2(unlabelled.exitCode == 0, qPrintable(unlabelled.err));
    for (const char *builtin : {"tiny-decoder", "tiny-encoder"}) {
        const auto r = runCli({QStringLiteral("add-model"), m_project, QStringLiteral("--builtin"), QLatin1String(builtin)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }
    const QStringList common{QStringLiteral("--source"), QStringLiteral("books"), QStringLiteral("--target"),
                             QStringLiteral("electronics"), QStringLiteral("--epochs"), QStringLiteral("1"),
                             QStringLiteral("--max-eval"), QStringLiteral("16"), QStringLiteral("--max-length"),
                             QStringLiteral("32"), QStringLiteral("--seed"), QStringLiteral("1")};
    // Run 1: the decoder continues pre-training on the target's text; run 2: a classifier.
    const auto lm = runCli(QStringList{QStringLiteral("run"), m_project, QStringLiteral("--model"), QStringLiteral("tiny-decoder"),
                                       QStringLiteral("--strategy"), QStringLiteral("continued-pretraining")} + common,
                           kTrainTimeoutMs);
    QVERIFY2(lm.exitCode == 0, qPrintable(lm.err.right(2000)));
    const auto classifier = runCli(QStringList{QStringLiteral("run"), m_project, QStringLiteral("--model"),
                                               QStringLiteral("tiny-encoder"), QStringLiteral("--strategy"),
                                               QStringLiteral("source-only")} + common,
                                   kTrainTimeoutMs);
    QVERIFY2(classifier.exitCode == 0, qPrintable(classifier.err.right(2000)));
}

test::CliResult TestCliGenerate::generate(const QStringList &extra)
{
    return runCli(QStringList{QStringLiteral("generate"), m_project} + extra);
}

void TestCliGenerate::greedyIsReproducible()
{
    const QStringList args{QStringLiteral("--model"), QStringLiteral("tiny-decoder"), QStringLiteral("--prompt"),
                           QStringLiteral("the battery"), QStringLiteral("--max-new-tokens"), QStringLiteral("12")};
    const auto first = generate(args), second = generate(args);
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    QCOMPARE(second.out, first.out);
    QVERIFY(!first.out.trimmed().isEmpty());
    QVERIFY2(first.err.contains(QLatin1String("from model \"tiny-decoder\", greedy")), qPrintable(first.err));
    QVERIFY2(first.err.contains(QLatin1String("12 new tokens")) || first.err.contains(QLatin1String("end-of-sequence")),
             qPrintable(first.err));
}

void TestCliGenerate::samplingFollowsTheSeed()
{
    const auto sampled = [&](const QString &seed) {
        return generate({QStringLiteral("--model"), QStringLiteral("tiny-decoder"), QStringLiteral("--prompt"),
                         QStringLiteral("the battery"), QStringLiteral("--max-new-tokens"), QStringLiteral("24"),
                         QStringLiteral("--temperature"), QStringLiteral("1.5"), QStringLiteral("--top-p"),
                         QStringLiteral("0.95"), QStringLiteral("--seed"), seed});
    };
    const auto a = sampled(QStringLiteral("7")), again = sampled(QStringLiteral("7")), b = sampled(QStringLiteral("8"));
    QVERIFY2(a.exitCode == 0 && b.exitCode == 0, qPrintable(a.err + b.err));
    QCOMPARE(again.out, a.out);
    QVERIFY(a.out != b.out);
    QVERIFY2(a.err.contains(QLatin1String("temperature 1.5, top-p 0.95, seed 7")), qPrintable(a.err));
}

void TestCliGenerate::runModelGenerates()
{
    // The trained run continues differently from its untrained base model: its weights are used.
    const QStringList prompt{QStringLiteral("--prompt"), QStringLiteral("the battery"), QStringLiteral("--max-new-tokens"),
                             QStringLiteral("16")};
    const auto run = generate(QStringList{QStringLiteral("--run"), QStringLiteral("1")} + prompt);
    const auto base = generate(QStringList{QStringLiteral("--model"), QStringLiteral("tiny-decoder")} + prompt);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.err.contains(QLatin1String("from run 1's model (continued-pretraining, tiny-decoder)")), qPrintable(run.err));
    QVERIFY(run.out != base.out);
}

void TestCliGenerate::streamedPiecesMakeTheText()
{
    TextGenerationParams params;
    params.projectPath = m_project;
    params.runId = 1;
    params.prompt = QStringLiteral("the battery");
    params.sampling.maxNewTokens = 16;
    QStringList pieces;
    params.onText = [&](const QString &piece) { pieces.append(piece); };
    const auto out = TextGenerator::generate(params);
    QVERIFY2(out.ok(), qPrintable(out.error()));
    QVERIFY(pieces.size() > 1); // several pieces, one per token that completes text
    QCOMPARE(pieces.join(QString()), out->text);
    const auto printed = generate({QStringLiteral("--run"), QStringLiteral("1"), QStringLiteral("--prompt"),
                                   QStringLiteral("the battery"), QStringLiteral("--max-new-tokens"), QStringLiteral("16")});
    QCOMPARE(printed.out, out->text + QLatin1Char('\n'));
    // Aborting keeps what came so far.
    params.sampling.abort = [&] { return pieces.size() >= 20; };
    pieces.clear();
    params.sampling.maxNewTokens = 200;
    params.onText = [&](const QString &piece) { pieces.append(piece); };
    const auto stopped = TextGenerator::generate(params);
    QVERIFY2(stopped.ok(), qPrintable(stopped.error()));
    QVERIFY(stopped->aborted || stopped->stoppedAtEos);
    QVERIFY(stopped->newTokens < 200);
}

void TestCliGenerate::encodersAndClassifiersAreRefused()
{
    const auto encoder = generate({QStringLiteral("--model"), QStringLiteral("tiny-encoder"), QStringLiteral("--prompt"),
                                   QStringLiteral("hello")});
    QCOMPARE(encoder.exitCode, 1);
    QVERIFY2(encoder.err.contains(QLatin1String("is a bert encoder")) && encoder.err.contains(QLatin1String("`predict`")),
             qPrintable(encoder.err));
    const auto classifier = generate({QStringLiteral("--run"), QStringLiteral("2"), QStringLiteral("--prompt"),
                                      QStringLiteral("hello")});
    QCOMPARE(classifier.exitCode, 1);
    QVERIFY2(classifier.err.contains(QLatin1String("trained a classifier")) &&
                 classifier.err.contains(QLatin1String("`predict PROJECT --run 2")),
             qPrintable(classifier.err));
    QVERIFY(classifier.out.isEmpty());
}

void TestCliGenerate::optionRangesAreChecked_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QString>("message");
    QTest::newRow("no tokens") << QStringList{QStringLiteral("--max-new-tokens"), QStringLiteral("0")}
                               << "--max-new-tokens is 0; it must be from 1 to 65536";
    QTest::newRow("negative temperature") << QStringList{QStringLiteral("--temperature"), QStringLiteral("-1")}
                                          << "--temperature is -1; it must be from 0 (greedy) to 100";
    QTest::newRow("temperature not a number") << QStringList{QStringLiteral("--temperature"), QStringLiteral("warm")}
                                              << "--temperature: \"warm\" is not a number";
    QTest::newRow("negative top-k") << QStringList{QStringLiteral("--top-k"), QStringLiteral("-3")} << "--top-k is -3";
    QTest::newRow("top-p 0") << QStringList{QStringLiteral("--top-p"), QStringLiteral("0")} << "--top-p is 0";
    QTest::newRow("seed not a number") << QStringList{QStringLiteral("--seed"), QStringLiteral("-1")}
                                       << "--seed: \"-1\" is not a number";
    QTest::newRow("model and run") << QStringList{QStringLiteral("--run"), QStringLiteral("1")}
                                   << "give --model M (a registered decoder) or --run ID";
    QTest::newRow("no prompt") << QStringList{QStringLiteral("--prompt"), QString()} << "--prompt: give the text";
}

void TestCliGenerate::optionRangesAreChecked()
{
    QFETCH(QStringList, extra);
    QFETCH(QString, message);
    QStringList args{QStringLiteral("--model"), QStringLiteral("tiny-decoder"), QStringLiteral("--prompt"),
                     QStringLiteral("hello")};
    args += extra; // a repeated --prompt: the last one counts
    const auto r = generate(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestCliGenerate)
#include "tst_cligenerate.moc"
