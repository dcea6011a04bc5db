#pragma once

#include <QStringList>

namespace ts::cli {

/// One verb of `transfer-studio-cli`. `run` receives the arguments after the verb (with the
/// program name first, as QCommandLineParser expects) and returns the process exit code.
struct CliCommand
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &arguments);
};

/// Exit codes shared by every verb: 0 only when the verb did what it was asked; 130 (128 + SIGINT,
/// as shells report it) when Ctrl+C stopped it, resumably where the verb says so.
enum ExitCode { kExitOk = 0, kExitError = 1, kExitUsage = 2, kExitInterrupted = 130 };

/// Every verb, in the order `--help` lists them.
const QList<CliCommand> &commands();

} // namespace ts::cli
