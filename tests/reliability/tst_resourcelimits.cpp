// Resource limits: the memory estimate a run is checked against before it starts (its parts, its
// thresholds, the device's capacity), runs refused or started anyway, and the project file when the
// disk is full, when it cannot be written, and when another process is writing it: each gives a
// clear message naming the file and leaves the project as it was.
#include "CliProject.h"
#include "CliRunner.h"
#include "TempProject.h"

#include "model/ModelConfig.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "train/TrainingConfig.h"
#include "util/DeviceMemory.h"
#include "transfer/RunMemoryEstimate.h"
#include "transfer/TransferRunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

using namespace ts;
using test::runCli;

namespace {

constexpr qint64 kMiB = qint64(1) << 20;
constexpr int kTimeoutMs = 300000;
// An unprivileged user, for the read-only case when the test runs as root (root writes anyway).
constexpr uid_t kNobody = 65534;

/// BERT-base's config.json (110M parameters).
ModelConfig bertBase()
{
    const QJsonObject json{{"model_type", "bert"}, {"vocab_size", 30522}, {"hidden_size", 768},
                           {"num_hidden_layers", 12}, {"num_attention_heads", 12}, {"intermediate_size", 3072},
                           {"max_position_embeddings", 512}, {"type_vocab_size", 2}};
    return ModelConfig::fromJson(QJsonDocument(json).toJson(), QStringLiteral("bert-base")).value();
}

/// The memory check is tested with whole batches: `--grad-accumulation auto` (the default) would
/// split these into micro-batches that fit (tested in transfer_gradientaccumulation).
QStringList runArguments(const QString &project, const QString &batch, const QString &length)
{
    return {QStringLiteral("run"), project, QStringLiteral("--source"), QStringLiteral("books"),
            QStringLiteral("--target"), QStringLiteral("phones"), QStringLiteral("--model"),
            QStringLiteral("tiny-encoder"), QStringLiteral("--strategy"), QStringLiteral("source-only"),
            QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--batch-size"), batch,
            QStringLiteral("--max-length"), length, QStringLiteral("--threads"), QStringLiteral("1"),
            QStringLiteral("--grad-accumulation"), QStringLiteral("1")};
}

/// Runs the CLI with `modifier` applied in the child between fork and exec.
test::CliResult runCliWith(const QStringList &arguments, const std::function<void()> &modifier)
{
    return test::runCli(arguments, kTimeoutMs, modifier);
}

/// Every document, in order, with its corpus: what a failed write must not change.
QStringList documents(const QString &path)
{
    QStringList rows;
    auto project = Project::open(path, Project::Access::ReadOnly);
    if (!project)
        return {project.error()};
    QSqlQuery q(project.value()->database());
    q.exec(QStringLiteral("SELECT d.id, c.name, d.split, d.label, d.text FROM documents d JOIN corpora c "
                          "ON c.id = d.corpus_id ORDER BY d.id"));
    while (q.next())
        rows << QStringLiteral("%1|%2|%3|%4|%5").arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                                                     q.value(3).toString(), q.value(4).toString());
    return rows;
}

QString integrity(const QString &path)
{
    auto project = Project::open(path, Project::Access::ReadOnly);
    if (!project)
        return project.error();
    QSqlQuery q(project.value()->database());
    return q.exec(QStringLiteral("PRAGMA integrity_check")) && q.next() ? q.value(0).toString() : q.lastError().text();
}

} // namespace

class TestResourceLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void estimateAddsUpItsParts();
    void estimateFollowsTheStrategy();
    void verdictAgainstCapacity();
    void readsTheMachinesAvailableMemory();
    void runTooLargeForTheMachineIsRefused();
    void recordedRunTooLargeIsRefusedWhenItStarts();
    void ignoringTheEstimateStartsAnyway();
    void diskFullGivesAClearMessage();
    void readOnlyProjectGivesAClearMessage();
    void projectLockedByAnotherWriterGivesAClearMessage();
    void runAlreadyExecutingElsewhereIsRefused();

private:
    QString copyOfBase(const QString &name) const;

    QTemporaryDir m_dir;
    QString m_base; // corpora "books" and "phones", the model "tiny-encoder"
    QString m_bigFile;
};

void TestResourceLimits::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_base = m_dir.filePath(QStringLiteral("base.tstudio"));
    const QString failed = test::createTrainingProject(m_base, {{QStringLiteral("books"), test::tsvReviews(60, "books")},
                                                                {QStringLiteral("phones"), test::tsvReviews(60, "phones")}});
    QVERIFY2(failed.isEmpty(), qPrintable(failed));
    m_bigFile = m_dir.filePath(QStringLiteral("big.tsv"));
    QVERIFY(test::writeFile(m_bigFile, test::tsvReviews(20000, "kettle")));
}

QString TestResourceLimits::copyOfBase(const QString &name) const
{
    const QString path = m_dir.filePath(name);
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(path + QLatin1String(suffix));
    return QFile::copy(m_base, path) ? path : QString();
}

void TestResourceLimits::estimateAddsUpItsParts()
{
    const ModelConfig bert = bertBase();
    const RunMemoryEstimate e = RunMemoryEstimate::forFineTuning(bert, 32, 128, false);
    const qint64 n = bert.parameterCount();
    QCOMPARE(e.parameters, n);
    QCOMPARE(e.weightBytes, 4 * n);    // fp32 weights
    QCOMPARE(e.gradientBytes, 4 * n);  // fp32 gradients
    QCOMPARE(e.optimizerBytes, 8 * n); // AdamW's two moments
    // L * B*T*H * (34 + 5*A*T/H) bytes of 16-bit values, doubled for fp32 on the CPU.
    const double activations = 12.0 * 32 * 128 * 768 * (34 + 5.0 * 12 * 128 / 768) * 2;
    QVERIFY2(qAbs(double(e.activationBytes) - activations) < 1.0, qPrintable(QString::number(e.activationBytes)));
    QCOMPARE(e.totalBytes(), e.weightBytes + e.gradientBytes + e.optimizerBytes + e.activationBytes);
    // The models list shows the same figure for full fine-tuning.
    QCOMPARE(e.totalBytes(), bert.trainingMemoryBytes(32, 128, DType::F32));
    // bf16 autocast on CUDA halves the activations, not the fp32 weights and states.
    const RunMemoryEstimate cuda = RunMemoryEstimate::forFineTuning(bert, 32, 128, true);
    QCOMPARE(cuda.weightBytes + cuda.gradientBytes + cuda.optimizerBytes, 16 * n);
    QVERIFY(qAbs(double(cuda.activationBytes) - activations / 2) < 1.0);
    // Longer texts grow the attention scores quadratically.
    QVERIFY(RunMemoryEstimate::forFineTuning(bert, 32, 512, false).activationBytes > 4 * e.activationBytes);
}

void TestResourceLimits::estimateFollowsTheStrategy()
{
    const ModelConfig bert = bertBase();
    TrainingConfig config;
    config.batchSize = 16;
    config.maxLength = 256;
    config.strategy = QStringLiteral("source-only");
    const RunMemoryEstimate full = RunMemoryEstimate::forRun(bert, config, false);
    QCOMPARE(full.trainableParameters, bert.parameterCount());
    config.strategy = QStringLiteral("lora");
    config.options.insert(QStringLiteral("rank"), 8);
    const RunMemoryEstimate lora = RunMemoryEstimate::forRun(bert, config, false);
    QCOMPARE(lora.trainableParameters, qint64(12 * 2 * 8 * 2 * 768)); // L x 2 projections x rank x 2H
    QCOMPARE(lora.weightBytes, full.weightBytes);
    QCOMPARE(lora.activationBytes, full.activationBytes);
    QVERIFY(lora.totalBytes() < full.totalBytes());
    config.strategy = QStringLiteral("zero-shot");
    const RunMemoryEstimate zeroShot = RunMemoryEstimate::forRun(bert, config, false);
    QCOMPARE(zeroShot.gradientBytes + zeroShot.optimizerBytes, qint64(0));
    QVERIFY(zeroShot.activationBytes < full.activationBytes / 4); // one layer at the evaluation batch
    // Absurd settings give a huge figure, never an overflowed negative one.
    config.strategy = QStringLiteral("source-only");
    config.batchSize = 65536;
    config.maxLength = 32768;
    QVERIFY(RunMemoryEstimate::forRun(bert, config, false).totalBytes() > (qint64(1) << 50));
}

void TestResourceLimits::verdictAgainstCapacity()
{
    const RunMemoryEstimate e = RunMemoryEstimate::forFineTuning(bertBase(), 32, 128, false);
    const qint64 need = e.totalBytes();
    using V = RunMemoryEstimate::Verdict;
    QCOMPARE(e.verdict(0), V::Unknown);
    QCOMPARE(e.verdict(need * 2), V::Fits);
    QCOMPARE(e.verdict(need * 10 / 9), V::Tight); // 90% of the capacity
    QCOMPARE(e.verdict(need), V::Tight);
    QCOMPARE(e.verdict(need - 1), V::TooLarge);
    const QString refused = e.describe(need / 2, QStringLiteral("the CPU"));
    for (const QString &part : {RunMemoryEstimate::formatBytes(need), RunMemoryEstimate::formatBytes(need / 2),
                                QStringLiteral("the CPU"), QStringLiteral("lower the batch size (now 32)"),
                                QStringLiteral("maximum length (now 128)"), QStringLiteral("LoRA")})
        QVERIFY2(refused.contains(part), qPrintable(refused + QStringLiteral(" lacks ") + part));
    QVERIFY(!e.describe(need * 2, QStringLiteral("the CPU")).contains(QLatin1String("lower")));
    QCOMPARE(RunMemoryEstimate::formatBytes(512 * kMiB), QStringLiteral("512 MiB"));
    QCOMPARE(RunMemoryEstimate::formatBytes(6554 * kMiB), QStringLiteral("6.4 GiB"));
}

void TestResourceLimits::readsTheMachinesAvailableMemory()
{
    const QByteArray meminfo("MemTotal:       32768000 kB\nMemFree:         1000000 kB\n"
                             "MemAvailable:   16384000 kB\nBuffers:          100 kB\n");
    QCOMPARE(DeviceMemory::parseMemAvailable(meminfo), qint64(16384000) * 1024);
    QCOMPARE(DeviceMemory::parseMemAvailable("MemTotal: 1 kB\n"), qint64(0));
    QCOMPARE(DeviceMemory::parseMemAvailable("MemAvailable: lots kB\n"), qint64(0));
    QCOMPARE(DeviceMemory::cgroupHeadroom("max\n", "1000\n"), qint64(-1));
    QCOMPARE(DeviceMemory::cgroupHeadroom("4294967296\n", "1073741824\n"), qint64(3221225472));
    QCOMPARE(DeviceMemory::cgroupHeadroom("100\n", "200\n"), qint64(0));
    const qint64 available = DeviceMemory::cpuAvailableBytes();
    QVERIFY2(available > 16 * kMiB, qPrintable(QString::number(available)));
}

void TestResourceLimits::runTooLargeForTheMachineIsRefused()
{
    const QString path = copyOfBase(QStringLiteral("too-large.tstudio"));
    const QByteArray before = test::fileDigest(path);
    QElapsedTimer timer;
    timer.start();
    const auto r = runCli(runArguments(path, QStringLiteral("65536"), QStringLiteral("256")));
    QCOMPARE(r.exitCode, 1);
    for (const char *part : {"needs about", "the CPU has only", "lower the batch size (now 65536)",
                             "maximum length (now 256)", "--ignore-memory-estimate"})
        QVERIFY2(r.err.contains(QLatin1String(part)), qPrintable(r.err));
    QVERIFY(timer.elapsed() < 60000); // refused from the numbers, nothing allocated
    QCOMPARE(test::fileDigest(path), before); // no run recorded
}

void TestResourceLimits::recordedRunTooLargeIsRefusedWhenItStarts()
{
    // A run queued from the GUI, or recorded in a project from elsewhere, is checked again when it starts.
    const QString path = copyOfBase(QStringLiteral("recorded.tstudio"));
    qint64 id = 0;
    {
        auto project = Project::open(path);
        QVERIFY2(project, qPrintable(project.error()));
        RunRequest request;
        request.sourceCorpus = QStringLiteral("books");
        request.targetCorpus = QStringLiteral("phones");
        request.model = QStringLiteral("tiny-encoder");
        request.config.batchSize = 65536;
        request.config.maxLength = 256; // the model's positions: longer is refused before memory is estimated
        request.config.gradientAccumulation = 1; // whole batches (auto would split this one)
        const auto created = TransferRunner::createRun(project.value()->database(), request);
        QVERIFY2(created, qPrintable(created.error()));
        id = created.value();
    }
    QStringList log;
    TrainingCallbacks callbacks;
    callbacks.log = [&log](const QString &line) { log << line; };
    const Status status = TransferRunner::execute(path, id, callbacks);
    QVERIFY(!status);
    QVERIFY2(status.error().contains(QLatin1String("lower the batch size (now 65536)")), qPrintable(status.error()));
    auto project = Project::open(path, Project::Access::ReadOnly);
    QVERIFY(project);
    const auto run = RunStore(project.value()->database()).load(id);
    QVERIFY(run);
    QCOMPARE(run->status, RunRecord::Status::Failed);
    QCOMPARE(run->errorText, status.error());
}

void TestResourceLimits::ignoringTheEstimateStartsAnyway()
{
    // The estimate assumes full batches of maximum-length texts; these 60 short reviews need far less.
    const QString path = copyOfBase(QStringLiteral("ignored.tstudio"));
    const auto r = runCli(runArguments(path, QStringLiteral("65536"), QStringLiteral("256")) +
                              QStringList{QStringLiteral("--ignore-memory-estimate"), QStringLiteral("--epochs"),
                                          QStringLiteral("1")},
                          kTimeoutMs);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("warning: this run needs about")), qPrintable(r.err));
    const QJsonArray runs =
        QJsonDocument::fromJson(runCli({QStringLiteral("runs"), path, QStringLiteral("--json")}).out.toUtf8()).array();
    QCOMPARE(runs.size(), qsizetype(1));
    QCOMPARE(runs.at(0).toObject().value(QLatin1String("status")).toString(), QStringLiteral("finished"));
}

void TestResourceLimits::diskFullGivesAClearMessage()
{
    const QString path = copyOfBase(QStringLiteral("full.tstudio"));
    const QStringList before = documents(path);
    // The disk fills up once the project and its journal have grown by 256 kB: importing 20,000
    // reviews needs more. SIGXFSZ is ignored so that the write fails with EFBIG, as on a full disk.
    const rlim_t limit = rlim_t(QFileInfo(path).size() + 256 * 1024);
    const auto r = runCliWith(test::tsvImportArguments(path, QStringLiteral("kettles"), m_bigFile), [limit] {
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit fileSize{limit, limit};
        ::setrlimit(RLIMIT_FSIZE, &fileSize);
    });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(path) && r.err.contains(QLatin1String("disk is full")), qPrintable(r.err));
    QCOMPARE(integrity(path), QStringLiteral("ok"));
    QCOMPARE(documents(path), before);
    // With room again, the same import succeeds.
    const auto again = runCli(test::tsvImportArguments(path, QStringLiteral("kettles"), m_bigFile), kTimeoutMs);
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
}

void TestResourceLimits::readOnlyProjectGivesAClearMessage()
{
    // A project the user may read but not change (another user's file, a read-only share). Root
    // writes regardless of permissions, so as root the CLI runs as "nobody".
    const QString folder = m_dir.filePath(QStringLiteral("readonly"));
    QVERIFY(QDir().mkpath(folder));
    const QString path = folder + QStringLiteral("/p.tstudio");
    QVERIFY(QFile::copy(m_base, path));
    const QString corpusFile = folder + QStringLiteral("/more.tsv");
    QVERIFY(test::writeFile(corpusFile, test::tsvReviews(10, "lamp")));
    QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    QVERIFY(QFile::setPermissions(corpusFile, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    const QFileDevice::Permissions open = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
        | QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::ExeOther;
    for (const QString &dir : {m_dir.path(), folder})
        QVERIFY(QFile::setPermissions(dir, open));
    const QByteArray digest = test::fileDigest(path);
    const bool root = ::geteuid() == 0;
    const auto asUser = [root] {
        if (root && (::setgid(kNobody) != 0 || ::setuid(kNobody) != 0))
            ::_exit(99);
    };
    const auto imported = runCliWith(test::tsvImportArguments(path, QStringLiteral("lamps"), corpusFile), asUser);
    QCOMPARE(imported.exitCode, 1);
    QVERIFY2(imported.err.contains(path) && imported.err.contains(QLatin1String("read-only")), qPrintable(imported.err));
    const auto run = runCliWith(runArguments(path, QStringLiteral("8"), QStringLiteral("32")), asUser);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(path) && run.err.contains(QLatin1String("read-only")), qPrintable(run.err));
    // Reading still works.
    const auto listed = runCliWith({QStringLiteral("corpora"), path}, asUser);
    QVERIFY2(listed.exitCode == 0 && listed.out.contains(QLatin1String("books")), qPrintable(listed.err));
    QCOMPARE(test::fileDigest(path), digest);
    QVERIFY(!QFile::exists(path + QStringLiteral("-wal")) || QFileInfo(path + QStringLiteral("-wal")).size() == 0);
}

void TestResourceLimits::projectLockedByAnotherWriterGivesAClearMessage()
{
    const QString path = copyOfBase(QStringLiteral("locked.tstudio"));
    const QStringList before = documents(path);
    const QString corpusFile = m_dir.filePath(QStringLiteral("lamps.tsv"));
    QVERIFY(test::writeFile(corpusFile, test::tsvReviews(10, "lamp")));
    {
        // Another program in the middle of a write transaction (a held BEGIN IMMEDIATE).
        QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("other-writer"));
        other.setDatabaseName(path);
        QVERIFY(other.open());
        QSqlQuery q(other);
        QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode = WAL")));
        QVERIFY2(q.exec(QStringLiteral("BEGIN IMMEDIATE")), qPrintable(q.lastError().text()));
        QVERIFY(q.exec(QStringLiteral("UPDATE corpora SET description = description")));
        const auto imported = runCli(test::tsvImportArguments(path, QStringLiteral("lamps"), corpusFile), kTimeoutMs);
        QCOMPARE(imported.exitCode, 1);
        QVERIFY2(imported.err.contains(path) && imported.err.contains(QLatin1String("another program")),
                 qPrintable(imported.err));
        QVERIFY(q.exec(QStringLiteral("ROLLBACK")));
        q.finish();
        other.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("other-writer"));
    QCOMPARE(integrity(path), QStringLiteral("ok"));
    QCOMPARE(documents(path), before);
    const auto again = runCli(test::tsvImportArguments(path, QStringLiteral("lamps"), corpusFile));
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
}

void TestResourceLimits::runAlreadyExecutingElsewhereIsRefused()
{
    const QString path = copyOfBase(QStringLiteral("busy.tstudio"));
    QProcess first;
    first.start(QStringLiteral(TS_CLI_PATH), runArguments(path, QStringLiteral("4"), QStringLiteral("32")) +
                                                 QStringList{QStringLiteral("--epochs"), QStringLiteral("50")});
    QVERIFY(first.waitForStarted());
    QString err;
    QTRY_VERIFY_WITH_TIMEOUT((err += QString::fromUtf8(first.readAllStandardError())).contains(QLatin1String("step")),
                             kTimeoutMs);
    const auto second = runCli({QStringLiteral("resume"), path, QStringLiteral("--run"), QStringLiteral("1")});
    QCOMPARE(second.exitCode, 1);
    QVERIFY2(second.err.contains(QLatin1String("already being executed by another process")), qPrintable(second.err));
    // The first is undisturbed: Ctrl+C stops it resumably.
    ::kill(pid_t(first.processId()), SIGINT);
    QVERIFY(first.waitForFinished(kTimeoutMs));
    QCOMPARE(first.exitCode(), 130);
    QCOMPARE(integrity(path), QStringLiteral("ok"));
}

QTEST_GUILESS_MAIN(TestResourceLimits)
#include "tst_resourcelimits.moc"
