// The corpus verbs of transfer-studio-cli (import, corpora, stats) run as a user runs them:
// output formats, exit codes, and bad inputs that must leave the project unchanged.
#include "CliRunner.h"
#include "TempProject.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

using namespace ts;
using test::runCli;

namespace {

const QString kData = QStringLiteral(TS_TEST_DATA_DIR "/corpus/");

// Document count and SHA-256 of the documents table, read through a connection of our own.
QPair<qint64, QByteArray> documentsDigest(const QString &project)
{
    const QString name = QStringLiteral("digest");
    QPair<qint64, QByteArray> result{-1, {}};
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(project);
        if (db.open()) {
            QSqlQuery query(db);
            QCryptographicHash hash(QCryptographicHash::Sha256);
            result.first = 0;
            query.exec(QStringLiteral("SELECT id, corpus_id, split, label, text FROM documents ORDER BY id"));
            while (query.next()) {
                ++result.first;
                for (int i = 0; i < 5; ++i)
                    hash.addData(query.value(i).toString().toUtf8() + '\x1f');
            }
            query.exec(QStringLiteral("SELECT count(*) FROM corpora"));
            query.next();
            hash.addData(query.value(0).toString().toUtf8());
            result.second = hash.result();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

} // namespace

class TestCliCorpus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void importThenCorporaJson();
    void importHumanReadableAndWarnings();
    void usageErrors_data();
    void usageErrors();
    void badInputIsOneErrorLine_data();
    void badInputIsOneErrorLine();
    void statsJsonAndUnknownCorpus();
    void statsFragmentationWithModel();

private:
    std::unique_ptr<test::TempFolder> m_dir;
    QString m_project;
};

void TestCliCorpus::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    m_project = m_dir->path(QStringLiteral("p.tstudio"));
    QCOMPARE(runCli({QStringLiteral("create"), m_project}).exitCode, 0);
}

void TestCliCorpus::importThenCorporaJson()
{
    const auto tsv = runCli({QStringLiteral("import"), m_project, QStringLiteral("--corpus"), QStringLiteral("shop"),
                             QStringLiteral("--file"), kData + QStringLiteral("reviews.tsv"), QStringLiteral("--no-header"),
                             QStringLiteral("--label-column"), QStringLiteral("0"), QStringLiteral("--text-column"),
                             QStringLiteral("1"), QStringLiteral("--split-name"), QStringLiteral("train"),
                             QStringLiteral("--json")});
    QVERIFY2(tsv.exitCode == 0, qPrintable(tsv.err));
    const QJsonObject report = QJsonDocument::fromJson(tsv.out.toUtf8()).object();
    QCOMPARE(report.value(QLatin1String("format")).toString(), QStringLiteral("tsv"));
    QCOMPARE(report.value(QLatin1String("documents")).toInt(), 3);
    // The same texts again as a test file: kept out, and the report says where they already are.
    const QStringList again{QStringLiteral("import"),      m_project,          QStringLiteral("--corpus"),
                            QStringLiteral("shop"),        QStringLiteral("--file"), kData + QStringLiteral("reviews.tsv"),
                            QStringLiteral("--no-header"), QStringLiteral("--label-column"), QStringLiteral("0"),
                            QStringLiteral("--text-column"), QStringLiteral("1"), QStringLiteral("--split-name"),
                            QStringLiteral("test")};
    const auto human = runCli(again);
    QVERIFY2(human.out.contains(QLatin1String("3 duplicates removed (already in: train 3)")), qPrintable(human.out));
    const auto json = runCli(again + QStringList{QStringLiteral("--json")});
    QCOMPARE(QJsonDocument::fromJson(json.out.toUtf8()).object().value(QLatin1String("duplicatesIn")).toObject(),
             (QJsonObject{{QStringLiteral("train"), 3}}));
    const auto txt = runCli({QStringLiteral("import"), m_project, QStringLiteral("--corpus"), QStringLiteral("shop"),
                             QStringLiteral("--file"), kData + QStringLiteral("lines.txt")});
    QVERIFY2(txt.exitCode == 0, qPrintable(txt.err));

    const auto corpora = runCli({QStringLiteral("corpora"), m_project, QStringLiteral("--json")});
    QCOMPARE(corpora.exitCode, 0);
    const QJsonArray array = QJsonDocument::fromJson(corpora.out.toUtf8()).array();
    QCOMPARE(array.size(), 1);
    const QJsonObject shop = array.first().toObject();
    QCOMPARE(shop.value(QLatin1String("name")).toString(), QStringLiteral("shop"));
    QCOMPARE(shop.value(QLatin1String("documents")).toInt(), 6);
    QCOMPARE(shop.value(QLatin1String("unlabeled")).toInt(), 3);
    QCOMPARE(shop.value(QLatin1String("splits")).toObject().value(QLatin1String("train")).toInt(), 3);
    QCOMPARE(shop.value(QLatin1String("labels")).toObject(), (QJsonObject{{QStringLiteral("neg"), 1}, {QStringLiteral("pos"), 2}}));
}

void TestCliCorpus::importHumanReadableAndWarnings()
{
    const QString path = m_dir->path(QStringLiteral("some-bad.csv"));
    writeBytes(path, "text,label\ngood one,1\njust text\nanother good,0\n");
    const auto r = runCli({QStringLiteral("import"), m_project, QStringLiteral("--corpus"), QStringLiteral("c"),
                           QStringLiteral("--file"), path});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(QStringLiteral("imported 2 documents into corpus 'c'")), qPrintable(r.out));
    QVERIFY2(r.err.contains(path + QStringLiteral(":3: has 1 field(s); the label column 'label' is missing")), qPrintable(r.err));
    const auto corpora = runCli({QStringLiteral("corpora"), m_project});
    QVERIFY2(corpora.out.contains(QLatin1String("c: 2 documents")), qPrintable(corpora.out));
}

void TestCliCorpus::usageErrors_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::newRow("no corpus") << QStringList{QStringLiteral("--file"), QStringLiteral("x.csv")};
    QTest::newRow("bad format") << QStringList{QStringLiteral("--corpus"), QStringLiteral("c"), QStringLiteral("--file"),
                                               QStringLiteral("x"), QStringLiteral("--format"), QStringLiteral("xlsx")};
    QTest::newRow("bad split") << QStringList{QStringLiteral("--corpus"), QStringLiteral("c"), QStringLiteral("--file"),
                                              QStringLiteral("x"), QStringLiteral("--split"), QStringLiteral("0.5,0.1,0.1")};
    QTest::newRow("split name and unlabeled")
        << QStringList{QStringLiteral("--corpus"), QStringLiteral("c"), QStringLiteral("--file"), QStringLiteral("x"),
                       QStringLiteral("--split-name"), QStringLiteral("train"), QStringLiteral("--unlabeled")};
    QTest::newRow("bad max-bad-rows") << QStringList{QStringLiteral("--corpus"), QStringLiteral("c"), QStringLiteral("--file"),
                                                     QStringLiteral("x"), QStringLiteral("--max-bad-rows"), QStringLiteral("-1")};
}

void TestCliCorpus::usageErrors()
{
    QFETCH(QStringList, options);
    const auto r = runCli(QStringList{QStringLiteral("import"), m_project} + options);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.startsWith(QLatin1String("error: ")), qPrintable(r.err));
}

void TestCliCorpus::badInputIsOneErrorLine_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("expected"); // follows "error: <file>"
    QTest::newRow("empty") << "empty.csv" << QByteArray() << QStringList() << ":1: the file is empty";
    QTest::newRow("binary") << "image.txt" << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) << QStringList()
                            << ":3: this looks like a binary file"; // the first NUL follows two line breaks
    QTest::newRow("invalid utf-8") << "latin.txt" << QByteArray("fine\nna\xefve\n") << QStringList()
                                   << ":2: the line is not valid UTF-8";
    QTest::newRow("unterminated quote") << "q.csv" << QByteArray("text\n\"open\n") << QStringList()
                                        << ":2: a quoted field opened on this line is never closed";
    QTest::newRow("missing column") << "m.csv" << QByteArray("body,label\nx,1\n")
                                    << QStringList{QStringLiteral("--label-column"), QStringLiteral("label")}
                                    << ":1: no text column 'text' in the header (columns: body, label)";
    // FDU-MTL's layout: label, tab, text, no header. The message says how to read it, with the
    // columns the import wizard would pick.
    QTest::newRow("no header") << "baby.task.train"
                               << QByteArray("1\tcute design and good quality , adds a nice touch\n"
                                             "0\tit broke after a week , do not buy this gate\n"
                                             "1\tgreat seat , no slipping at all\n")
                               << QStringList()
                               << ":1: the first row looks like a record, not column names (\"1 | cute design and good "
                                  "quality , adds a nice touch\"), and there is no 'text' column to read; if the file "
                                  "has no header, read it with --no-header --text-column 1 --label-column 0 (0-based "
                                  "columns)";
    QTest::newRow("label column out of range")
        << "r.tsv" << QByteArray("0\tfine\n")
        << QStringList{QStringLiteral("--no-header"), QStringLiteral("--label-column"), QStringLiteral("2"),
                       QStringLiteral("--text-column"), QStringLiteral("1")}
        << ": refused: all 1 record(s) are bad (first: ";
    QTest::newRow("unknown encoding") << "e.txt" << QByteArray("x\n")
                                      << QStringList{QStringLiteral("--encoding"), QStringLiteral("no-such-codec")}
                                      << ": unknown encoding 'no-such-codec'";
}

void TestCliCorpus::badInputIsOneErrorLine()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QStringList, options);
    QFETCH(QString, expected);
    QCOMPARE(runCli({QStringLiteral("import"), m_project, QStringLiteral("--corpus"), QStringLiteral("c"),
                     QStringLiteral("--file"), kData + QStringLiteral("reviews.csv")})
                 .exitCode,
             0);
    const auto before = documentsDigest(m_project);
    QCOMPARE(before.first, 4);
    const QString path = m_dir->path(name);
    writeBytes(path, bytes);
    const auto r = runCli(QStringList{QStringLiteral("import"), m_project, QStringLiteral("--corpus"), QStringLiteral("c"),
                                      QStringLiteral("--file"), path}
                          + options);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.startsWith(QStringLiteral("error: ") + path + expected), qPrintable(r.err));
    QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
    QCOMPARE(documentsDigest(m_project), before);
}

void TestCliCorpus::statsJsonAndUnknownCorpus()
{
    for (const char *corpus : {"csv", "jsonl"}) {
        const auto r = runCli({QStringLiteral("import"), m_project, QStringLiteral("--corpus"), QLatin1String(corpus),
                               QStringLiteral("--file"), kData + QStringLiteral("reviews.") + QLatin1String(corpus)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }
    const auto r = runCli({QStringLiteral("stats"), m_project, QStringLiteral("--source"), QStringLiteral("csv"),
                           QStringLiteral("--target"), QStringLiteral("jsonl"), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject report = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(report.value(QLatin1String("source")).toObject().value(QLatin1String("documents")).toInt(), 4);
    QCOMPARE(report.value(QLatin1String("target")).toObject().value(QLatin1String("documents")).toInt(), 3);
    QVERIFY(report.value(QLatin1String("jensen_shannon")).toDouble() > 0);
    QVERIFY(report.value(QLatin1String("target_oov_rate")).toDouble() > 0);
    // The jsonl corpus's label "1" is unknown to the csv corpus (pos/neg); too few documents for PAD.
    QVERIFY2(r.err.contains(QLatin1String("target label '1'")), qPrintable(r.err));
    QVERIFY(r.err.contains(QLatin1String("noisy")));

    const auto missing = runCli({QStringLiteral("stats"), m_project, QStringLiteral("--source"), QStringLiteral("csv"),
                                 QStringLiteral("--target"), QStringLiteral("nope")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains(QLatin1String("no corpus 'nope'")), qPrintable(missing.err));
    QCOMPARE(runCli({QStringLiteral("stats"), m_project, QStringLiteral("--source"), QStringLiteral("csv")}).exitCode, 2);
}

void TestCliCorpus::statsFragmentationWithModel()
{
    for (const char *corpus : {"csv", "jsonl"}) {
        const auto r = runCli({QStringLiteral("import"), m_project, QStringLiteral("--corpus"), QLatin1String(corpus),
                               QStringLiteral("--file"), kData + QStringLiteral("reviews.") + QLatin1String(corpus)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }
    // A Hugging Face folder with bert-uncased's tokenizer.json, and a built-in model whose
    // tokenizer add-model trains on both corpora.
    const QString hf = m_dir->path(QStringLiteral("hf"));
    QVERIFY(QDir().mkpath(hf));
    const QString models = QStringLiteral(TS_TEST_DATA_DIR "/models/bert/");
    for (const char *file : {"config.json", "model.safetensors"})
        QVERIFY(QFile::copy(models + QLatin1String(file), hf + QLatin1Char('/') + QLatin1String(file)));
    QVERIFY(QFile::copy(QStringLiteral(TS_TEST_DATA_DIR "/tokenizers/bert-uncased.tokenizer.json"), hf + "/tokenizer.json"));
    QCOMPARE(runCli({QStringLiteral("add-model"), m_project, QStringLiteral("--hf-dir"), hf, QStringLiteral("--name"),
                     QStringLiteral("bert")}).exitCode, 0);
    QCOMPARE(runCli({QStringLiteral("add-model"), m_project, QStringLiteral("--builtin"), QStringLiteral("tiny-encoder")})
                 .exitCode, 0);
    for (const QString &model : {QStringLiteral("bert"), QStringLiteral("tiny-encoder")}) {
        const auto r = runCli({QStringLiteral("stats"), m_project, QStringLiteral("--source"), QStringLiteral("csv"),
                               QStringLiteral("--target"), QStringLiteral("jsonl"), QStringLiteral("--model"), model,
                               QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject fragmentation =
            QJsonDocument::fromJson(r.out.toUtf8()).object().value(QLatin1String("fragmentation")).toObject();
        QCOMPARE(fragmentation.value(QLatin1String("model")).toString(), model);
        for (const auto &[role, documents] : {std::pair{"source", 4}, std::pair{"target", 3}}) {
            const QJsonObject f = fragmentation.value(QLatin1String(role)).toObject();
            QCOMPARE(f.value(QLatin1String("documents")).toInt(), documents);
            const double words = f.value(QLatin1String("words")).toDouble();
            const double tokens = f.value(QLatin1String("tokens")).toDouble();
            QVERIFY2(words > 0 && tokens >= words, qPrintable(r.out));
            QCOMPARE(f.value(QLatin1String("tokens_per_word")).toDouble(), tokens / words);
            const double split = f.value(QLatin1String("split_word_share")).toDouble();
            QVERIFY(split >= 0 && split <= 1);
        }
        const auto text = runCli({QStringLiteral("stats"), m_project, QStringLiteral("--source"), QStringLiteral("csv"),
                                  QStringLiteral("--target"), QStringLiteral("jsonl"), QStringLiteral("--model"), model});
        QVERIFY2(text.out.contains(QStringLiteral("sub-word fragmentation with the tokenizer of '%1': source ").arg(model)),
                 qPrintable(text.out));
    }
    const auto plain = runCli({QStringLiteral("stats"), m_project, QStringLiteral("--source"), QStringLiteral("csv"),
                               QStringLiteral("--target"), QStringLiteral("jsonl"), QStringLiteral("--json")});
    QVERIFY(!QJsonDocument::fromJson(plain.out.toUtf8()).object().contains(QLatin1String("fragmentation")));
    const auto missing = runCli({QStringLiteral("stats"), m_project, QStringLiteral("--source"), QStringLiteral("csv"),
                                 QStringLiteral("--target"), QStringLiteral("jsonl"), QStringLiteral("--model"),
                                 QStringLiteral("nope")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains(QLatin1String("no model called \"nope\"")), qPrintable(missing.err));
}

QTEST_GUILESS_MAIN(TestCliCorpus)
#include "tst_clicorpus.moc"
