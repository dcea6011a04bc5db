// Resubmit Job (real widgets, offscreen): the dialog is prefilled with the time limit the job ran
// with (its script's, or the one its last resubmission gave), refuses a limit that is not [D-]HH:MM:SS inline, and resubmits through the
// same core call as `transfer-studio-cli resubmit --time`: sbatch gets --time=LIMIT and the new job
// is recorded. sbatch's own refusal stays in the dialog. No cluster: stand-ins for sbatch and
// squeue (shell scripts first on PATH) record their arguments and answer as Slurm does.
#include "TempProject.h"

#include "cluster/JobFolder.h"
#include "cluster/JobTable.h"
#include "explorer/ProjectExplorer.h"
#include "main/MainWindow.h"
#include "main/ResubmitDialog.h"
#include "project/Project.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace ts;

namespace {

// sbatch records its arguments next to itself and answers a job id, or refuses when
// TS_FAKE_SBATCH_REFUSE is set; squeue knows that job as pending.
constexpr const char *kSbatch = "#!/bin/sh\n"
                                "if [ -n \"$TS_FAKE_SBATCH_REFUSE\" ]; then\n"
                                "  echo 'sbatch: error: Requested time limit is invalid (missing or exceeds some limit)' >&2\n"
                                "  exit 1\n"
                                "fi\n"
                                "echo \"$@\" > \"$(dirname \"$0\")/sbatch-arguments\"\n"
                                "echo 4242\n";
constexpr const char *kSqueue = "#!/bin/sh\necho '4242|PENDING'\n";
constexpr const char *kSlurmId = "7";

bool writeExecutable(const QString &path, const char *text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) < 0)
        return false;
    file.close();
    return file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

} // namespace

class TestResubmitDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void prefilledAndValidated();
    void resubmitsWithTheNewLimit();
    void sbatchRefusalStaysInTheDialog();
    void theNextResubmissionKeepsTheLimit();

private:
    SlurmJobRecord job() const;
    QLineEdit *timeField(ui::ResubmitDialog &dialog) const;
    QPushButton *resubmitButton(ui::ResubmitDialog &dialog) const;

    QTemporaryDir m_bin;
    std::unique_ptr<test::TempFolder> m_dir;
    QString m_path;
    QString m_jobDir;
};

void TestResubmitDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("TransferStudioTest"));
    QApplication::setApplicationName(QStringLiteral("tst_resubmitdialog"));
    QVERIFY(writeExecutable(m_bin.filePath(QStringLiteral("sbatch")), kSbatch));
    QVERIFY(writeExecutable(m_bin.filePath(QStringLiteral("squeue")), kSqueue));
    qputenv("PATH", (m_bin.path() + QLatin1Char(':') + qEnvironmentVariable("PATH")).toLocal8Bit());
}

void TestResubmitDialog::init()
{
    QSettings().clear();
    qunsetenv("TS_FAKE_SBATCH_REFUSE");
    QFile::remove(m_bin.filePath(QStringLiteral("sbatch-arguments")));
    m_dir = std::make_unique<test::TempFolder>();
    m_path = m_dir->path(QStringLiteral("cluster.tstudio"));
    m_jobDir = m_dir->path(QStringLiteral("job-7"));
    QVERIFY(QDir().mkpath(m_jobDir));
    QFile script(JobFolder::scriptIn(m_jobDir));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("#!/bin/bash\n#SBATCH --job-name=ts-run\n#SBATCH --nodes=1\n#SBATCH --time=0:10:00\nsrun true\n");
    script.close();
    auto project = Project::create(m_path);
    QVERIFY(project);
    SlurmJobRecord timedOut;
    timedOut.slurmId = QString::fromLatin1(kSlurmId);
    timedOut.kind = QStringLiteral("run");
    timedOut.dir = m_jobDir;
    timedOut.state = JobState::Timeout;
    QVERIFY(JobTable(project.value()->database()).add(timedOut));
}

SlurmJobRecord TestResubmitDialog::job() const
{
    auto project = Project::open(m_path);
    return JobTable(project.value()->database()).find(QString::fromLatin1(kSlurmId)).value();
}

QLineEdit *TestResubmitDialog::timeField(ui::ResubmitDialog &dialog) const
{
    return dialog.findChild<QLineEdit *>(QStringLiteral("resubmitTime"));
}

QPushButton *TestResubmitDialog::resubmitButton(ui::ResubmitDialog &dialog) const
{
    return dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
}

void TestResubmitDialog::prefilledAndValidated()
{
    auto project = Project::open(m_path);
    QVERIFY(project);
    ui::ResubmitDialog dialog(project.value()->database(), job());
    QLineEdit *field = timeField(dialog);
    QVERIFY(field);
    QCOMPARE(field->text(), QStringLiteral("0:10:00"));
    QVERIFY(dialog.message().isEmpty());
    QVERIFY(resubmitButton(dialog)->isEnabled());
    for (const QString &bad : {QStringLiteral("90 minutes"), QStringLiteral("1:2:3"), QStringLiteral("12h")}) {
        field->clear();
        QTest::keyClicks(field, bad);
        QVERIFY2(dialog.message().contains(QLatin1String("HH:MM:SS or D-HH:MM:SS")), qPrintable(bad));
        QVERIFY2(!dialog.findChild<QLabel *>(QStringLiteral("resubmitMessage"))->isHidden(), qPrintable(bad));
        QVERIFY2(!resubmitButton(dialog)->isEnabled(), qPrintable(bad));
    }
    // What the CLI's --time takes; empty keeps the script's limit.
    for (const QString &good : {QStringLiteral("1-12:00:00"), QStringLiteral("48:00:00"), QStringLiteral("30:00"), QString()}) {
        field->setText(good);
        QVERIFY2(dialog.message().isEmpty(), qPrintable(good + QLatin1Char(' ') + dialog.message()));
        QVERIFY2(resubmitButton(dialog)->isEnabled(), qPrintable(good));
    }
    QVERIFY(QFile::exists(JobFolder::scriptIn(m_jobDir)));
    QVERIFY(!QFile::exists(m_bin.filePath(QStringLiteral("sbatch-arguments"))));
}

void TestResubmitDialog::resubmitsWithTheNewLimit()
{
    // Through the project panel's Resubmit Job, as a person does it.
    ui::MainWindow window;
    QVERIFY(window.openProject(m_path));
    bool shown = false;
    QTimer::singleShot(0, this, [this, &shown] {
        auto *dialog = qobject_cast<ui::ResubmitDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        shown = true;
        QCOMPARE(timeField(*dialog)->text(), QStringLiteral("0:10:00"));
        timeField(*dialog)->setText(QStringLiteral("1-02:00:00"));
        resubmitButton(*dialog)->click();
    });
    Q_EMIT window.explorer()->jobResubmitRequested(QString::fromLatin1(kSlurmId));
    QVERIFY(shown);
    QFile arguments(m_bin.filePath(QStringLiteral("sbatch-arguments")));
    QVERIFY(arguments.open(QIODevice::ReadOnly));
    const QString line = QString::fromUtf8(arguments.readAll()).trimmed();
    QCOMPARE(line, QStringLiteral("--parsable --time=1-02:00:00 ") + JobFolder::scriptIn(m_jobDir));
    auto project = Project::open(m_path);
    QVERIFY(project);
    const auto again = JobTable(project.value()->database()).find(QStringLiteral("4242"));
    QVERIFY2(again, qPrintable(again.error()));
    QCOMPARE(again->state, JobState::Pending);
    QCOMPARE(again->dir, m_jobDir);
    QVERIFY2(window.statusBar()->currentMessage().contains(QLatin1String("as Slurm job 4242")),
             qPrintable(window.statusBar()->currentMessage()));
}

void TestResubmitDialog::sbatchRefusalStaysInTheDialog()
{
    qputenv("TS_FAKE_SBATCH_REFUSE", "1");
    auto project = Project::open(m_path);
    QVERIFY(project);
    ui::ResubmitDialog dialog(project.value()->database(), job());
    timeField(dialog)->setText(QStringLiteral("30-00:00:00"));
    resubmitButton(dialog)->click();
    QVERIFY(dialog.result() != QDialog::Accepted);
    QVERIFY2(dialog.message().contains(QLatin1String("Requested time limit is invalid")), qPrintable(dialog.message()));
    QCOMPARE(dialog.resubmitted().id, qint64(0));
    QVERIFY(!QFile::exists(JobFolder::timeLimitIn(m_jobDir))); // the next resubmission starts from the old limit
    QCOMPARE(JobTable(project.value()->database()).all()->size(), qsizetype(1));
}

void TestResubmitDialog::theNextResubmissionKeepsTheLimit()
{
    // A job resubmitted with a longer limit that runs into it again: its dialog starts from that
    // limit, and left empty the limit stays (as `resubmit` without --time).
    auto project = Project::open(m_path);
    QVERIFY(project);
    ui::ResubmitDialog first(project.value()->database(), job());
    timeField(first)->setText(QStringLiteral("2:00:00"));
    resubmitButton(first)->click();
    QCOMPARE(first.result(), int(QDialog::Accepted));
    JobTable table(project.value()->database());
    QVERIFY(table.setState(first.resubmitted().id, JobState::Timeout));
    SlurmJobRecord again = table.find(QStringLiteral("4242")).value();
    ui::ResubmitDialog second(project.value()->database(), again);
    QCOMPARE(timeField(second)->text(), QStringLiteral("2:00:00"));
    timeField(second)->clear();
    QVERIFY(resubmitButton(second)->isEnabled());
    resubmitButton(second)->click();
    QCOMPARE(second.result(), int(QDialog::Accepted));
    QFile arguments(m_bin.filePath(QStringLiteral("sbatch-arguments")));
    QVERIFY(arguments.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(arguments.readAll()).trimmed(),
             QStringLiteral("--parsable --time=2:00:00 ") + JobFolder::scriptIn(m_jobDir));
}

QTEST_MAIN(TestResubmitDialog)
#include "tst_resubmitdialog.moc"
