// The batch script of `submit --slurm`: its #SBATCH lines, the checks on the options, and the
// script itself run by bash with stand-ins for srun and scontrol, so that what each rank receives
// (TS_DIST_*, the cell's project, each run of runs.txt) is what a real Slurm would give it.
#include "cluster/SbatchScript.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

void writeExecutable(const QString &path, const QByteArray &text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
    file.close();
    file.setPermissions(file.permissions() | QFileDevice::ExeOwner);
}

} // namespace

class TestSbatchScript : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void directives();
    void arrayAndDefaults();
    void checksNameTheOption();
    void ranksGetSlurmsVariables();
};

void TestSbatchScript::directives()
{
    SbatchOptions options;
    options.partition = QStringLiteral("gpu");
    options.account = QStringLiteral("lab-7");
    options.nodes = 2;
    options.gpusPerNode = 4;
    options.cpusPerTask = 8;
    options.time = QStringLiteral("01:30:00");
    const QString script = SbatchScript::generate(options, QStringLiteral("ts-run"), QStringLiteral("/scratch/j1"), 1,
                                                  QStringLiteral("/opt/ts/bin/transfer-studio-cli"));
    const QStringList lines = script.split(QLatin1Char('\n'));
    QCOMPARE(lines.first(), QStringLiteral("#!/bin/bash"));
    for (const char *line : {"#SBATCH --job-name=ts-run", "#SBATCH --nodes=2", "#SBATCH --ntasks-per-node=4",
                             "#SBATCH --gpus-per-node=4", "#SBATCH --cpus-per-task=8", "#SBATCH --time=01:30:00",
                             "#SBATCH --partition=gpu", "#SBATCH --account=lab-7",
                             "#SBATCH --output=/scratch/j1/slurm-%j.out"})
        QVERIFY2(lines.contains(QLatin1String(line)), line);
    QVERIFY(!script.contains(QLatin1String("--array")));
    QCOMPARE(SbatchScript::ranks(options), 8);
    options.ranksPerNode = 2;
    QCOMPARE(SbatchScript::ranks(options), 4);
}

void TestSbatchScript::arrayAndDefaults()
{
    const QString script = SbatchScript::generate(SbatchOptions(), QStringLiteral("ts-benchmark"), QStringLiteral("/j"), 4,
                                                  QStringLiteral("/cli"));
    QVERIFY(script.contains(QLatin1String("\n#SBATCH --array=0-3\n")));
    QVERIFY(script.contains(QLatin1String("\n#SBATCH --output=/j/slurm-%A_%a.out\n")));
    QVERIFY(script.contains(QLatin1String("\n#SBATCH --ntasks-per-node=1\n")));
    for (const char *absent : {"--gpus-per-node", "--cpus-per-task", "--time", "--partition", "--account"})
        QVERIFY2(!script.contains(QLatin1String(absent)), absent);
    QCOMPARE(SbatchScript::ranks(SbatchOptions()), 1);
    QCOMPARE(SbatchScript::cellDir(QStringLiteral("/j"), 3), QStringLiteral("/j/cell-3"));
    QCOMPARE(SbatchScript::quote(QStringLiteral("it's")), QStringLiteral("'it'\\''s'"));
}

void TestSbatchScript::checksNameTheOption()
{
    const QString dir = QStringLiteral("/scratch/j");
    QVERIFY(SbatchScript::check(SbatchOptions(), dir));
    const auto failsWith = [&](SbatchOptions options, const QString &jobDir, const char *flag) {
        const Status s = SbatchScript::check(options, jobDir);
        return !s && s.error().startsWith(QLatin1String(flag));
    };
    SbatchOptions o;
    o.nodes = 0;
    QVERIFY(failsWith(o, dir, "--nodes"));
    o = {};
    o.gpusPerNode = -1;
    QVERIFY(failsWith(o, dir, "--gpus-per-node"));
    o = {};
    o.ranksPerNode = -2;
    QVERIFY(failsWith(o, dir, "--ranks-per-node"));
    o = {};
    o.cpusPerTask = -1;
    QVERIFY(failsWith(o, dir, "--cpus-per-task"));
    for (const char *bad : {"1h", "1:2:3:4", "10:5", "aa:bb:cc"}) {
        o = {};
        o.time = QLatin1String(bad);
        QVERIFY2(failsWith(o, dir, "--time"), bad);
    }
    for (const char *good : {"00:30:00", "2-00:00:00", "45:00"}) {
        o = {};
        o.time = QLatin1String(good);
        QVERIFY2(SbatchScript::check(o, dir), good);
    }
    o = {};
    o.partition = QStringLiteral("gpu queue");
    QVERIFY(failsWith(o, dir, "--partition"));
    o = {};
    o.account = QStringLiteral("a'b");
    QVERIFY(failsWith(o, dir, "--account"));
    for (const char *bad : {"/scratch/my jobs", "/scratch/it's", "/scratch/100%"})
        QVERIFY2(failsWith(SbatchOptions(), QLatin1String(bad), "--job-dir"), bad);
}

void TestSbatchScript::ranksGetSlurmsVariables()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString bin = dir.filePath(QStringLiteral("bin"));
    QVERIFY(QDir().mkpath(bin));
    // srun: drops its options and starts the command once per task with SLURM_PROCID set.
    writeExecutable(bin + QStringLiteral("/srun"),
                    "#!/bin/bash\nwhile [[ \"$1\" == --* ]]; do shift; done\n"
                    "for ((i = 0; i < SLURM_NTASKS; i++)); do SLURM_PROCID=$i \"$@\" || exit 1; done\n");
    writeExecutable(bin + QStringLiteral("/scontrol"), "#!/bin/bash\n[ \"$1 $2 $3\" = 'show hostnames node[07-08]' ] && "
                                                        "printf 'node07\\nnode08\\n'\n");
    // The CLI: records what each rank was given. Its path has a space and a quote.
    const QString cli = dir.filePath(QStringLiteral("the cli's"));
    const QString record = dir.filePath(QStringLiteral("ranks.txt"));
    writeExecutable(cli, QStringLiteral("#!/bin/bash\necho \"$TS_DIST_RANK/$TS_DIST_WORLD_SIZE $TS_DIST_MASTER_ADDR:"
                                        "$TS_DIST_MASTER_PORT $TS_PROGRESS_JSONL $*\" >> '%1'\n")
                             .arg(record)
                             .toUtf8());
    const QString jobDir = dir.filePath(QStringLiteral("job"));
    QVERIFY(QDir().mkpath(jobDir + QStringLiteral("/cell-1")));
    QFile runs(jobDir + QStringLiteral("/cell-1/runs.txt"));
    QVERIFY(runs.open(QIODevice::WriteOnly));
    runs.write("4\n5\n");
    runs.close();
    SbatchOptions options;
    options.nodes = 2;
    const QString script = dir.filePath(QStringLiteral("job.sbatch"));
    writeExecutable(script, SbatchScript::generate(options, QStringLiteral("t"), jobDir, 2, cli).toUtf8());

    QProcess bash;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PATH"), bin + QLatin1Char(':') + env.value(QStringLiteral("PATH")));
    env.insert(QStringLiteral("SLURM_JOB_ID"), QStringLiteral("12345"));
    env.insert(QStringLiteral("SLURM_JOB_NODELIST"), QStringLiteral("node[07-08]"));
    env.insert(QStringLiteral("SLURM_NTASKS"), QStringLiteral("2"));
    env.insert(QStringLiteral("SLURM_ARRAY_TASK_ID"), QStringLiteral("1"));
    bash.setProcessEnvironment(env);
    bash.start(QStringLiteral("bash"), {script});
    QVERIFY(bash.waitForFinished(30000));
    QVERIFY2(bash.exitCode() == 0, bash.readAllStandardError().constData());

    QFile out(record);
    QVERIFY(out.open(QIODevice::ReadOnly));
    const QString cell = jobDir + QStringLiteral("/cell-1");
    // Port: 20000 + 12345 mod 12000.
    const QStringList expected{
        QStringLiteral("0/2 node07:20345 %1/progress.jsonl resume %1/job.tstudio --run 4").arg(cell),
        QStringLiteral("1/2 node07:20345 %1/progress.jsonl resume %1/job.tstudio --run 4").arg(cell),
        QStringLiteral("0/2 node07:20345 %1/progress.jsonl resume %1/job.tstudio --run 5").arg(cell),
        QStringLiteral("1/2 node07:20345 %1/progress.jsonl resume %1/job.tstudio --run 5").arg(cell)};
    QCOMPARE(QString::fromUtf8(out.readAll()).trimmed().split(QLatin1Char('\n')), expected);
    out.close();

    // Submitted again (resubmit), the script skips the runs that ended well: only run 5 runs.
    QVERIFY(QFile::remove(cell + QStringLiteral("/done-5")));
    QVERIFY(QFile::remove(record));
    bash.start(QStringLiteral("bash"), {script});
    QVERIFY(bash.waitForFinished(30000));
    QCOMPARE(bash.exitCode(), 0);
    QVERIFY(out.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(out.readAll()).trimmed().split(QLatin1Char('\n')), expected.mid(2));
}

QTEST_GUILESS_MAIN(TestSbatchScript)
#include "tst_sbatchscript.moc"
