// Replays every seed (tests/fuzz/<target>/seeds), the corpus the long campaign grew and kept
// (tests/fuzz/<target>/corpus, run-campaign.sh) and every input that once crashed a fuzz target
// (tests/fuzz/<target>/crashes) through the entry points the libFuzzer targets use, in the ordinary
// build: each must be accepted or refused with a message, never crash, throw or break an invariant.

#include "FuzzEntryPoints.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

#include <exception>

using namespace ts::fuzz;

namespace {

const QString kFuzzDir = QStringLiteral(TS_FUZZ_DIR);

/// The files of tests/fuzz/<target>/<kind>, sorted.
QStringList inputsOf(const QString &target, const QString &kind)
{
    const QDir folder(kFuzzDir + QLatin1Char('/') + target + QLatin1Char('/') + kind);
    QStringList paths;
    for (const QString &name : folder.entryList(QDir::Files, QDir::Name))
        paths.append(folder.filePath(name));
    return paths;
}

/// Runs `entry` on the file at `path`; an exception escaping it comes back as Broken.
FuzzOutcome replay(const FuzzEntryPoint &entry, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return FuzzOutcome::broken(QStringLiteral("cannot read %1").arg(path));
    const QByteArray input = file.readAll();
    try {
        return entry.run(input);
    } catch (const std::exception &e) {
        return FuzzOutcome::broken(QStringLiteral("exception escaped: %1").arg(QString::fromLocal8Bit(e.what())));
    } catch (...) {
        return FuzzOutcome::broken(QStringLiteral("unknown exception escaped"));
    }
}

} // namespace

class FuzzRegressionsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyFolderIsATarget();
    void seedsReachTheParsers_data();
    void seedsReachTheParsers();
    void inputsAreAcceptedOrRefused_data();
    void inputsAreAcceptedOrRefused();
};

// A folder whose name matches no entry point would never be replayed.
void FuzzRegressionsTest::everyFolderIsATarget()
{
    const QStringList folders = QDir(kFuzzDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QVERIFY(!folders.isEmpty());
    for (const QString &folder : folders)
        QVERIFY2(findEntryPoint(folder), qPrintable(QStringLiteral("tests/fuzz/%1 names no entry point").arg(folder)));
    for (const FuzzEntryPoint &entry : entryPoints())
        QVERIFY2(folders.contains(QLatin1String(entry.name)), entry.name);
}

void FuzzRegressionsTest::seedsReachTheParsers_data()
{
    QTest::addColumn<QString>("target");
    for (const FuzzEntryPoint &entry : entryPoints())
        QTest::newRow(entry.name) << QString::fromLatin1(entry.name);
}

// A seed corpus the parser refuses entirely would leave the fuzzer outside the code it is for.
void FuzzRegressionsTest::seedsReachTheParsers()
{
    QFETCH(QString, target);
    const FuzzEntryPoint *entry = findEntryPoint(target);
    QVERIFY(entry);
    const QStringList seeds = inputsOf(target, QStringLiteral("seeds"));
    QVERIFY2(!seeds.isEmpty(), qPrintable(target));
    int accepted = 0;
    for (const QString &seed : seeds)
        accepted += replay(*entry, seed).kind == FuzzOutcome::Kind::Accepted;
    QVERIFY2(accepted > 0, qPrintable(QStringLiteral("%1: none of %2 seeds is accepted").arg(target).arg(seeds.size())));
}

void FuzzRegressionsTest::inputsAreAcceptedOrRefused_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("path");
    for (const FuzzEntryPoint &entry : entryPoints()) {
        for (const QString &kind : {QStringLiteral("seeds"), QStringLiteral("corpus"), QStringLiteral("crashes")}) {
            for (const QString &path : inputsOf(QLatin1String(entry.name), kind)) {
                const QString row = QStringLiteral("%1/%2/%3").arg(QLatin1String(entry.name), kind, QFileInfo(path).fileName());
                QTest::newRow(qPrintable(row)) << QString::fromLatin1(entry.name) << path;
            }
        }
    }
}

void FuzzRegressionsTest::inputsAreAcceptedOrRefused()
{
    QFETCH(QString, target);
    QFETCH(QString, path);
    const FuzzOutcome outcome = replay(*findEntryPoint(target), path);
    QVERIFY2(outcome.kind != FuzzOutcome::Kind::Broken, qPrintable(outcome.message));
}

QTEST_GUILESS_MAIN(FuzzRegressionsTest)
#include "tst_fuzzregressions.moc"
