// Prompts from the command line: `--set prompt=...` and `--set label_words=...` are checked by the
// same option schema as the dialog (placeholders at parse time, exit 2; label words against the
// source's labels in the preflight, exit 1, nothing recorded), `strategies --json` gives their
// kinds, and a zero-shot in-context run with calibration on the built-in tiny decoder runs and
// logs the prompt it built.
#include "CliRunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace ts::test;

class TestCliPrompts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void badPromptsAreRefused();
    void strategiesJsonNamesPromptKinds();
    void inContextRunFromTheCli();

private:
    QStringList runArguments(const QString &strategy) const;

    QTemporaryDir m_dir;
    QString m_project;
};

void TestCliPrompts::initTestCase()
{
    m_project = m_dir.filePath(QStringLiteral("prompts.tstudio"));
    QCOMPARE(runCli({QStringLiteral("create"), m_project}).exitCode, 0);
    for (const char *domain : {"books", "electronics"}) {
        const auto r = runCli({QStringLiteral("import"), m_project, QStringLiteral("--corpus"), QLatin1String(domain),
                               QStringLiteral("--file"), QStringLiteral(TS_SOURCE_DIR "/resources/samples/%1.train.tsv").arg(QLatin1String(domain)),
                               QStringLiteral("--no-header"), QStringLiteral("--label-column"), QStringLiteral("0"),
                               QStringLiteral("--text-column"), QStringLiteral("1")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }
    const auto model = runCli({QStringLiteral("add-model"), m_project, QStringLiteral("--builtin"), QStringLiteral("tiny-decoder")});
    QVERIFY2(model.exitCode == 0, qPrintable(model.err));
}

QStringList TestCliPrompts::runArguments(const QString &strategy) const
{
    return {QStringLiteral("run"), m_project, QStringLiteral("--source"), QStringLiteral("books"),
            QStringLiteral("--target"), QStringLiteral("electronics"), QStringLiteral("--model"),
            QStringLiteral("tiny-decoder"), QStringLiteral("--strategy"), strategy};
}

void TestCliPrompts::badPromptsAreRefused()
{
    const auto noText = runCli(runArguments(QStringLiteral("zero-shot"))
                               << QStringLiteral("--set") << QStringLiteral("prompt=Verdict: {mask}"));
    QCOMPARE(noText.exitCode, 2);
    QVERIFY2(noText.err.contains(QLatin1String("option \"prompt\": the template has no {text}")), qPrintable(noText.err));
    const auto unknown = runCli(runArguments(QStringLiteral("prompt-fine-tune"))
                                << QStringLiteral("--set") << QStringLiteral("prompt={text} {answer}"));
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains(QLatin1String("unknown placeholder {answer}")), qPrintable(unknown.err));
    const auto missing = runCli(runArguments(QStringLiteral("zero-shot"))
                                << QStringLiteral("--set") << QStringLiteral("label_words=1=good"));
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains(QLatin1String("label \"0\" has no word")), qPrintable(missing.err));
    const auto runs = runCli({QStringLiteral("runs"), m_project, QStringLiteral("--json")});
    QCOMPARE(QJsonDocument::fromJson(runs.out.toUtf8()).array().size(), 0);
}

void TestCliPrompts::strategiesJsonNamesPromptKinds()
{
    const auto r = runCli({QStringLiteral("strategies"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    int prompts = 0;
    for (const QJsonValue &s : QJsonDocument::fromJson(r.out.toUtf8()).array()) {
        for (const QJsonValue &o : s.toObject().value(QLatin1String("options")).toArray()) {
            if (o.toObject().value(QLatin1String("name")).toString() == QLatin1String("prompt")) {
                QCOMPARE(o.toObject().value(QLatin1String("type")).toString(), QStringLiteral("prompt"));
                ++prompts;
            }
        }
    }
    QCOMPARE(prompts, 2);
}

void TestCliPrompts::inContextRunFromTheCli()
{
    const auto r = runCli(runArguments(QStringLiteral("zero-shot"))
                          << QStringLiteral("--set") << QStringLiteral("prompt=Review: {text}\\nVerdict: {mask}")
                          << QStringLiteral("--set") << QStringLiteral("label_words=0=bad,1=good")
                          << QStringLiteral("--set") << QStringLiteral("demonstrations=1")
                          << QStringLiteral("--set") << QStringLiteral("calibrate=true")
                          << QStringLiteral("--max-length") << QStringLiteral("128")
                          << QStringLiteral("--max-eval") << QStringLiteral("16"));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err.right(2000)));
    const QString all = r.out + r.err;
    QVERIFY2(all.contains(QLatin1String("demonstrations per class from the source's labels")), qPrintable(all.right(3000)));
    QVERIFY2(all.contains(QLatin1String("contextual calibration")), qPrintable(all.right(3000)));
    QVERIFY2(all.contains(QLatin1String("\nVerdict: bad\n\n")) || all.contains(QLatin1String("\nVerdict: good\n\n")),
             qPrintable(all.right(3000)));
}

QTEST_GUILESS_MAIN(TestCliPrompts)
#include "tst_cliprompts.moc"
