// Hostile inputs of issue 16, each test named after the item it reproduces: line endings and
// quotes that merged records, exports that overwrote folders, reads of devices and FIFOs that never
// ended, folder imports that followed links out of the folder, runs that failed with internal
// errors after they were recorded, numeric flags that wrapped around, a cancelled run that exited
// 0, and messages that named the wrong line or the wrong cause.
#include "CliProject.h"
#include "CliRunner.h"
#include "TempProject.h"

#include "corpus/CorpusImporter.h"
#include "corpus/ImportParams.h"
#include "project/Project.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QStringEncoder>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>

using namespace ts;
using test::runCli;

namespace {

constexpr int kTimeoutMs = 300000;
// A read that blocks or never ends fails the test after this long instead of hanging CTest.
constexpr int kHangMs = 60000;
// A BERT with a masked-language-model head: its classifier is made for the corpora's two labels.
const QString kBertFixture = QStringLiteral(TS_TEST_DATA_DIR "/models/bert-lm");

QStringList runArguments(const QString &project, const QString &model, const QString &epochs)
{
    return {QStringLiteral("run"), project, QStringLiteral("--source"), QStringLiteral("books"),
            QStringLiteral("--target"), QStringLiteral("phones"), QStringLiteral("--model"), model,
            QStringLiteral("--strategy"), QStringLiteral("source-only"), QStringLiteral("--epochs"), epochs,
            QStringLiteral("--batch-size"), QStringLiteral("8"), QStringLiteral("--max-length"), QStringLiteral("16"),
            QStringLiteral("--threads"), QStringLiteral("1")};
}

/// Every document's text in the project at `path`, in id order.
QStringList texts(const QString &path)
{
    QStringList rows;
    auto project = Project::open(path, Project::Access::ReadOnly);
    if (!project)
        return {project.error()};
    QSqlQuery q(project.value()->database());
    q.exec(QStringLiteral("SELECT text FROM documents ORDER BY id"));
    while (q.next())
        rows << q.value(0).toString();
    return rows;
}

qsizetype runCount(const QString &project)
{
    return QJsonDocument::fromJson(runCli({QStringLiteral("runs"), project, QStringLiteral("--json")}).out.toUtf8())
        .array()
        .size();
}

/// Starts `arguments`, waits for the first training step on stderr and sends SIGINT.
int interruptAfterFirstStep(const QStringList &arguments, QString *out)
{
    QProcess process;
    process.start(QStringLiteral(TS_CLI_PATH), arguments);
    if (!process.waitForStarted())
        return -1;
    QString err;
    QElapsedTimer timer;
    timer.start();
    while (!err.contains(QLatin1String("] step")) && timer.elapsed() < kTimeoutMs && process.state() == QProcess::Running) {
        process.waitForReadyRead(200);
        err += QString::fromUtf8(process.readAllStandardError());
    }
    if (process.state() == QProcess::Running)
        ::kill(pid_t(process.processId()), SIGINT);
    if (!process.waitForFinished(kTimeoutMs))
        return -1;
    *out = QString::fromUtf8(process.readAllStandardOutput());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

/// Limits the size of any file the child writes to `bytes`; a write beyond fails with EFBIG, as on
/// a full disk (SIGXFSZ is ignored).
std::function<void()> diskFullAfter(qint64 bytes)
{
    return [bytes] {
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit fileSize{rlim_t(bytes), rlim_t(bytes)};
        ::setrlimit(RLIMIT_FSIZE, &fileSize);
    };
}

} // namespace

class TestHostileInputs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void item1_bareCrInTsvIsNotMerged();
    void item1_crOnlyLineEndingsSplitIntoDocuments();
    void item1_quoteSwallowingRecordsIsRefusedWithItsLine();
    void item1_quotedNewlinesInProseAreKept();
    void item2_exportRefusesNonEmptyFolderUnlessForced();
    void item2_exportOnFullDiskLeavesNoHalfWrittenFolder();
    void item3_devZeroModelFilesAreRefused();
    void item4_fifosAreRefusedWithoutBlocking();
    void item5_folderImportSkipsLinksLeavingTheFolder();
    void item6_damagedModelBytesAreFoundAndRefused();
    void item7_maxLengthBeyondPositionsIsRefusedBeforeRecording();
    void item7_tokenizerIdsBeyondEmbeddingTableAreRefusedBeforeRecording();
    void item7_nonFiniteWeightsAreRefusedBeforeRecording();
    void item8_numericFlagsAreParsedExactly();
    void item9_interruptedRunAndResumeExit130();
    void item10_nulIsReportedOnItsLine();
    void item10_lockFileThatCannotBeCreatedIsNotCalledBusy();
    void item10_walThatIsAFolderIsNotCalledDamaged();
    void item10_failedRunOnFullDiskSaysWhatWasKept();
    void item10_bigEndianUtf16WithoutBomIsDecoded();
    void item10_addModelRefusesBrokenSafetensors();

private:
    QString copyOfBase(const QString &name) const;
    Result<ImportReport> importBytes(const QString &file, const QByteArray &bytes, CorpusFormat format,
                                bool quotedNewlines = false);
    QString bertFolderWithVocabulary(const QString &name) const;
    void expectRefusedBeforeRecording(const QString &folder, const QStringList &runFlags, const QString &expected);

    QTemporaryDir m_dir;
    QString m_base;    // corpora "books" and "phones", the model "tiny-encoder"
    QString m_trained; // m_base with run 1 (tiny-encoder) and run 2 (the BERT fixture) trained for one epoch
    std::unique_ptr<QTemporaryDir> m_case; // per test
};

void TestHostileInputs::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_base = m_dir.filePath(QStringLiteral("base.tstudio"));
    const QString failed = test::createTrainingProject(m_base, {{QStringLiteral("books"), test::tsvReviews(60, "books")},
                                                                {QStringLiteral("phones"), test::tsvReviews(60, "phones")}});
    QVERIFY2(failed.isEmpty(), qPrintable(failed));
    m_trained = m_dir.filePath(QStringLiteral("trained.tstudio"));
    QVERIFY(QFile::copy(m_base, m_trained));
    const auto trained = runCli(runArguments(m_trained, QStringLiteral("tiny-encoder"), QStringLiteral("1")), kTimeoutMs);
    QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
    // A Hugging Face folder is read where it is, so that exporting its run writes only the export.
    m_case = std::make_unique<QTemporaryDir>(m_dir.filePath(QStringLiteral("bert-XXXXXX")));
    const QString bert = bertFolderWithVocabulary(QStringLiteral("bert"));
    QVERIFY(!bert.isEmpty());
    const auto added = runCli({QStringLiteral("add-model"), m_trained, QStringLiteral("--hf-dir"), bert,
                               QStringLiteral("--name"), QStringLiteral("bert")});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    const auto bertRun = runCli(runArguments(m_trained, QStringLiteral("bert"), QStringLiteral("1")), kTimeoutMs);
    QVERIFY2(bertRun.exitCode == 0, qPrintable(bertRun.err));
    m_case->setAutoRemove(false); // the folder stays registered in m_trained
}

void TestHostileInputs::init()
{
    m_case = std::make_unique<QTemporaryDir>();
    QVERIFY(m_case->isValid());
}

QString TestHostileInputs::copyOfBase(const QString &name) const
{
    const QString path = m_case->filePath(name);
    return QFile::copy(m_base, path) ? path : QString();
}

// Imports `bytes`, written to `file` in this test's folder, into a new project's corpus "c".
Result<ImportReport> TestHostileInputs::importBytes(const QString &file, const QByteArray &bytes, CorpusFormat format,
                                               bool quotedNewlines)
{
    const QString path = m_case->filePath(file);
    if (!test::writeFile(path, bytes))
        return Result<ImportReport>::failure(QStringLiteral("cannot write ") + path);
    auto project = Project::create(m_case->filePath(file + QStringLiteral(".tstudio")));
    if (!project)
        return Result<ImportReport>::failure(project.error());
    ImportParams params = importDefaultParams();
    params.corpus = QStringLiteral("c");
    params.path = path;
    params.format = format;
    params.quotedNewlines = quotedNewlines;
    params.split = format == CorpusFormat::Text ? ImportSplit::Unlabeled : ImportSplit::Train;
    return CorpusImporter::run(*project.value(), params);
}

// A copy of the BERT fixture with a WordPiece vocabulary, so that add-model accepts it.
QString TestHostileInputs::bertFolderWithVocabulary(const QString &name) const
{
    const QString dir = m_case->filePath(name);
    if (!QDir().mkpath(dir))
        return {};
    for (const char *file : {"config.json", "model.safetensors"}) {
        if (!QFile::copy(kBertFixture + QLatin1Char('/') + QLatin1String(file), dir + QLatin1Char('/') + QLatin1String(file)))
            return {};
    }
    return test::writeFile(dir + QStringLiteral("/vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nbook\n") ? dir : QString();
}

void TestHostileInputs::item1_bareCrInTsvIsNotMerged()
{
    // The second record used to be glued, label and all, into the first record's text.
    const auto report = importBytes(QStringLiteral("bare-cr.tsv"), "text\tlabel\nhello world\tpos\rsecond doc\tneg\nthird\tpos\n",
                               CorpusFormat::Tsv);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->documents, qint64(3));
    QCOMPARE(report->rejected, qint64(0));
    QCOMPARE(texts(m_case->filePath(QStringLiteral("bare-cr.tsv.tstudio"))),
             (QStringList{QStringLiteral("hello world"), QStringLiteral("second doc"), QStringLiteral("third")}));
}

void TestHostileInputs::item1_crOnlyLineEndingsSplitIntoDocuments()
{
    // A file with only CR line endings used to become one document.
    const auto report = importBytes(QStringLiteral("cr-only.txt"), "first line\rsecond line\rthird line\r", CorpusFormat::Text);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->documents, qint64(3));
    // Mixed endings, and a bad row after them is reported on its own line.
    const auto mixed = importBytes(QStringLiteral("mixed.tsv"), "text\tlabel\r\none\tpos\rtwo\tneg\nthree\r\n\tneg\rfour\tpos\n",
                              CorpusFormat::Tsv);
    QVERIFY2(mixed, qPrintable(mixed.error()));
    QCOMPARE(mixed->documents, qint64(3));
    QCOMPARE(mixed->rejected, qint64(2));
    QCOMPARE(mixed->issues.at(0).origin, m_case->filePath(QStringLiteral("mixed.tsv")) + QStringLiteral(":4"));
    QCOMPARE(mixed->issues.at(1).origin, m_case->filePath(QStringLiteral("mixed.tsv")) + QStringLiteral(":5"));
}

void TestHostileInputs::item1_quoteSwallowingRecordsIsRefusedWithItsLine()
{
    // The quote opened on line 2 closes on line 4: the record on line 3 used to vanish into it.
    const QByteArray csv = "text,label\n\"hello world,pos\nsecond doc,neg\nthird \"quoted\" doc,pos\nfourth,neg\n";
    const auto refused = importBytes(QStringLiteral("stray.csv"), csv, CorpusFormat::Csv);
    QVERIFY(!refused);
    const QString path = m_case->filePath(QStringLiteral("stray.csv"));
    QVERIFY2(refused.error().startsWith(path + QStringLiteral(":2: a quoted field opened on this line")),
             qPrintable(refused.error()));
    QVERIFY2(refused.error().contains(QLatin1String("first on line 3")), qPrintable(refused.error()));
    QVERIFY2(refused.error().contains(QLatin1String("--quoted-newlines")), qPrintable(refused.error()));
    // Closing cleanly on a later line is caught too, and so is a stray quote whose swallowed lines
    // do not look like records but whose closing quote is followed by text.
    const auto clean = importBytes(QStringLiteral("clean.csv"), "text,label\n\"opened here,pos\nmiddle record,neg\nlast\",pos\n",
                              CorpusFormat::Csv);
    QVERIFY(!clean);
    QVERIFY2(clean.error().contains(QLatin1String("clean.csv:2: ")), qPrintable(clean.error()));
    const auto trailing = importBytes(QStringLiteral("trailing.csv"), "text,label\n\"opened, here\nand then \"more,pos\n",
                                 CorpusFormat::Csv);
    QVERIFY(!trailing);
    QVERIFY2(trailing.error().contains(QLatin1String("trailing.csv:2: ")) &&
                 trailing.error().contains(QLatin1String("text follows its closing quote")),
             qPrintable(trailing.error()));
    // The user says quoted newlines are expected: the file is read as RFC 4180 says.
    const auto allowed = importBytes(QStringLiteral("allowed.csv"), csv, CorpusFormat::Csv, true);
    QVERIFY2(allowed, qPrintable(allowed.error()));
    QCOMPARE(allowed->documents, qint64(2));
    // The CLI passes the same choice.
    const QString project = copyOfBase(QStringLiteral("cli.tstudio"));
    const QStringList arguments{QStringLiteral("import"), project, QStringLiteral("--corpus"), QStringLiteral("stray"),
                                QStringLiteral("--file"), path};
    const auto cliRefused = runCli(arguments);
    QCOMPARE(cliRefused.exitCode, 1);
    QVERIFY2(cliRefused.err.contains(path + QStringLiteral(":2:")), qPrintable(cliRefused.err));
    const auto cliAllowed = runCli(arguments + QStringList{QStringLiteral("--quoted-newlines")});
    QVERIFY2(cliAllowed.exitCode == 0, qPrintable(cliAllowed.err));
}

void TestHostileInputs::item1_quotedNewlinesInProseAreKept()
{
    // Reviews with paragraphs and commas in a quoted field are what quotes are for.
    const QByteArray csv = "text,label\n\"The battery lasts, mostly.\nThe screen, however, is dim,\nand slow.\",neg\n"
                           "\"Great value\",pos\n";
    const auto report = importBytes(QStringLiteral("prose.csv"), csv, CorpusFormat::Csv);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->documents, qint64(2));
    QCOMPARE(texts(m_case->filePath(QStringLiteral("prose.csv.tstudio"))).first(),
             QStringLiteral("The battery lasts, mostly.\nThe screen, however, is dim,\nand slow."));
}

void TestHostileInputs::item2_exportRefusesNonEmptyFolderUnlessForced()
{
    const QString out = m_case->filePath(QStringLiteral("out"));
    QVERIFY(QDir().mkpath(out));
    QVERIFY(test::writeFile(out + QStringLiteral("/config.json"), "{\"mine\": true}"));
    QVERIFY(test::writeFile(out + QStringLiteral("/notes.txt"), "keep me"));
    const QByteArray digest = test::fileDigest(out + QStringLiteral("/config.json"));
    const QStringList arguments{QStringLiteral("export"), m_trained, QStringLiteral("--run"), QStringLiteral("1"),
                                QStringLiteral("--out"), out};
    const auto refused = runCli(arguments, kTimeoutMs);
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains(out) && refused.err.contains(QLatin1String("--force")), qPrintable(refused.err));
    QCOMPARE(test::fileDigest(out + QStringLiteral("/config.json")), digest);
    QVERIFY(QFile::exists(out + QStringLiteral("/notes.txt")));
    // --force replaces the folder as a whole, and nothing is left beside it.
    const auto forced = runCli(arguments + QStringList{QStringLiteral("--force")}, kTimeoutMs);
    QVERIFY2(forced.exitCode == 0, qPrintable(forced.err));
    QVERIFY(test::fileDigest(out + QStringLiteral("/config.json")) != digest);
    QVERIFY(QFile::exists(out + QStringLiteral("/model.safetensors")));
    QVERIFY(!QFile::exists(out + QStringLiteral("/notes.txt")));
    QCOMPARE(QDir(m_case->path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral("out")});
}

void TestHostileInputs::item2_exportOnFullDiskLeavesNoHalfWrittenFolder()
{
    const QString out = m_case->filePath(QStringLiteral("out"));
    const QStringList arguments{QStringLiteral("export"), m_trained, QStringLiteral("--run"), QStringLiteral("2"),
                                QStringLiteral("--out"), out};
    // The disk fills up while the export writes: its config.json fits in 64 kB, its weights
    // (the BERT fixture's, about 100 kB) do not.
    const auto full = runCli(arguments, kTimeoutMs, diskFullAfter(64 * 1024));
    QCOMPARE(full.exitCode, 1);
    QVERIFY2(full.err.contains(QLatin1String("model.safetensors")), qPrintable(full.err));
    QVERIFY(!QFileInfo::exists(out));
    QCOMPARE(QDir(m_case->path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());
    // An empty folder is taken as it is; with room the export completes, with the permissions of
    // a folder the user makes.
    QVERIFY(QDir().mkpath(out));
    const auto written = runCli(arguments, kTimeoutMs);
    QVERIFY2(written.exitCode == 0, qPrintable(written.err));
    for (const char *file : {"config.json", "model.safetensors", "vocab.txt"})
        QVERIFY2(QFile::exists(out + QLatin1Char('/') + QLatin1String(file)), file);
    QVERIFY(QFileInfo(out).permissions() & QFileDevice::ReadGroup);
}

void TestHostileInputs::item3_devZeroModelFilesAreRefused()
{
    const QString project = copyOfBase(QStringLiteral("p.tstudio"));
    // config.json a link to /dev/zero: add-model and hf-cache.
    const QString zeroConfig = m_case->filePath(QStringLiteral("hub/models--org--zero/snapshots/0123"));
    QVERIFY(QDir().mkpath(zeroConfig));
    QVERIFY(QFile::copy(kBertFixture + QStringLiteral("/model.safetensors"), zeroConfig + QStringLiteral("/model.safetensors")));
    QVERIFY(QFile::link(QStringLiteral("/dev/zero"), zeroConfig + QStringLiteral("/config.json")));
    QElapsedTimer timer;
    timer.start();
    const auto added = runCli({QStringLiteral("add-model"), project, QStringLiteral("--hf-dir"), zeroConfig}, kHangMs);
    QCOMPARE(added.exitCode, 1);
    QVERIFY2(added.err.contains(zeroConfig + QStringLiteral("/config.json is a character device")), qPrintable(added.err));
    QProcess cache;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HF_HUB_CACHE"), m_case->filePath(QStringLiteral("hub")));
    cache.setProcessEnvironment(environment);
    cache.setProcessChannelMode(QProcess::MergedChannels);
    cache.start(QStringLiteral(TS_CLI_PATH), {QStringLiteral("hf-cache")});
    QVERIFY(cache.waitForFinished(kHangMs));
    QVERIFY2(QString::fromUtf8(cache.readAll()).contains(QLatin1String("is a character device")), "hf-cache names it");
    // tokenizer.json a link to /dev/zero in a registered folder: tokenize and run.
    const QString folder = bertFolderWithVocabulary(QStringLiteral("bert"));
    QVERIFY(!folder.isEmpty());
    const auto registered = runCli({QStringLiteral("add-model"), project, QStringLiteral("--hf-dir"), folder,
                                    QStringLiteral("--name"), QStringLiteral("bert")});
    QVERIFY2(registered.exitCode == 0, qPrintable(registered.err));
    QVERIFY(QFile::link(QStringLiteral("/dev/zero"), folder + QStringLiteral("/tokenizer.json")));
    const auto tokenized = runCli({QStringLiteral("tokenize"), project, QStringLiteral("--model"), QStringLiteral("bert"),
                                   QStringLiteral("--text"), QStringLiteral("the book")},
                                  kHangMs);
    QCOMPARE(tokenized.exitCode, 1);
    QVERIFY2(tokenized.err.contains(QLatin1String("tokenizer.json is a character device")), qPrintable(tokenized.err));
    const auto run = runCli(runArguments(project, QStringLiteral("bert"), QStringLiteral("1")), kHangMs);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QLatin1String("tokenizer.json is a character device")), qPrintable(run.err));
    QVERIFY(timer.elapsed() < 4 * kHangMs);
}

void TestHostileInputs::item4_fifosAreRefusedWithoutBlocking()
{
    const QString project = copyOfBase(QStringLiteral("p.tstudio"));
    const QString fifo = m_case->filePath(QStringLiteral("corpus.tsv"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    // As --file.
    const auto imported = runCli(test::tsvImportArguments(project, QStringLiteral("fifo"), fifo), kHangMs);
    QCOMPARE(imported.exitCode, 1);
    QVERIFY2(imported.err.contains(fifo + QStringLiteral(" is a FIFO (named pipe)")), qPrintable(imported.err));
    // As the project.
    const QString fifoProject = m_case->filePath(QStringLiteral("fifo.tstudio"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifoProject).constData(), 0600), 0);
    for (const QString &verb : {QStringLiteral("info"), QStringLiteral("corpora")}) {
        const auto opened = runCli({verb, fifoProject}, kHangMs);
        QCOMPARE(opened.exitCode, 1);
        QVERIFY2(opened.err.contains(fifoProject + QStringLiteral(" is a FIFO (named pipe)")), qPrintable(opened.err));
    }
    // As config.json of a model folder.
    const QString folder = m_case->filePath(QStringLiteral("model"));
    QVERIFY(QDir().mkpath(folder));
    QVERIFY(QFile::copy(kBertFixture + QStringLiteral("/model.safetensors"), folder + QStringLiteral("/model.safetensors")));
    QCOMPARE(::mkfifo(QFile::encodeName(folder + QStringLiteral("/config.json")).constData(), 0600), 0);
    const auto added = runCli({QStringLiteral("add-model"), project, QStringLiteral("--hf-dir"), folder}, kHangMs);
    QCOMPARE(added.exitCode, 1);
    QVERIFY2(added.err.contains(folder + QStringLiteral("/config.json is a FIFO (named pipe)")), qPrintable(added.err));
}

void TestHostileInputs::item5_folderImportSkipsLinksLeavingTheFolder()
{
    const QString secret = m_case->filePath(QStringLiteral("secret.txt"));
    QVERIFY(test::writeFile(secret, "root:$6$hash:19000:0:99999:7:::"));
    const QString root = m_case->filePath(QStringLiteral("reviews"));
    QVERIFY(QDir().mkpath(root + QStringLiteral("/pos")) && QDir().mkpath(root + QStringLiteral("/neg")));
    QVERIFY(test::writeFile(root + QStringLiteral("/pos/a.txt"), "a fine book"));
    QVERIFY(test::writeFile(root + QStringLiteral("/neg/b.txt"), "a dull book"));
    QVERIFY(QFile::link(secret, root + QStringLiteral("/pos/shadow.txt")));
    // A label folder that is a link out of the folder is skipped too.
    const QString outside = m_case->filePath(QStringLiteral("elsewhere"));
    QVERIFY(QDir().mkpath(outside));
    QVERIFY(test::writeFile(outside + QStringLiteral("/c.txt"), "not part of the corpus"));
    QVERIFY(QFile::link(outside, root + QStringLiteral("/meh")));
    // A link that stays inside the folder is followed.
    QVERIFY(test::writeFile(root + QStringLiteral("/neg/d.txt"), "a poor book"));
    QVERIFY(QFile::link(root + QStringLiteral("/neg/d.txt"), root + QStringLiteral("/pos/inside.txt")));

    auto project = Project::create(m_case->filePath(QStringLiteral("p.tstudio")));
    QVERIFY2(project, qPrintable(project.error()));
    ImportParams params = importDefaultParams();
    params.corpus = QStringLiteral("folder");
    params.path = root;
    params.format = CorpusFormat::Folder;
    params.split = ImportSplit::Train;
    params.removeDuplicates = false;
    const auto report = CorpusImporter::run(*project.value(), params);
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->documents, qint64(4)); // a, b, d and pos/inside.txt
    const QString warnings = report->warnings.join(QLatin1Char('\n'));
    QVERIFY2(warnings.contains(root + QStringLiteral("/pos/shadow.txt: skipped")), qPrintable(warnings));
    QVERIFY2(warnings.contains(root + QStringLiteral("/meh: skipped")), qPrintable(warnings));
    project.value().reset();
    const QStringList stored = texts(m_case->filePath(QStringLiteral("p.tstudio")));
    QVERIFY2(!stored.join(QLatin1Char('|')).contains(QLatin1String("root:")), qPrintable(stored.join(QLatin1Char('|'))));
    QVERIFY(!stored.contains(QStringLiteral("not part of the corpus")));
}

void TestHostileInputs::item6_damagedModelBytesAreFoundAndRefused()
{
    const QString project = copyOfBase(QStringLiteral("p.tstudio"));
    const auto clean = runCli({QStringLiteral("info"), project, QStringLiteral("--check")}, kTimeoutMs);
    QVERIFY2(clean.exitCode == 0 && clean.out.contains(QLatin1String("ok")), qPrintable(clean.err + clean.out));
    // One byte flipped inside the pages that hold the stored model's weights, as a failing disk
    // would: SQLite's own checks do not look inside the data.
    QByteArray weights;
    {
        auto opened = Project::open(project, Project::Access::ReadOnly);
        QVERIFY2(opened, qPrintable(opened.error()));
        QSqlQuery q(opened.value()->database());
        QVERIFY(q.exec(QStringLiteral("SELECT data FROM artifacts WHERE kind = 'model-file' AND name = 'model.safetensors'")));
        QVERIFY(q.next());
        weights = q.value(0).toByteArray();
    }
    QVERIFY(weights.size() > 200000);
    const QByteArray needle = weights.mid(weights.size() / 2, 48);
    QFile file(project);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray bytes = file.readAll();
    const qsizetype at = bytes.indexOf(needle);
    QVERIFY(at > 0);
    bytes[at + 20] = char(bytes[at + 20] ^ 0x40);
    QVERIFY(file.seek(0) && file.write(bytes) == bytes.size());
    file.close();
    const auto checked = runCli({QStringLiteral("info"), project, QStringLiteral("--check")}, kTimeoutMs);
    QCOMPARE(checked.exitCode, 1);
    QVERIFY2(checked.err.contains(QLatin1String("model \"tiny-encoder\" file model.safetensors: does not match its SHA-256")),
             qPrintable(checked.err));
    // Training refuses the damaged weights instead of using them.
    const auto run = runCli(runArguments(project, QStringLiteral("tiny-encoder"), QStringLiteral("1")), kTimeoutMs);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QLatin1String("model.safetensors does not match its SHA-256")), qPrintable(run.err));
}

// Registers the BERT folder `folder` as "bad" in a copy of the base project and runs it with
// `runFlags`: the run must be refused with `expected` before anything is recorded, not end in an
// internal error after the run was stored.
void TestHostileInputs::expectRefusedBeforeRecording(const QString &folder, const QStringList &runFlags,
                                                     const QString &expected)
{
    const QString project = copyOfBase(QStringLiteral("p.tstudio"));
    const auto added = runCli({QStringLiteral("add-model"), project, QStringLiteral("--hf-dir"), folder,
                               QStringLiteral("--name"), QStringLiteral("bad")});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    const auto run = runCli(runArguments(project, QStringLiteral("bad"), QStringLiteral("1")) + runFlags, kTimeoutMs);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(expected), qPrintable(run.err));
    for (const char *internal : {"index out of range", "NOT NULL constraint", "terminate called"})
        QVERIFY2(!run.err.contains(QLatin1String(internal)), qPrintable(run.err));
    QCOMPARE(runCount(project), qsizetype(0));
}

void TestHostileInputs::item7_maxLengthBeyondPositionsIsRefusedBeforeRecording()
{
    // The BERT fixture has 64 positions.
    const QString bert = bertFolderWithVocabulary(QStringLiteral("bert"));
    QVERIFY(!bert.isEmpty());
    expectRefusedBeforeRecording(bert, {QStringLiteral("--max-length"), QStringLiteral("300")},
                                 QStringLiteral("max_length (--max-length) is 300, but model \"bad\" has positions for 64"));
}

void TestHostileInputs::item7_tokenizerIdsBeyondEmbeddingTableAreRefusedBeforeRecording()
{
    // A vocabulary of 130 WordPiece tokens for an embedding table of 100 rows (the fixture's
    // vocab_size): ids 100-129 would index past the table.
    const QString bert = bertFolderWithVocabulary(QStringLiteral("bert"));
    QVERIFY(!bert.isEmpty());
    QByteArray vocabulary("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n");
    for (int i = 0; i < 125; ++i)
        vocabulary += "word" + QByteArray::number(i) + '\n';
    QVERIFY(test::writeFile(bert + QStringLiteral("/vocab.txt"), vocabulary));
    expectRefusedBeforeRecording(bert, {}, QStringLiteral("model \"bad\": its tokenizer has"));
}

void TestHostileInputs::item7_nonFiniteWeightsAreRefusedBeforeRecording()
{
    const QString bert = bertFolderWithVocabulary(QStringLiteral("bert"));
    QVERIFY(!bert.isEmpty());
    // safetensors: an 8-byte little-endian header length, the JSON header, then the data. The
    // fixture is all float32 with 4-byte aligned offsets, so any aligned word of data is a weight.
    QFile weights(bert + QStringLiteral("/model.safetensors"));
    QVERIFY(weights.open(QIODevice::ReadWrite));
    QByteArray bytes = weights.readAll();
    const qint64 dataStart = 8 + qFromLittleEndian<qint64>(bytes.constData());
    QVERIFY(dataStart > 8 && dataStart + 4096 < bytes.size());
    const quint32 nan = 0x7fc00000u;
    qToLittleEndian(nan, bytes.data() + dataStart + 1024);
    QVERIFY(weights.seek(0) && weights.write(bytes) == bytes.size());
    weights.close();
    expectRefusedBeforeRecording(bert, {}, QStringLiteral("NaN or infinite values"));
}

void TestHostileInputs::item8_numericFlagsAreParsedExactly()
{
    const QString project = copyOfBase(QStringLiteral("p.tstudio"));
    const QStringList base = runArguments(project, QStringLiteral("tiny-encoder"), QStringLiteral("1"));
    const struct
    {
        const char *flag;
        const char *value;
        const char *range;
    } cases[] = {
        {"--batch-size", "1000000000000", "from 1 to 65536"},
        {"--seed", "99999999999999999999", "from 0 to 9007199254740992"},
        {"--seed", "-1", "from 0 to 9007199254740992"},
        {"--epochs", "0", "from 1 to 1000"},
        {"--max-length", "12.5", "from 8 to 32768"},
        {"--seeds", "4294967297", "from 1 to 100"},
        {"--target-labels", "-2", "from 0 to 100000000"},
        {"--lr", "nan", "from 0 to 10"},
    };
    for (const auto &c : cases) {
        const auto r = runCli(base + QStringList{QLatin1String(c.flag), QLatin1String(c.value)});
        QCOMPARE(r.exitCode, 2);
        const QString expected = QStringLiteral("%1: \"%2\" is not a").arg(QLatin1String(c.flag), QLatin1String(c.value));
        QVERIFY2(r.err.contains(expected) && r.err.contains(QLatin1String(c.range)), qPrintable(r.err));
    }
    QCOMPARE(runCount(project), qsizetype(0)); // nothing was recorded
}

void TestHostileInputs::item9_interruptedRunAndResumeExit130()
{
    const QString project = copyOfBase(QStringLiteral("p.tstudio"));
    QString out;
    QCOMPARE(interruptAfterFirstStep(runArguments(project, QStringLiteral("tiny-encoder"), QStringLiteral("200")), &out), 130);
    QVERIFY2(out.contains(QLatin1String("stopped; continue with")), qPrintable(out));
    QCOMPARE(interruptAfterFirstStep({QStringLiteral("resume"), project, QStringLiteral("--run"), QStringLiteral("1")}, &out),
             130);
    QVERIFY2(out.contains(QLatin1String("stopped; continue with")), qPrintable(out));
    // Documented where a user looks.
    for (const QStringList &help : {QStringList{QStringLiteral("--help")}, QStringList{QStringLiteral("run"), QStringLiteral("--help")},
                                    QStringList{QStringLiteral("resume"), QStringLiteral("--help")}}) {
        const auto shown = runCli(help);
        QCOMPARE(shown.exitCode, 0);
        QVERIFY2(shown.out.contains(QLatin1String("130")), qPrintable(help.join(QLatin1Char(' '))));
    }
}

void TestHostileInputs::item10_nulIsReportedOnItsLine()
{
    const auto report = importBytes(QStringLiteral("nul.txt"), QByteArray("one\ntwo\nthree\nfo\0ur\nfive\n", 25), CorpusFormat::Text);
    QVERIFY(!report);
    QVERIFY2(report.error().startsWith(m_case->filePath(QStringLiteral("nul.txt:4: "))), qPrintable(report.error()));
}

void TestHostileInputs::item10_lockFileThatCannotBeCreatedIsNotCalledBusy()
{
    // The run's lock file, PROJECT.run-1.lock, cannot be created (its name is too long for the
    // file system), as on a full disk; nobody else runs it.
    const QString name = QString(238, QLatin1Char('x')) + QStringLiteral(".tstudio"); // 246 bytes; +".run-1.lock" > 255
    const QString project = copyOfBase(name);
    QVERIFY(!project.isEmpty());
    const auto r = runCli(runArguments(project, QStringLiteral("tiny-encoder"), QStringLiteral("1")), kTimeoutMs);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QLatin1String("cannot create its lock file")), qPrintable(r.err));
    QVERIFY2(!r.err.contains(QLatin1String("another process")), qPrintable(r.err));
}

void TestHostileInputs::item10_walThatIsAFolderIsNotCalledDamaged()
{
    const QString project = copyOfBase(QStringLiteral("p.tstudio"));
    QVERIFY(QDir().mkpath(project + QStringLiteral("-wal")));
    const QByteArray digest = test::fileDigest(project);
    for (const QString &verb : {QStringLiteral("info"), QStringLiteral("corpora")}) {
        const auto r = runCli({verb, project});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(project + QStringLiteral("-wal is a folder")), qPrintable(r.err));
        QVERIFY2(!r.err.contains(QLatin1String("damaged")) || r.err.contains(QLatin1String("not damaged")), qPrintable(r.err));
    }
    QCOMPARE(test::fileDigest(project), digest);
}

void TestHostileInputs::item10_failedRunOnFullDiskSaysWhatWasKept()
{
    const QString project = copyOfBase(QStringLiteral("p.tstudio"));
    // Room for the run's row and its first metrics, not for its checkpoint.
    const auto r = runCli(runArguments(project, QStringLiteral("tiny-encoder"), QStringLiteral("1")), kTimeoutMs,
                          diskFullAfter(QFileInfo(project).size() + 64 * 1024));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QLatin1String("disk is full")), qPrintable(r.err));
    QVERIFY2(!r.err.contains(QLatin1String("Nothing was changed")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("run 1 and the metrics it recorded before the failure are kept")), qPrintable(r.err));
    QCOMPARE(runCount(project), qsizetype(1));
}

void TestHostileInputs::item10_bigEndianUtf16WithoutBomIsDecoded()
{
    const QString text = QStringLiteral("pos\tgreat café\nneg\tdull plot\n");
    QStringEncoder encoder(QStringEncoder::Utf16BE); // no byte order mark
    const QByteArray bytes = encoder.encode(text);
    QVERIFY(!bytes.startsWith("\xFE\xFF"));
    const QString path = m_case->filePath(QStringLiteral("be.tsv"));
    QVERIFY(test::writeFile(path, bytes));
    const QString project = copyOfBase(QStringLiteral("p.tstudio"));
    const auto r = runCli(test::tsvImportArguments(project, QStringLiteral("be"), path) +
                          QStringList{QStringLiteral("--encoding"), QStringLiteral("utf-16"), QStringLiteral("--split-name"),
                                      QStringLiteral("train")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList stored = texts(project);
    QVERIFY2(stored.contains(QStringLiteral("great café")) && stored.contains(QStringLiteral("dull plot")),
             qPrintable(stored.join(QLatin1Char('|'))));
}

void TestHostileInputs::item10_addModelRefusesBrokenSafetensors()
{
    const QString project = copyOfBase(QStringLiteral("p.tstudio"));
    // Offsets past the end: the fixture's weights with their last 1000 bytes cut off.
    const QString truncated = bertFolderWithVocabulary(QStringLiteral("truncated"));
    QVERIFY(!truncated.isEmpty());
    QFile weights(truncated + QStringLiteral("/model.safetensors"));
    QVERIFY(weights.resize(weights.size() - 1000));
    const auto cut = runCli({QStringLiteral("add-model"), project, QStringLiteral("--hf-dir"), truncated});
    QCOMPARE(cut.exitCode, 1);
    QVERIFY2(cut.err.contains(QLatin1String("is truncated")), qPrintable(cut.err));
    // Two tensors sharing bytes.
    const QString overlapping = bertFolderWithVocabulary(QStringLiteral("overlapping"));
    QVERIFY(!overlapping.isEmpty());
    const QByteArray header = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                              R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})";
    QByteArray file(8, '\0');
    qToLittleEndian<quint64>(quint64(header.size()), file.data());
    file += header + QByteArray(12, '\0');
    QVERIFY(test::writeFile(overlapping + QStringLiteral("/model.safetensors"), file));
    const auto overlap = runCli({QStringLiteral("add-model"), project, QStringLiteral("--hf-dir"), overlapping});
    QCOMPARE(overlap.exitCode, 1);
    QVERIFY2(overlap.err.contains(QLatin1String("overlap")), qPrintable(overlap.err));
    QCOMPARE(QJsonDocument::fromJson(runCli({QStringLiteral("models"), project, QStringLiteral("--json")}).out.toUtf8())
                 .array()
                 .size(),
             qsizetype(1)); // tiny-encoder only
}

QTEST_GUILESS_MAIN(TestHostileInputs)
#include "tst_hostileinputs.moc"
