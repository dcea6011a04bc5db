// Record scanning below the importers: RFC 4180 rows, lines, encodings, delimiter detection,
// the per-record cap, and the UTF-8 validator.
#include "TempProject.h"

#include "corpus/ChunkReader.h"
#include "corpus/FormatDetector.h"
#include "corpus/RecordScanner.h"
#include "corpus/Utf8Validator.h"

#include <QTest>

using namespace ts;

namespace {

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

// Every row of `path` split on `delimiter`, each prefixed by its line number.
QList<QByteArrayList> rows(const QString &path, char delimiter, QString *error = nullptr)
{
    ChunkReader reader(path, QString());
    if (!reader.open())
        return {};
    RecordScanner scanner(reader);
    QList<QByteArrayList> all;
    QList<QByteArray> fields;
    while (true) {
        const Result<bool> next = scanner.nextRow(delimiter, fields);
        if (!next) {
            if (error)
                *error = next.error();
            break;
        }
        if (!next.value())
            break;
        all.append(QByteArrayList{QByteArray::number(scanner.recordLine())} + fields);
    }
    return all;
}

} // namespace

class TestCsv : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void quotedFields();
    void crlfBomAndBlankLines();
    void unterminatedQuoteNamesItsLine();
    void recordOverCapIsRefused();
    void linesKeepNelAndStripCr();
    void transcodesOtherEncodings();
    void detectsDelimiterAndHeader_data();
    void detectsDelimiterAndHeader();
    void utf8Validator_data();
    void utf8Validator();

private:
    std::unique_ptr<test::TempFolder> m_dir;
};

void TestCsv::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    QVERIFY(m_dir->isValid());
}

void TestCsv::quotedFields()
{
    const QList<QByteArrayList> all = rows(QStringLiteral(TS_TEST_DATA_DIR "/corpus/reviews.csv"), ',');
    QCOMPARE(all.size(), 6);
    QCOMPARE(all.at(0), (QByteArrayList{"1", "text", "label"}));
    QCOMPARE(all.at(1), (QByteArrayList{"2", "Great phone, love it", "pos"}));
    QCOMPARE(all.at(2), (QByteArrayList{"3", "Broke after a week.\nWould not buy again", "neg"}));
    QCOMPARE(all.at(3), (QByteArrayList{"5", "She said \"wow\" twice", "pos"}));
    QCOMPARE(all.at(4), (QByteArrayList{"6", "plain row without quotes", "neg"}));
}

void TestCsv::crlfBomAndBlankLines()
{
    const QString path = m_dir->path(QStringLiteral("crlf.csv"));
    writeBytes(path, "\xEF\xBB\xBF" "a,b\r\n\r\n\"x\r\ny\",2\r\nlast,3");
    const QList<QByteArrayList> all = rows(path, ',');
    QCOMPARE(all.size(), 3);
    QCOMPARE(all.at(0), (QByteArrayList{"1", "a", "b"}));
    QCOMPARE(all.at(1), (QByteArrayList{"3", "x\r\ny", "2"}));
    QCOMPARE(all.at(2), (QByteArrayList{"5", "last", "3"}));
}

void TestCsv::unterminatedQuoteNamesItsLine()
{
    const QString path = m_dir->path(QStringLiteral("open.csv"));
    writeBytes(path, "a,b\nok,1\n\"never closed,2\nmore\n");
    QString error;
    const QList<QByteArrayList> all = rows(path, ',', &error);
    QCOMPARE(all.size(), 2);
    QVERIFY2(error.startsWith(path + QStringLiteral(":3: ")), qPrintable(error));
    QVERIFY(error.contains(QLatin1String("never closed")));
}

void TestCsv::recordOverCapIsRefused()
{
    const QString path = m_dir->path(QStringLiteral("long.csv"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("a,b\n1,");
        const QByteArray block(1 << 20, 'x');
        for (qsizetype written = 0; written <= RecordScanner::kMaxRecordBytes; written += block.size())
            file.write(block);
    }
    QString error;
    rows(path, ',', &error);
    QVERIFY2(error.startsWith(path + QStringLiteral(":2: record is longer than 16 MiB")), qPrintable(error));
}

void TestCsv::linesKeepNelAndStripCr()
{
    const QString path = m_dir->path(QStringLiteral("nel.txt"));
    writeBytes(path, "one\xC2\x85still one\r\ntwo\n");
    ChunkReader reader(path, QString());
    QVERIFY(reader.open());
    RecordScanner scanner(reader);
    QByteArray line;
    QVERIFY(scanner.nextLine(line).value());
    QCOMPARE(line, QByteArray("one\xC2\x85still one"));
    QVERIFY(scanner.nextLine(line).value());
    QCOMPARE(line, QByteArray("two"));
    QCOMPARE(scanner.recordLine(), 2);
    QVERIFY(!scanner.nextLine(line).value());
}

void TestCsv::transcodesOtherEncodings()
{
    const QString path = m_dir->path(QStringLiteral("utf16.txt"));
    QByteArray utf16("\xFF\xFE", 2);
    for (const QChar c : QStringLiteral("h\u00e9,\u20ac\n"))
        utf16.append(char(c.unicode() & 0xFF)).append(char(c.unicode() >> 8));
    writeBytes(path, utf16);
    ChunkReader reader(path, QStringLiteral("utf-16"));
    QVERIFY(reader.open());
    RecordScanner scanner(reader);
    QList<QByteArray> fields;
    QVERIFY(scanner.nextRow(',', fields).value());
    QCOMPARE(fields, (QByteArrayList{QStringLiteral("h\u00e9").toUtf8(), QStringLiteral("\u20ac").toUtf8()}));

    ChunkReader unknown(path, QStringLiteral("klingon-8"));
    const Status opened = unknown.open();
    QVERIFY(!opened.ok());
    QVERIFY2(opened.error().contains(QLatin1String("unknown encoding 'klingon-8'")), qPrintable(opened.error()));
}

void TestCsv::detectsDelimiterAndHeader_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("format");
    QTest::addColumn<char>("delimiter");
    QTest::addColumn<bool>("header");
    QTest::newRow("semicolon csv") << "a.csv" << QByteArray("text;label\n\"x;y\";1\nz;0\n") << int(CorpusFormat::Csv)
                                   << ';' << true;
    QTest::newRow("fdu-style tsv, no extension") << "music.task.train" << QByteArray("1\tgreat , fun\n0\tbad\n")
                                                 << int(CorpusFormat::Tsv) << '\t' << false;
    QTest::newRow("jsonl by content") << "data" << QByteArray("{\"text\": \"a\"}\n") << int(CorpusFormat::Jsonl)
                                      << char(0) << false;
    QTest::newRow("text with uneven commas") << "raw" << QByteArray("a , b , c\nno commas\n")
                                             << int(CorpusFormat::Text) << char(0) << false;
}

void TestCsv::detectsDelimiterAndHeader()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(int, format);
    QFETCH(char, delimiter);
    QFETCH(bool, header);
    const QString path = m_dir->path(name);
    writeBytes(path, bytes);
    const Result<FormatGuess> guess = FormatDetector::inspect(path, QString(), CorpusFormat::Auto, 5);
    QVERIFY2(guess.ok(), qPrintable(guess.error()));
    QCOMPARE(int(guess->format), format);
    QCOMPARE(guess->delimiter, delimiter);
    QCOMPARE(guess->hasHeader, header);
    QVERIFY(!guess->rows.isEmpty());
}

void TestCsv::utf8Validator_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("invalidAt");
    QTest::newRow("ascii") << QByteArray("plain ascii text, longer than eight bytes") << -1;
    QTest::newRow("two, three and four bytes") << QByteArray("\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") << -1;
    QTest::newRow("windows-1252 en dash") << QByteArray("abc \x96 def") << 4;
    QTest::newRow("overlong slash") << QByteArray("ab\xC0\xAF") << 2;
    QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << 0;
    QTest::newRow("above U+10FFFF") << QByteArray("x\xF4\x90\x80\x80") << 1;
    QTest::newRow("truncated") << QByteArray("abcdefgh\xE2\x82") << 8;
    QTest::newRow("NUL inside ascii run") << QByteArray("abcdefg\0hijklmno", 16) << 7;
}

void TestCsv::utf8Validator()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, invalidAt);
    QCOMPARE(Utf8Validator::firstInvalid(bytes), qsizetype(invalidAt));
    if (invalidAt >= 0)
        QVERIFY(!Utf8Validator::describe(bytes, invalidAt).isEmpty());
}

QTEST_GUILESS_MAIN(TestCsv)
#include "tst_csv.moc"
