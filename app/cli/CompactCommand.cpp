// The compact verb: return a project's free pages to the disk.
#include "CompactCommand.h"

#include "CliCommand.h"
#include "CliOutput.h"

#include "project/ProjectCompactor.h"

#include <QCommandLineParser>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace ts::cli {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

void onCompactInterrupt(int)
{
    g_interrupted = 1;
}

QString megabytes(qint64 bytes)
{
    return QStringLiteral("%1 MB").arg(bytes / 1e6, 0, 'f', 1);
}

} // namespace

int runCompact(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Return a project's free pages (left by deleted runs, corpora and models) to the disk: a compacted "
                       "copy is written beside the file, verified, then renamed over it. Refused while another program "
                       "has the project open. Ctrl+C cancels, leaving the project as it was."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;

    const bool terminal = isatty(fileno(stderr)) == 1;
    CompactParams params;
    params.cancelled = [] { return g_interrupted != 0; };
    params.progress = [terminal](qint64 written, qint64 expected) {
        if (terminal && expected > 0)
            std::fprintf(stderr, "\rcompacting: %3d%%", int(qMin<qint64>(100, written * 100 / expected)));
    };
    g_interrupted = 0;
    auto previous = std::signal(SIGINT, onCompactInterrupt);
    const auto report = ProjectCompactor::compact(parser.positionalArguments().at(0), params);
    std::signal(SIGINT, previous);
    if (terminal)
        std::fprintf(stderr, "\r");
    if (!report)
        return g_interrupted ? (fail(report.error()), kExitInterrupted) : fail(report.error());
    printLine(QStringLiteral("compacted %1: %2 -> %3 (%4 returned to the disk)")
                  .arg(parser.positionalArguments().at(0), megabytes(report->before), megabytes(report->after),
                       megabytes(report->before - report->after)));
    return kExitOk;
}

} // namespace ts::cli
