// Prompts from the command line: `--set prompt=...` and `--set label_words=...` are checked by the
// same option schema as the dialog (placeholders at parse time, exit 2; label words against the
// source's labels in the preflight, exit 1, nothing recorded), `strategies --json` gives their
// kinds, and a zero-shot in-context run with calibration on the built-in tiny decoder runs and
// logs the prompt it built; `predict` on its target's test texts gives the probabilities the run
// stored (`predictions`), through the same prompt, demonstrations and calibration.
#include "CliRunner.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace ts::test;

namespace {

/// A prediction CSV's rows by id: the predicted label and each label's probability (p_ columns,
/// which come before the text column, the only one that can hold commas).
QMap<QString, QPair<QString, QList<double>>> rowsById(const QString &csv)
{
    QMap<QString, QPair<QString, QList<double>>> rows;
    QStringList lines = csv.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (lines.isEmpty())
        return rows;
    const QStringList header = lines.takeFirst().split(QLatin1Char(','));
    for (const QString &line : std::as_const(lines)) {
        const QStringList fields = line.split(QLatin1Char(','));
        QList<double> probabilities;
        for (int i = 0; i < header.size(); ++i) {
            if (header[i].startsWith(QLatin1String("p_")))
                probabilities.append(fields.value(i).toDouble());
        }
        rows.insert(fields.value(0), {fields.value(int(header.indexOf(QStringLiteral("predicted")))), probabilities});
    }
    return rows;
}

} // namespace

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

    // predict classifies through the same prompt, demonstrations and calibration: the stored
    // predictions again (both CSVs hold 6 decimals).
    const QJsonArray runs = QJsonDocument::fromJson(runCli({QStringLiteral("runs"), m_project, QStringLiteral("--json")})
                                                        .out.toUtf8()).array();
    const QString id = QString::number(runs.last().toObject().value(QLatin1String("id")).toInt());
    const auto stored = runCli({QStringLiteral("predictions"), m_project, QStringLiteral("--run"), id, QStringLiteral("--csv")});
    QVERIFY2(stored.exitCode == 0, qPrintable(stored.err));
    const QString out = m_dir.filePath(QStringLiteral("predicted.csv"));
    const auto predicted = runCli({QStringLiteral("predict"), m_project, QStringLiteral("--run"), id, QStringLiteral("--corpus"),
                                   QStringLiteral("electronics"), QStringLiteral("--split"), QStringLiteral("test"),
                                   QStringLiteral("--out"), out});
    QVERIFY2(predicted.exitCode == 0, qPrintable(predicted.err));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto expected = rowsById(stored.out);
    const auto actual = rowsById(QString::fromUtf8(file.readAll()));
    QVERIFY(!expected.isEmpty());
    QCOMPARE(actual.size(), expected.size());
    for (auto it = expected.constBegin(); it != expected.constEnd(); ++it) {
        QVERIFY2(actual.contains(it.key()), qPrintable(it.key()));
        const auto &row = actual.value(it.key());
        QCOMPARE(row.first, it.value().first);
        QCOMPARE(row.second.size(), it.value().second.size());
        for (int c = 0; c < row.second.size(); ++c)
            QVERIFY2(std::abs(row.second[c] - it.value().second[c]) <= 1e-5,
                     qPrintable(QStringLiteral("document %1, label %2: predict %3, stored %4")
                                    .arg(it.key()).arg(c).arg(row.second[c]).arg(it.value().second[c])));
    }
}

QTEST_GUILESS_MAIN(TestCliPrompts)
#include "tst_cliprompts.moc"
