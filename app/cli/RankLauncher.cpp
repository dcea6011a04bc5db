#include "RankLauncher.h"

#include "CliCommand.h"
#include "CliOutput.h"

#include "distributed/DistributedContext.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QThread>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <csignal>
#include <memory>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace ts::cli {

namespace {

// How often the launcher looks at its ranks, in milliseconds.
constexpr int kPollMs = 100;

std::atomic<bool> g_interrupted{false};

extern "C" void onLauncherInterrupt(int)
{
    g_interrupted.store(true);
}

/// In the child between fork and exec: its own process group (a terminal's Ctrl+C reaches the
/// launcher only, which passes one SIGINT on), and death with the launcher.
void detachRank()
{
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
}

} // namespace

int RankLauncher::freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0; // the kernel picks a free one
    socklen_t length = sizeof(address);
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

int RankLauncher::run(const QString &projectPath, qint64 runId, int processes)
{
    DistributedContext context;
    context.worldSize = processes;
    context.masterAddress = QStringLiteral("127.0.0.1");
    context.masterPort = freeLoopbackPort();
    if (context.masterPort == 0)
        return fail(QStringLiteral("--processes: no free TCP port on 127.0.0.1 for the ranks to meet; run %1 is "
                                   "recorded, continue it with: transfer-studio-cli resume %2 --run %1")
                        .arg(runId)
                        .arg(projectPath));
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    if (system.contains(QLatin1String(DistributedContext::kTimeoutVariable)))
        context.timeoutSeconds = system.value(QLatin1String(DistributedContext::kTimeoutVariable)).toInt();
    if (context.timeoutSeconds <= 0)
        context.timeoutSeconds = DistributedContext::kDefaultTimeoutSeconds;
    const int threads = std::max(1, QThread::idealThreadCount() / processes);

    std::vector<std::unique_ptr<QProcess>> ranks;
    for (int rank = 0; rank < processes; ++rank) {
        auto process = std::make_unique<QProcess>();
        QProcessEnvironment environment = system;
        context.rank = rank;
        context.writeTo(environment);
        environment.insert(QStringLiteral("OMP_NUM_THREADS"), QString::number(threads));
        process->setProcessEnvironment(environment);
        process->setProcessChannelMode(QProcess::ForwardedChannels);
        process->setChildProcessModifier(detachRank);
        process->start(QCoreApplication::applicationFilePath(),
                       {QStringLiteral("resume"), projectPath, QStringLiteral("--run"), QString::number(runId)});
        ranks.push_back(std::move(process));
    }
    g_interrupted.store(false);
    auto previous = std::signal(SIGINT, onLauncherInterrupt);
    bool forwarded = false;
    QElapsedTimer sinceFailure;
    for (;;) {
        if (g_interrupted.load() && !forwarded) {
            for (const auto &process : ranks) {
                if (process->state() != QProcess::NotRunning)
                    ::kill(pid_t(process->processId()), SIGINT);
            }
            forwarded = true;
        }
        bool running = false;
        for (const auto &process : ranks) {
            process->waitForFinished(kPollMs / processes);
            if (process->state() != QProcess::NotRunning) {
                running = true;
                continue;
            }
            const bool failed = process->error() == QProcess::FailedToStart ||
                                process->exitStatus() != QProcess::NormalExit ||
                                (process->exitCode() != kExitOk && process->exitCode() != kExitInterrupted);
            if (failed && !sinceFailure.isValid())
                sinceFailure.start();
        }
        if (!running)
            break;
        if (sinceFailure.isValid() && sinceFailure.elapsed() > kGraceMs) {
            for (const auto &process : ranks) {
                if (process->state() != QProcess::NotRunning) {
                    process->kill();
                    process->waitForFinished();
                }
            }
            break;
        }
    }
    std::signal(SIGINT, previous);
    const QProcess &leader = *ranks.front();
    return leader.exitStatus() == QProcess::NormalExit ? leader.exitCode() : int(kExitError);
}

} // namespace ts::cli
