#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include <functional>

namespace ts::test {

/// The outcome of one `transfer-studio-cli` invocation.
struct CliResult
{
    int exitCode = -1;
    QString out;
    QString err;
};

/// Runs the built `transfer-studio-cli` with `arguments` and waits up to `timeoutMs`; `modifier`,
/// when set, runs in the child between fork and exec (resource limits, another user).
inline CliResult runCli(const QStringList &arguments, int timeoutMs = 120000,
                        const std::function<void()> &modifier = {})
{
    QProcess process;
    if (modifier)
        process.setChildProcessModifier(modifier);
    process.start(QStringLiteral(TS_CLI_PATH), arguments);
    CliResult result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        result.err = QStringLiteral("timed out");
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

} // namespace ts::test
