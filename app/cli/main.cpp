// transfer-studio-cli: the headless front end. `transfer-studio-cli VERB [options]`.
#include "CliCommand.h"
#include "CliOutput.h"

#include "Version.h"
#include "util/BlasKernels.h"
#include "util/HeapTuning.h"

#include <QCoreApplication>

#include <cstdio>

namespace {

void printUsage()
{
    std::printf("Usage: transfer-studio-cli VERB [options]\n\n"
                "Transfer Studio %s: cross-domain transfer learning from the command line.\n\n"
                "Verbs:\n",
                ts::kVersion);
    for (const ts::cli::CliCommand &command : ts::cli::commands())
        std::printf("  %-12s %s\n", command.name, command.summary);
    std::printf("\nOptions:\n"
                "  -h, --help   Show this help; VERB --help shows a verb's options.\n"
                "  --version    Show the version.\n"
                "\nExit codes: 0 the verb did what was asked, 1 an error (printed as `error: ...`),\n"
                "2 a usage error, 130 stopped by Ctrl+C (`run` and `resume` stay resumable).\n");
}

} // namespace

int main(int argc, char *argv[])
{
    ts::BlasKernels::reexecWithBetterKernels(argv);
    ts::HeapTuning::keepTensorMemory();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("transfer-studio-cli"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(ts::kVersion));

    QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() < 2 || arguments.at(1) == QLatin1String("--help") || arguments.at(1) == QLatin1String("-h")) {
        printUsage();
        return arguments.size() < 2 ? ts::cli::kExitUsage : ts::cli::kExitOk;
    }
    if (arguments.at(1) == QLatin1String("--version")) {
        std::printf("transfer-studio-cli %s\n", ts::kVersion);
        return ts::cli::kExitOk;
    }
    const QString verb = arguments.takeAt(1);
    arguments[0] = QStringLiteral("transfer-studio-cli ") + verb; // how a verb's --help names the program
    for (const ts::cli::CliCommand &command : ts::cli::commands()) {
        if (verb == QLatin1String(command.name))
            return command.run(arguments);
    }
    return ts::cli::usageError(QStringLiteral("unknown verb '%1'").arg(verb));
}
