// SIGKILL during `import`, at random moments (delays from a fixed-seed generator that the test
// prints), until kKills kills have landed inside the import (TS_CRASH_KILLS sets how many: the
// on-demand 100-kill mode): the project must open with a clean integrity check, the corpus committed
// before keeps every document, and the killed import leaves nothing behind: no corpus, no
// document, no stray file, and importing the same file again gives exactly what an uninterrupted
// import gives.
#include "CliProject.h"
#include "CliRunner.h"
#include "CrashTrial.h"
#include "KillTrials.h"

#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;
using test::runCli;

namespace {

constexpr int kKills = 10;
constexpr quint32 kDefaultSeed = 20240801;
// Rows of the generated file: large enough that importing it takes a few hundred milliseconds,
// so that most kills land inside the import.
constexpr int kRows = 40000;
constexpr int kKeptRows = 1000; // the corpus committed before the trials

const QString kDocuments = QStringLiteral("SELECT d.id, c.name, d.split, d.label, d.text FROM documents d "
                                          "JOIN corpora c ON c.id = d.corpus_id ORDER BY d.id");

/// Documents of one corpus, in the order of their ids.
QStringList documentsOf(const QStringList &rows, const QString &corpus)
{
    QStringList mine;
    for (const QString &row : rows) {
        const QStringList cells = row.split(QLatin1Char('\x1f'));
        if (cells.value(1) == corpus)
            mine << cells.mid(2).join(QLatin1Char('\x1f')); // without the id, which depends on history
    }
    return mine;
}

} // namespace

class TestCrashImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void killedImportsLeaveNothingBehind();

private:
    QTemporaryDir m_dir;
    QString m_base;      // a project with the corpus "kept"
    QString m_bigFile;   // the file the trials import
    QStringList m_kept;  // the documents of "kept"
    QStringList m_bigReference; // the documents of "big" after an uninterrupted import
    qint64 m_importMs = 0;
};

void TestCrashImport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QRandomGenerator words(7);
    const QStringList vocabulary{QStringLiteral("battery"), QStringLiteral("screen"), QStringLiteral("cable"),
                                 QStringLiteral("great"),   QStringLiteral("broken"), QStringLiteral("fast"),
                                 QStringLiteral("slow"),    QStringLiteral("charger"), QStringLiteral("works")};
    const auto rows = [&](int count, const char *tag) {
        QByteArray text;
        for (int i = 0; i < count; ++i) {
            QStringList sentence;
            for (int w = 0; w < 12; ++w)
                sentence << vocabulary.at(int(words.bounded(int(vocabulary.size()))));
            text += (i % 2 ? "pos\t" : "neg\t") + sentence.join(QLatin1Char(' ')).toUtf8() + ' ' + tag
                + QByteArray::number(i) + '\n';
        }
        return text;
    };
    const auto write = [](const QString &path, const QByteArray &bytes) {
        QFile file(path);
        return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
    };
    m_bigFile = m_dir.filePath(QStringLiteral("big.tsv"));
    QVERIFY(write(m_bigFile, rows(kRows, "b")));
    const QString keptFile = m_dir.filePath(QStringLiteral("kept.tsv"));
    QVERIFY(write(keptFile, rows(kKeptRows, "k")));

    QDir().mkpath(m_dir.filePath(QStringLiteral("base")));
    m_base = m_dir.filePath(QStringLiteral("base/base.tstudio"));
    QCOMPARE(runCli({QStringLiteral("create"), m_base}).exitCode, 0);
    const auto keptImport = runCli(test::tsvImportArguments(m_base, QStringLiteral("kept"), keptFile));
    QVERIFY2(keptImport.exitCode == 0, qPrintable(keptImport.err));
    m_kept = documentsOf(test::readRows(m_base, kDocuments), QStringLiteral("kept"));
    QCOMPARE(m_kept.size(), qsizetype(kKeptRows));

    // The uninterrupted import: what a resumed user ends with, and how long a whole import takes.
    const QString reference = m_dir.filePath(QStringLiteral("reference.tstudio"));
    QVERIFY(test::copyProject(m_base, reference));
    QElapsedTimer timer;
    timer.start();
    const auto whole = runCli(test::tsvImportArguments(reference, QStringLiteral("big"), m_bigFile), 600000);
    m_importMs = timer.elapsed();
    QVERIFY2(whole.exitCode == 0, qPrintable(whole.err));
    m_bigReference = documentsOf(test::readRows(reference, kDocuments), QStringLiteral("big"));
    QCOMPARE(m_bigReference.size(), qsizetype(kRows));
    qInfo("an uninterrupted import of %d rows takes %lld ms", kRows, m_importMs);
}

void TestCrashImport::killedImportsLeaveNothingBehind()
{
    test::KillTrials trials(kDefaultSeed, kKills);
    int killedMidway = 0;
    int trial = 0;
    // Delays are drawn over the whole import: about half the kills land inside it.
    for (; trials.goOn(killedMidway, trial); ++trial) {
        const QString folder = m_dir.filePath(QStringLiteral("trial-%1").arg(trial));
        const QString project = test::copyIntoFolder(m_base, folder);
        QVERIFY(!project.isEmpty());
        const int delayMs = trials.nextDelayMs(m_importMs);
        const test::KillOutcome outcome =
            test::runAndKill(test::tsvImportArguments(project, QStringLiteral("big"), m_bigFile), delayMs, [] {});
        const QString context = QStringLiteral("trial %1, killed after %2 ms").arg(trial).arg(delayMs);
        if (outcome.killed)
            ++killedMidway;
        else
            QVERIFY2(outcome.exitCode == 0, qPrintable(context + QStringLiteral(": ") + outcome.err));

        QCOMPARE(test::openAndCheck(project), QStringLiteral("ok"));
        // Listed before our read-only readers, which leave an empty -wal and -shm of their own.
        const QStringList files = QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
        const QStringList rows = test::readRows(project, kDocuments);
        QVERIFY2(documentsOf(rows, QStringLiteral("kept")) == m_kept, qPrintable(context));
        const QStringList big = documentsOf(rows, QStringLiteral("big"));
        // All or nothing: the import committed before the kill, or it left no document.
        QVERIFY2(big.isEmpty() || big == m_bigReference,
                 qPrintable(context + QStringLiteral(": %1 documents of \"big\"").arg(big.size())));
        if (big.isEmpty()) {
            const QStringList corpora = test::readRows(project, QStringLiteral("SELECT name FROM corpora ORDER BY id"));
            QCOMPARE(corpora, QStringList{QStringLiteral("kept")});
            // Nothing beside the project (its -wal and -shm went when openAndCheck closed it).
            QCOMPARE(files, QStringList{QStringLiteral("p.tstudio")});
            const auto again = runCli(test::tsvImportArguments(project, QStringLiteral("big"), m_bigFile), 600000);
            QVERIFY2(again.exitCode == 0, qPrintable(context + QStringLiteral(": ") + again.err));
            QVERIFY2(documentsOf(test::readRows(project, kDocuments), QStringLiteral("big")) == m_bigReference,
                     qPrintable(context));
        }
        QDir(folder).removeRecursively();
    }
    qInfo("%d of %d imports were killed before they finished", killedMidway, trial);
    QVERIFY2(killedMidway >= trials.kills(), qPrintable(QStringLiteral("%1 of %2").arg(killedMidway).arg(trial)));
}

QTEST_GUILESS_MAIN(TestCrashImport)
#include "tst_crashimport.moc"
