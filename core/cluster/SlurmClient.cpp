#include "cluster/SlurmClient.h"

#include "cluster/SlurmStateParser.h"

#include <QProcess>
#include <QStandardPaths>

#include <algorithm>

namespace ts {

Result<QString> SlurmClient::program(const QString &name)
{
    const QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty())
        return Result<QString>::failure(QStringLiteral("%1 not found on PATH: install Slurm's client programs (Debian: "
                                                       "apt-get install slurm-client) or run this on the cluster's "
                                                       "login node").arg(name));
    return path;
}

Result<SlurmClient::Output> SlurmClient::execute(const QString &name, const QStringList &arguments, const QString &workDir)
{
    const auto path = program(name);
    if (!path)
        return Result<Output>::failure(path.error());
    QProcess process;
    if (!workDir.isEmpty())
        process.setWorkingDirectory(workDir);
    process.start(path.value(), arguments);
    if (!process.waitForStarted())
        return Result<Output>::failure(QStringLiteral("%1 did not start: %2").arg(path.value(), process.errorString()));
    if (!process.waitForFinished(kTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        return Result<Output>::failure(QStringLiteral("%1 did not answer in %2 s: is slurmctld reachable (sinfo)?")
                                           .arg(name).arg(kTimeoutMs / 1000));
    }
    Output output;
    output.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    output.out = QString::fromUtf8(process.readAllStandardOutput());
    output.err = QString::fromUtf8(process.readAllStandardError()).trimmed();
    return output;
}

Result<QString> SlurmClient::submit(const QString &script, const QString &workDir, const QStringList &options)
{
    const auto output = execute(QStringLiteral("sbatch"), QStringList{QStringLiteral("--parsable")} + options + QStringList{script},
                                workDir);
    if (!output)
        return Result<QString>::failure(output.error());
    // --parsable prints "ID" or "ID;CLUSTER".
    const QString id = output->out.trimmed().section(QLatin1Char(';'), 0, 0);
    if (output->exitCode != 0 || id.isEmpty())
        return Result<QString>::failure(QStringLiteral("sbatch refused %1: %2").arg(script, output->err));
    return id;
}

Result<QMap<QString, JobState>> SlurmClient::states(const QStringList &slurmIds)
{
    if (slurmIds.isEmpty())
        return QMap<QString, JobState>();
    const QString list = slurmIds.join(QLatin1Char(','));
    const auto queue = execute(QStringLiteral("squeue"), {QStringLiteral("-h"), QStringLiteral("--states=all"),
                                                          QStringLiteral("--jobs=") + list, QStringLiteral("-o"),
                                                          QStringLiteral("%i|%T")});
    if (!queue)
        return Result<QMap<QString, JobState>>::failure(queue.error());
    // squeue fails with "Invalid job id specified" when it has forgotten every job asked for.
    if (queue->exitCode != 0 && !queue->err.contains(QLatin1String("Invalid job id")))
        return Result<QMap<QString, JobState>>::failure(QStringLiteral("squeue failed: %1").arg(queue->err));
    QMap<QString, JobState> states = SlurmStateParser::parse(queue->out);
    QStringList forgotten;
    for (const QString &id : slurmIds) {
        const bool known = std::any_of(states.keyBegin(), states.keyEnd(), [&](const QString &key) {
            return key == id || key.startsWith(id + QLatin1Char('_'));
        });
        if (!known)
            forgotten.append(id);
    }
    if (forgotten.isEmpty())
        return states;
    // sacct asks the accounting database (slurmdbd); without one it fails, and `sacct -c` reads the
    // job-completion log (JobCompType=jobcomp/filetxt), which names array tasks by their own job ids
    // only: those tasks stay absent, as do jobs where neither is enabled.
    for (const bool completionLog : {false, true}) {
        QStringList arguments{QStringLiteral("-n"), QStringLiteral("-P"), QStringLiteral("-X"), QStringLiteral("-j"),
                              forgotten.join(QLatin1Char(',')), QStringLiteral("-o"), QStringLiteral("JobID,State")};
        if (completionLog)
            arguments.prepend(QStringLiteral("-c"));
        const auto accounting = execute(QStringLiteral("sacct"), arguments);
        if (!accounting || accounting->exitCode != 0)
            continue;
        const QMap<QString, JobState> older = SlurmStateParser::parse(accounting->out);
        for (auto it = older.cbegin(); it != older.cend(); ++it)
            states.insert(it.key(), it.value());
        break;
    }
    return states;
}

QList<JobState> SlurmClient::tasks(const QMap<QString, JobState> &states, const QString &slurmId, int cells)
{
    if (cells <= 1)
        return {states.value(slurmId, JobState::Unknown)};
    QList<JobState> tasks;
    for (int task = 0; task < cells; ++task)
        tasks.append(states.value(QStringLiteral("%1_%2").arg(slurmId).arg(task), JobState::Unknown));
    return tasks;
}

Status SlurmClient::cancel(const QString &slurmId)
{
    const auto output = execute(QStringLiteral("scancel"), {slurmId});
    if (!output)
        return Status::failure(output.error());
    if (output->exitCode != 0)
        return Status::failure(QStringLiteral("scancel %1 failed: %2").arg(slurmId, output->err));
    return {};
}

} // namespace ts
