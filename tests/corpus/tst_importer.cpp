// Importing into a project: every format, splits, duplicates, labels, paging, and the
// all-or-nothing guarantee on every kind of bad input (the project must be unchanged).
#include "TempProject.h"

#include "corpus/CorpusImporter.h"
#include "corpus/CorpusStore.h"
#include "corpus/DocumentPager.h"
#include "corpus/RecordScanner.h"
#include "corpus/StreamHash.h"
#include "corpus/TextFingerprint.h"
#include "project/Project.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

using namespace ts;

namespace {

const QString kData = QStringLiteral(TS_TEST_DATA_DIR "/corpus/");

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

// SHA-256 over every row of the tables an import writes.
QByteArray contentDigest(const QSqlDatabase &db)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QSqlQuery query(db);
    for (const char *sql : {"SELECT id, corpus_id, split, label, text, origin, text_hash FROM documents ORDER BY id",
                            "SELECT id, name FROM corpora ORDER BY id", "SELECT id, name FROM labels ORDER BY id",
                            "SELECT id, corpus_id, path, documents FROM imports ORDER BY id"}) {
        if (!query.exec(QLatin1String(sql)))
            return {};
        while (query.next()) {
            for (int i = 0; i < query.record().count(); ++i)
                hash.addData(query.value(i).toString().toUtf8() + '\x1f');
            hash.addData("\x1e");
        }
    }
    return hash.result();
}

qint64 scalar(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

ImportParams params(const QString &corpus, const QString &path)
{
    ImportParams p = importDefaultParams();
    p.corpus = corpus;
    p.path = path;
    return p;
}

} // namespace

class TestImporter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void csvWithHeaderAndStratifiedSplit();
    void duplicatesAfterWhitespaceNormalisation();
    void duplicatesOfDocumentsWithoutFingerprint();
    void tsvJsonlTextAndFolder();
    void explicitEncoding();
    void splitIsStratifiedAndRepeatable();
    void labelMapAndUnknownLabelWarning();
    void unlabelledSourceCannotGoToTrain();
    void badInputLeavesProjectUnchanged_data();
    void badInputLeavesProjectUnchanged();
    void swappedColumnsAreRefused_data();
    void swappedColumnsAreRefused();
    void repeatedTextsAreNotSwapped();
    void fingerprintOfUtf8MatchesUtf16();
    void fingerprintHashesSimplifiedText();
    void streamHashIgnoresHowTheStreamIsCut();
    void hugeSingleLineIsRefused();
    void fileRemovedMidImport();
    void abortRollsBack();
    void pagesByKey();

private:
    std::unique_ptr<test::TempFolder> m_dir;
    std::unique_ptr<Project> m_project;
};

void TestImporter::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    auto project = Project::create(m_dir->path(QStringLiteral("p.tstudio")));
    QVERIFY2(project.ok(), qPrintable(project.error()));
    m_project = std::move(project.value());
}

void TestImporter::csvWithHeaderAndStratifiedSplit()
{
    ImportParams p = params(QStringLiteral("reviews"), kData + QStringLiteral("reviews.csv"));
    QList<ImportProgress> progress;
    p.progress = [&](const ImportProgress &step) { progress.append(step); };
    const Result<ImportReport> report = CorpusImporter::run(*m_project, p);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->format, QStringLiteral("csv"));
    QCOMPARE(report->records, 5);
    QCOMPARE(report->documents, 4);
    QCOMPARE(report->duplicates, 1);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().bytesRead, progress.last().totalBytes);
    const QSqlDatabase db = m_project->database();
    QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM documents WHERE text LIKE 'Broke after a week.%'")), 1);
    QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM documents WHERE text = 'She said \"wow\" twice'")), 1);
    QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM documents WHERE origin LIKE '%reviews.csv:5'")), 1);
    QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM labels")), 2);
    QCOMPARE(scalar(db, QStringLiteral("SELECT documents FROM imports")), 4);
    qint64 inSplits = 0;
    for (const qint64 n : report->splits)
        inSplits += n;
    QCOMPARE(inSplits, 4);
}

void TestImporter::duplicatesAfterWhitespaceNormalisation()
{
    const QString path = m_dir->path(QStringLiteral("dups.txt"));
    writeBytes(path, "a  b c\n a b\tc \nA b c\nd\n");
    ImportParams p = params(QStringLiteral("pool"), path);
    const auto first = CorpusImporter::run(*m_project, p);
    QVERIFY2(first.ok(), qPrintable(first.error()));
    QCOMPARE(first->documents, 3); // "a b c", "A b c" (case counts), "d"
    QCOMPARE(first->duplicates, 1);
    QCOMPARE(first->duplicatesBySplit, (QMap<QString, qint64>{{QString(), 1}})); // an earlier line of the file
    // A second file into the same corpus is checked against what the corpus already holds.
    const auto again = CorpusImporter::run(*m_project, p);
    QVERIFY(again.ok());
    QCOMPARE(again->documents, 0);
    QCOMPARE(again->duplicates, 4);
    QCOMPARE(again->duplicatesBySplit, (QMap<QString, qint64>{{QStringLiteral("unlabeled"), 4}}));
    p.removeDuplicates = false;
    const auto kept = CorpusImporter::run(*m_project, p);
    QVERIFY(kept.ok());
    QCOMPARE(kept->documents, 4);
}

void TestImporter::duplicatesOfDocumentsWithoutFingerprint()
{
    // Documents stored before format 3, or whose fingerprints format 5 cleared, have none; the
    // next import into their corpus gives them one and finds their duplicates.
    const QString path = m_dir->path(QStringLiteral("again.txt"));
    writeBytes(path, "old\tdocument \u00e9t\u00e9\nnew document\n");
    QSqlQuery query(m_project->database());
    QVERIFY(query.exec(QStringLiteral("INSERT INTO corpora(name, created_at) VALUES ('pool', 'now')")));
    QVERIFY(query.exec(QStringLiteral("INSERT INTO documents(corpus_id, split, text) "
                                      "VALUES (1, 'unlabeled', ' old document \u00e9t\u00e9 ')")));
    const auto report = CorpusImporter::run(*m_project, params(QStringLiteral("pool"), path));
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->documents, 1);
    QCOMPARE(report->duplicates, 1);
    const QSqlDatabase db = m_project->database();
    QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM documents WHERE text_hash IS NULL")), 0);
    QCOMPARE(scalar(db, QStringLiteral("SELECT count(DISTINCT text_hash) FROM documents")), 2);
    QCOMPARE(scalar(db, QStringLiteral("SELECT max(id) FROM documents")), 2); // ids go on from the table's
}

void TestImporter::tsvJsonlTextAndFolder()
{
    ImportParams tsv = params(QStringLiteral("tsv"), kData + QStringLiteral("reviews.tsv"));
    tsv.hasHeader = false;
    tsv.labelColumn = QStringLiteral("0");
    tsv.textColumn = QStringLiteral("1");
    tsv.split = ImportSplit::Test;
    const auto t = CorpusImporter::run(*m_project, tsv);
    QVERIFY2(t.ok(), qPrintable(t.error()));
    QCOMPARE(t->splits.value(QStringLiteral("test")), 3);
    const QSqlDatabase db = m_project->database();
    QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM documents WHERE text = 'Loud and weak' AND label = 'neg'")), 1);

    const auto j = CorpusImporter::run(*m_project, params(QStringLiteral("jsonl"), kData + QStringLiteral("reviews.jsonl")));
    QVERIFY2(j.ok(), qPrintable(j.error()));
    QCOMPARE(j->documents, 3);
    QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM documents WHERE text = 'Crew was kind' AND label = '1'")), 1);

    const auto l = CorpusImporter::run(*m_project, params(QStringLiteral("lines"), kData + QStringLiteral("lines.txt")));
    QVERIFY2(l.ok(), qPrintable(l.error()));
    QCOMPARE(l->splits, (QMap<QString, qint64>{{QStringLiteral("unlabeled"), 3}}));

    const auto f = CorpusImporter::run(*m_project, params(QStringLiteral("folder"), kData + QStringLiteral("folder")));
    QVERIFY2(f.ok(), qPrintable(f.error()));
    QCOMPARE(f->format, QStringLiteral("folder"));
    QCOMPARE(f->documents, 3);
    const auto summaries = CorpusStore::summaries(db);
    QVERIFY(summaries.ok());
    const auto folder = std::find_if(summaries->cbegin(), summaries->cend(),
                                     [](const CorpusSummary &s) { return s.name == QLatin1String("folder"); });
    QCOMPARE(folder->labels, (QMap<QString, qint64>{{QStringLiteral("neg"), 1}, {QStringLiteral("pos"), 2}}));
}

void TestImporter::explicitEncoding()
{
    ImportParams p = params(QStringLiteral("latin"), kData + QStringLiteral("latin1.tsv"));
    const auto refused = CorpusImporter::run(*m_project, p);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().startsWith(p.path + QStringLiteral(":2: ")), qPrintable(refused.error()));
    QVERIFY(refused.error().contains(QLatin1String("not valid UTF-8")));
    p.encoding = QStringLiteral("latin1");
    const auto decoded = CorpusImporter::run(*m_project, p);
    QVERIFY2(decoded.ok(), qPrintable(decoded.error()));
    QCOMPARE(scalar(m_project->database(), QStringLiteral("SELECT count(*) FROM documents WHERE text = 'caf\u00e9 cr\u00e8me'")), 1);
}

void TestImporter::splitIsStratifiedAndRepeatable()
{
    const QString path = m_dir->path(QStringLiteral("many.csv"));
    QByteArray bytes("text,label\n");
    for (int i = 0; i < 1000; ++i)
        bytes += "document " + QByteArray::number(i) + (i % 4 == 0 ? ",rare\n" : ",common\n");
    writeBytes(path, bytes);
    QList<QList<qint64>> runs;
    for (const char *corpus : {"a", "b"}) {
        const auto report = CorpusImporter::run(*m_project, params(QLatin1String(corpus), path));
        QVERIFY2(report.ok(), qPrintable(report.error()));
        QCOMPARE(report->splits.value(QStringLiteral("train")), 800);
        QCOMPARE(report->splits.value(QStringLiteral("validation")), 100);
        QSqlQuery query(m_project->database());
        QVERIFY(query.exec(QStringLiteral("SELECT count(*) FROM documents d JOIN corpora c ON c.id = d.corpus_id WHERE "
                                          "c.name = '%1' AND split = 'test' AND label = 'rare'").arg(QLatin1String(corpus))));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toInt(), 25); // a quarter of the 100 test documents, as in the file
        QVERIFY(query.exec(QStringLiteral("SELECT d.id - (SELECT min(id) FROM documents x WHERE x.corpus_id = d.corpus_id) "
                                          "FROM documents d JOIN corpora c ON c.id = d.corpus_id WHERE c.name = '%1' "
                                          "AND split = 'validation' ORDER BY d.id").arg(QLatin1String(corpus))));
        QList<qint64> offsets;
        while (query.next())
            offsets.append(query.value(0).toLongLong());
        runs.append(offsets);
    }
    QCOMPARE(runs.at(0), runs.at(1));
    // Drawn at random, not by position: validation documents come from all over the file.
    const auto [first, last] = std::minmax_element(runs.at(0).cbegin(), runs.at(0).cend());
    QVERIFY2(*first < 100 && *last > 900, qPrintable(QStringLiteral("%1..%2").arg(*first).arg(*last)));
    ImportParams reseeded = params(QStringLiteral("c"), path);
    reseeded.seed = 7;
    const auto another = CorpusImporter::run(*m_project, reseeded);
    QVERIFY2(another.ok(), qPrintable(another.error()));
    QCOMPARE(another->splits.value(QStringLiteral("test")), 100); // exact for any seed
}

void TestImporter::labelMapAndUnknownLabelWarning()
{
    ImportParams source = params(QStringLiteral("source"), kData + QStringLiteral("reviews.csv"));
    source.labelMap = {{QStringLiteral("pos"), QStringLiteral("1")}, {QStringLiteral("neg"), QStringLiteral("0")}};
    QVERIFY(CorpusImporter::run(*m_project, source).ok());
    QCOMPARE(CorpusStore::labels(m_project->database(), 1).value(), (QStringList{QStringLiteral("0"), QStringLiteral("1")}));
    const auto target = CorpusImporter::run(*m_project, params(QStringLiteral("target"), kData + QStringLiteral("reviews.jsonl")));
    QVERIFY(target.ok());
    QCOMPARE(target->warnings.size(), 2); // "neg" and "pos" are unknown; "1" is shared
    QVERIFY2(target->warnings.first().contains(QLatin1String("label 'neg'")), qPrintable(target->warnings.first()));
    QCOMPARE(CorpusStore::labelSet(m_project->database()).value(),
             (QStringList{QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("neg"), QStringLiteral("pos")}));
}

void TestImporter::unlabelledSourceCannotGoToTrain()
{
    ImportParams p = params(QStringLiteral("x"), kData + QStringLiteral("lines.txt"));
    p.split = ImportSplit::Train;
    const auto report = CorpusImporter::run(*m_project, p);
    QVERIFY(!report.ok());
    QVERIFY2(report.error().contains(QLatin1String("no labels")), qPrintable(report.error()));
    QCOMPARE(scalar(m_project->database(), QStringLiteral("SELECT count(*) FROM corpora")), 0);
}

void TestImporter::badInputLeavesProjectUnchanged_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("columns"); // "" or "<text>,<label>" by 0-based index, no header
    QTest::addColumn<QString>("expected"); // after "<file>"
    QByteArray binary(4096, '\0');
    for (int i = 0; i < binary.size(); ++i)
        binary[i] = char((i * 7919) % 256);
    QByteArray manyBad("text,label\n");
    for (int i = 0; i < 20; ++i)
        manyBad += "only one field " + QByteArray::number(i) + "\n";
    QTest::newRow("empty") << "empty.csv" << QByteArray() << "csv" << "" << ":1: the file is empty";
    QTest::newRow("header only") << "header.csv" << QByteArray("text,label\n") << "csv" << "" << ":1: no records";
    QTest::newRow("binary") << "binary.txt" << binary << "txt" << "" << ":1: this looks like a binary file";
    QTest::newRow("invalid utf-8") << "cp1252.csv" << QByteArray("text,label\ngood,1\nbad \x93quote\x94,0\n") << "csv"
                                   << "" << ":3: the text is not valid UTF-8";
    QTest::newRow("unterminated quote") << "quote.csv" << QByteArray("text,label\nok,1\n\"open,0\nrest\n") << "csv"
                                        << "" << ":3: a quoted field opened on this line is never closed";
    QTest::newRow("missing column") << "cols.csv" << QByteArray("review,label\nx,1\n") << "csv" << ""
                                    << ":1: no text column 'text' in the header (columns: review, label)";
    QTest::newRow("label column in the wrong place")
        << "swapped.tsv"
        << QByteArray("this is the review text that ended up where the label belongs, far too long\t1\n"
                      "another long review text in the label column, as happens with swapped columns\t0\n")
        << "tsv" << "1,0" << ": refused: all 2 record(s) are bad (first: ";
    QTest::newRow("too many bad rows") << "bad.csv" << manyBad << "csv" << ""
                                       << ": refused: more than 10 bad row(s); the first: ";
    QTest::newRow("invalid jsonl") << "bad.jsonl" << QByteArray("{\"text\": \"ok\"}\n{\"text\": \n") << "jsonl" << ""
                                   << ": refused: ";
}

void TestImporter::badInputLeavesProjectUnchanged()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, format);
    QFETCH(QString, columns);
    QFETCH(QString, expected);
    QVERIFY(CorpusImporter::run(*m_project, params(QStringLiteral("c"), kData + QStringLiteral("reviews.csv"))).ok());
    const QByteArray before = contentDigest(m_project->database());
    const qint64 documents = scalar(m_project->database(), QStringLiteral("SELECT count(*) FROM documents"));
    const QString path = m_dir->path(name);
    writeBytes(path, bytes);
    for (const QString &corpus : {QStringLiteral("c"), QStringLiteral("new")}) {
        ImportParams p = params(corpus, path);
        p.format = parseCorpusFormat(format).value();
        if (!columns.isEmpty()) {
            p.hasHeader = false;
            p.textColumn = columns.section(QLatin1Char(','), 0, 0);
            p.labelColumn = columns.section(QLatin1Char(','), 1, 1);
        }
        p.maxBadRows = name == QLatin1String("bad.jsonl") ? 0 : ImportParams::kDefaultMaxBadRows;
        const auto report = CorpusImporter::run(*m_project, p);
        QVERIFY(!report.ok());
        QVERIFY2(report.error().startsWith(path + expected), qPrintable(report.error()));
        QVERIFY2(report.error().contains(QRegularExpression(QStringLiteral(":\\d+: "))), qPrintable(report.error()));
    }
    QCOMPARE(scalar(m_project->database(), QStringLiteral("SELECT count(*) FROM documents")), documents);
    QCOMPARE(contentDigest(m_project->database()), before);
}

void TestImporter::swappedColumnsAreRefused_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("textColumn");
    QTest::addColumn<QString>("labelColumn");
    QTest::addColumn<QString>("columns"); // as the message names them: "<text column>, <label column>"
    // Short documents: no label is too long and there are few of them, yet the columns are swapped.
    QByteArray tweets("sentiment,tweet\n");
    for (int i = 0; i < 40; ++i)
        tweets += (i % 3 ? "pos," : "neg,") + QByteArray("loved flight ") + QByteArray::number(i) + "\n";
    QTest::newRow("short texts by name") << "tweets.csv" << tweets << "sentiment" << "tweet" << "'sentiment', 'tweet'";
    // Long documents without a header: the rows would be refused one by one as "label too long".
    QByteArray reviews;
    for (int i = 0; i < 12; ++i)
        reviews += QByteArray::number(i % 2) + "\tthis review ended up in the label column, as a swapped import puts it, "
                   "number " + QByteArray::number(i) + "\n";
    QTest::newRow("long texts by index") << "reviews.tsv" << reviews << "0" << "1" << "0, 1";
    QByteArray jsonl;
    for (int i = 0; i < 10; ++i)
        jsonl += "{\"body\": \"great read " + QByteArray::number(i) + "\", \"stars\": \"" + QByteArray::number(i % 2) + "\"}\n";
    QTest::newRow("jsonl fields") << "books.jsonl" << jsonl << "stars" << "body" << "'stars', 'body'";
}

void TestImporter::swappedColumnsAreRefused()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, textColumn);
    QFETCH(QString, labelColumn);
    QFETCH(QString, columns);
    const QString path = m_dir->path(name);
    writeBytes(path, bytes);
    ImportParams p = params(QStringLiteral("c"), path);
    p.hasHeader = name.endsWith(QLatin1String(".csv"));
    p.textColumn = textColumn;
    p.labelColumn = labelColumn;
    const auto report = CorpusImporter::run(*m_project, p);
    QVERIFY(!report.ok());
    const QString text = columns.section(QStringLiteral(", "), 0, 0);
    const QString label = columns.section(QStringLiteral(", "), 1, 1);
    QVERIFY2(report.error().startsWith(path + QStringLiteral(": refused: the text and label columns look swapped")),
             qPrintable(report.error()));
    QVERIFY2(report.error().contains(QStringLiteral("the text column %1 holds only 2 distinct value(s)").arg(text)),
             qPrintable(report.error()));
    QVERIFY2(report.error().endsWith(QStringLiteral("make %1 the text column and %2 the label column").arg(label, text)),
             qPrintable(report.error()));
    QCOMPARE(scalar(m_project->database(), QStringLiteral("SELECT count(*) FROM documents")), 0);
    // Mapped the right way round, the same file imports.
    p.textColumn = labelColumn;
    p.labelColumn = textColumn;
    const auto fixed = CorpusImporter::run(*m_project, p);
    QVERIFY2(fixed.ok(), qPrintable(fixed.error()));
    QCOMPARE(fixed->documents, fixed->records);
}

void TestImporter::repeatedTextsAreNotSwapped()
{
    // Texts that repeat (a form's canned answers) with a short, few-valued label are no swap.
    QByteArray canned("text,label\n");
    for (int i = 0; i < 30; ++i)
        canned += (i % 2 ? "yes," : "no,") + QByteArray(i % 3 ? "a" : "b") + "\n";
    const QString path = m_dir->path(QStringLiteral("canned.csv"));
    writeBytes(path, canned);
    ImportParams p = params(QStringLiteral("c"), path);
    p.removeDuplicates = false;
    const auto report = CorpusImporter::run(*m_project, p);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->documents, 30);
}

void TestImporter::fingerprintOfUtf8MatchesUtf16()
{
    for (const QString &text : {QString(), QStringLiteral(" "), QStringLiteral("a"), QStringLiteral("  a  b\n"),
                                QStringLiteral("caf\u00e9\u00a0au lait\u3000\u65e5\u672c"),
                                QStringLiteral("emoji \U0001F600 \U0001F44D\t end"), QStringLiteral("\u2003x\u2028y\u0085"),
                                QStringLiteral("ctrl\u0001x\u007f \"quoted\",  na\u00efve\u00e9t\u00e9s words\r\n")}) {
        QCOMPARE(TextFingerprint::ofUtf8(text.toUtf8()), TextFingerprint::of(text));
        QCOMPARE(TextFingerprint::isBlankUtf8(text.toUtf8()), text.trimmed().isEmpty());
    }
    QCOMPARE(TextFingerprint::of(QStringLiteral("a  b\n")), TextFingerprint::of(QStringLiteral("a b")));
    QVERIFY(TextFingerprint::of(QStringLiteral("a b")) != TextFingerprint::of(QStringLiteral("ab")));
    QVERIFY(TextFingerprint::isBlankUtf8(QStringLiteral("\u3000 \n").toUtf8()));
}

void TestImporter::fingerprintHashesSimplifiedText()
{
    // Random texts of letters and whitespace runs of every kind, long enough that the folding's
    // sixteen-byte steps meet spaces, runs and multi-byte characters at every offset.
    const QList<char16_t> pieces = {u'a',  u'b',  u'Z',      u'.',      u' ',      u' ',
                                    u'\t', u'\n', u'\u00e9', u'\u00a0', u'\u3000', u'\u65e5'};
    QRandomGenerator random(7);
    for (int round = 0; round < 2000; ++round) {
        QString text;
        for (int i = int(random.bounded(120)); i > 0; --i)
            text += QChar(pieces.at(int(random.bounded(pieces.size()))));
        StreamHash expected;
        const QByteArray simplified = text.simplified().toUtf8();
        expected.feed(simplified.constData(), simplified.size());
        QCOMPARE(TextFingerprint::ofUtf8(text.toUtf8()), qint64(expected.finish()));
    }
    // Stored in project files: the values must not change between builds or platforms.
    QCOMPARE(TextFingerprint::of(QStringLiteral(" a  b\n")), Q_INT64_C(4373291905301188892));
    QCOMPARE(TextFingerprint::of(QStringLiteral("The battery lasts for ages, caf\u00e9.")), Q_INT64_C(48595609840356942));
}

void TestImporter::streamHashIgnoresHowTheStreamIsCut()
{
    const QByteArray bytes = "0123456789abcdefghijklmnopqrstuvwxyz";
    StreamHash whole;
    whole.feed(bytes.constData(), bytes.size());
    for (int cut = 0; cut <= bytes.size(); ++cut) {
        for (int second = cut; second <= bytes.size(); second += 5) {
            StreamHash pieces;
            pieces.feed(bytes.constData(), cut);
            pieces.feed(bytes.constData() + cut, second - cut);
            pieces.feed(bytes.constData() + second, bytes.size() - second);
            QCOMPARE(pieces.finish(), whole.finish());
            QCOMPARE(pieces.length(), qint64(bytes.size()));
        }
    }
    StreamHash shorter;
    shorter.feed(bytes.constData(), bytes.size() - 1);
    QVERIFY(shorter.finish() != whole.finish());
}

void TestImporter::hugeSingleLineIsRefused()
{
    // 100 MB without a line break: refused at the 16 MiB cap, never buffered whole.
    const QString path = m_dir->path(QStringLiteral("oneline.txt"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QByteArray block(1 << 20, 'w');
        for (int i = 0; i < 100; ++i)
            QCOMPARE(file.write(block), block.size());
    }
    const QByteArray before = contentDigest(m_project->database());
    const auto report = CorpusImporter::run(*m_project, params(QStringLiteral("c"), path));
    QVERIFY(!report.ok());
    QVERIFY2(report.error().startsWith(path + QStringLiteral(":1: record is longer than 16 MiB")), qPrintable(report.error()));
    QCOMPARE(contentDigest(m_project->database()), before);
}

void TestImporter::fileRemovedMidImport()
{
    // Larger than what the importer reads ahead (a few batches, within the first 1 MiB chunk), so
    // that the file goes while it is still being read.
    const QString path = m_dir->path(QStringLiteral("vanishing.txt"));
    QByteArray bytes;
    for (int i = 0; i < 10 * CorpusImporter::kBatchRecords; ++i)
        bytes += "line number " + QByteArray::number(i) + " of a file that disappears\n";
    writeBytes(path, bytes);
    const QByteArray before = contentDigest(m_project->database());
    ImportParams p = params(QStringLiteral("c"), path);
    p.progress = [&](const ImportProgress &) { QFile::remove(path); };
    const auto report = CorpusImporter::run(*m_project, p);
    QVERIFY(!report.ok());
    QVERIFY2(report.error().startsWith(path + QLatin1Char(':')), qPrintable(report.error()));
    QVERIFY2(report.error().contains(QLatin1String("removed or renamed during the import")), qPrintable(report.error()));
    QCOMPARE(contentDigest(m_project->database()), before);
    QCOMPARE(scalar(m_project->database(), QStringLiteral("SELECT count(*) FROM corpora")), 0);
}

void TestImporter::abortRollsBack()
{
    const QString path = m_dir->path(QStringLiteral("long.txt"));
    QByteArray bytes;
    for (int i = 0; i < 2 * CorpusImporter::kBatchRecords; ++i)
        bytes += "document " + QByteArray::number(i) + "\n";
    writeBytes(path, bytes);
    ImportParams p = params(QStringLiteral("c"), path);
    int polls = 0;
    p.abort = [&] { return ++polls == 2; };
    const auto report = CorpusImporter::run(*m_project, p);
    QVERIFY(!report.ok());
    QVERIFY2(report.error().contains(QStringLiteral("long.txt:%1: import cancelled").arg(2 * CorpusImporter::kBatchRecords)),
             qPrintable(report.error()));
    QCOMPARE(scalar(m_project->database(), QStringLiteral("SELECT count(*) FROM documents")), 0);
}

void TestImporter::pagesByKey()
{
    QVERIFY(CorpusImporter::run(*m_project, params(QStringLiteral("lines"), kData + QStringLiteral("lines.txt"))).ok());
    QVERIFY(CorpusImporter::run(*m_project, params(QStringLiteral("csv"), kData + QStringLiteral("reviews.csv"))).ok());
    const qint64 csv = CorpusStore::find(m_project->database(), QStringLiteral("csv")).value().value();
    QStringList texts;
    qint64 after = 0;
    int pages = 0;
    for (bool atEnd = false; !atEnd; ++pages) {
        const auto page = DocumentPager::page(m_project->database(), csv, after, 3);
        QVERIFY2(page.ok(), qPrintable(page.error()));
        for (const DocumentRow &row : page->rows)
            texts.append(row.text);
        after = page->nextAfter;
        atEnd = page->atEnd;
    }
    QCOMPARE(pages, 2);
    QCOMPARE(texts.size(), 4);
    QCOMPARE(texts.first(), QStringLiteral("Great phone, love it"));
    const auto unlabeled = DocumentPager::page(m_project->database(), csv, 0, 10, QStringLiteral("unlabeled"));
    QVERIFY(unlabeled.ok() && unlabeled->rows.isEmpty() && unlabeled->atEnd);
}

QTEST_GUILESS_MAIN(TestImporter)
#include "tst_importer.moc"
