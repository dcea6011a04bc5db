#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

namespace ts::test {

/// A one-node Slurm cluster in folder `dir`, started and stopped with tests/slurm/cluster.sh.
/// start() sets SLURM_CONF in this process's environment, so that every client program a test
/// or the CLI starts talks to it.
class SlurmCluster
{
public:
    explicit SlurmCluster(QString dir) : m_dir(std::move(dir)) {}
    ~SlurmCluster() { stop(); }

    /// Why no cluster can start here (a program is not installed); empty when one can.
    static QString missing()
    {
        const QStringList sbin{QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")};
        for (const char *daemon : {"slurmctld", "slurmd", "munged"}) {
            const QString name = QLatin1String(daemon);
            if (QStandardPaths::findExecutable(name).isEmpty() && QStandardPaths::findExecutable(name, sbin).isEmpty())
                return name + QStringLiteral(" is not installed (bash installer/install-deps.sh installs Slurm)");
        }
        if (QStandardPaths::findExecutable(QStringLiteral("sbatch")).isEmpty())
            return QStringLiteral("sbatch is not installed (slurm-client; bash installer/install-deps.sh)");
        return {};
    }

    /// Starts the daemons and waits until the node is idle; false with `error` (the script's
    /// stderr) when it cannot.
    bool start(QString *error)
    {
        const auto result = script(QStringLiteral("start"), 120000);
        if (result.first != 0) {
            *error = result.second;
            return false;
        }
        m_started = true;
        qputenv("SLURM_CONF", (m_dir + QStringLiteral("/slurm.conf")).toLocal8Bit());
        return true;
    }

    /// Stops the daemons start() started; true when the script succeeded (or nothing ran).
    bool stop()
    {
        if (!m_started)
            return true;
        m_started = false;
        return script(QStringLiteral("stop"), 60000).first == 0;
    }

    /// Restarts slurmctld without its saved state, so that squeue no longer knows any job (the
    /// job-completion log still does); false with `error` when it cannot. Job ids may start again.
    bool forgetJobs(QString *error)
    {
        const auto result = script(QStringLiteral("forget"), 60000);
        *error = result.second;
        return result.first == 0;
    }

private:
    QPair<int, QString> script(const QString &action, int timeoutMs) const
    {
        QProcess process;
        process.start(QStringLiteral("bash"), {QStringLiteral(TS_SOURCE_DIR "/tests/slurm/cluster.sh"), action, m_dir});
        if (!process.waitForFinished(timeoutMs))
            return {-1, QStringLiteral("cluster.sh %1 timed out").arg(action)};
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                QString::fromUtf8(process.readAllStandardError())};
    }

    QString m_dir;
    bool m_started = false;
};

} // namespace ts::test
