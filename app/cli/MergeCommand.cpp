// The merge verb: copy runs of another project, with their corpora, models and results.
#include "MergeCommand.h"

#include "CliCommand.h"
#include "CliOutput.h"

#include "project/Project.h"
#include "project/ProjectMerger.h"
#include "transfer/TransferRunner.h"

#include <QCommandLineParser>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace ts::cli {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

void onMergeInterrupt(int)
{
    g_interrupted = 1;
}

QString pairs(const QList<QPair<qint64, qint64>> &runs)
{
    QStringList parts;
    for (const auto &[there, here] : runs)
        parts.append(QStringLiteral("%1 -> %2").arg(there).arg(here));
    return parts.join(QStringLiteral(", "));
}

void printReport(const MergeReport &r, const QString &project, const QString &other)
{
    printLine(QStringLiteral("merged %1 run(s) from %2 into %3%4").arg(r.copied.size()).arg(other, project,
              r.copied.isEmpty() ? QString() : QStringLiteral(": ") + pairs(r.copied)));
    if (!r.present.isEmpty())
        printLine(QStringLiteral("already merged, not copied again: %1").arg(pairs(r.present)));
    if (!r.skipped.isEmpty()) {
        QStringList ids;
        for (const qint64 id : r.skipped)
            ids.append(QString::number(id));
        printLine(QStringLiteral("left out (name clash): run(s) %1").arg(ids.join(QStringLiteral(", "))));
    }
    const auto list = [](const QString &what, const QStringList &names) {
        if (!names.isEmpty())
            printLine(QStringLiteral("%1: %2").arg(what, names.join(QStringLiteral(", "))));
    };
    list(QStringLiteral("corpora copied"), r.corporaCopied);
    list(QStringLiteral("corpora already here (same documents)"), r.corporaReused);
    list(QStringLiteral("models copied"), r.modelsCopied);
    list(QStringLiteral("models already here (same files)"), r.modelsReused);
    list(QStringLiteral("renamed"), r.renamed);
}

} // namespace

int runMerge(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Copy runs of another project into PROJECT with their corpora, models, groups, metrics, predictions and "
        "checkpoints, in one transaction. OTHER is only read. A corpus or model PROJECT already holds (the same "
        "documents or files, under any name) is reused, never copied twice; a run merged before is recognised and "
        "not copied again. Ctrl+C cancels, leaving PROJECT as it was."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("The .tstudio file to copy into."));
    const QCommandLineOption from(QStringLiteral("from"), QStringLiteral("The .tstudio file to copy from."),
                                  QStringLiteral("OTHER"));
    const QCommandLineOption runs(QStringLiteral("runs"), QStringLiteral("Run ids in OTHER, e.g. 1,2 (default: all)."),
                                  QStringLiteral("LIST"));
    const QCommandLineOption onClash(
        QStringLiteral("on-clash"),
        QStringLiteral("When PROJECT has a corpus or model of the same name with other content: fail (default, merges "
                       "nothing), rename (copies it as \"NAME (2)\") or skip (leaves out the runs that use it)."),
        QStringLiteral("fail|rename|skip"), QStringLiteral("fail"));
    parser.addOptions({from, runs, onClash});
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    if (!parser.isSet(from))
        return usageError(QStringLiteral("--from: give the project to copy runs from"));
    MergeParams params;
    for (const QString &item : parser.value(runs).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 id = item.trimmed().toLongLong(&ok);
        if (!ok || id <= 0)
            return usageError(QStringLiteral("--runs: \"%1\" is not a run id").arg(item));
        params.runs.append(id);
    }
    const QString choice = parser.value(onClash);
    if (choice == QLatin1String("rename"))
        params.onClash = MergeClashChoice::Rename;
    else if (choice == QLatin1String("skip"))
        params.onClash = MergeClashChoice::Skip;
    else if (choice != QLatin1String("fail"))
        return usageError(QStringLiteral("--on-clash: \"%1\" is not fail, rename or skip").arg(choice));

    const QString path = parser.positionalArguments().at(0);
    auto project = Project::open(path);
    if (!project)
        return fail(project.error());
    const bool terminal = isatty(fileno(stderr)) == 1;
    params.cancelled = [] { return g_interrupted != 0; };
    params.runIsLive = [&path](qint64 runId) { return !TransferRunner::isAbandoned(path, runId); };
    params.progress = [terminal](qint64 done, qint64 total) {
        if (terminal && total > 0)
            std::fprintf(stderr, "\rmerging: %3d%%", int(qMin<qint64>(100, done * 100 / total)));
    };
    g_interrupted = 0;
    auto previous = std::signal(SIGINT, onMergeInterrupt);
    const auto report = ProjectMerger::merge(*project.value(), parser.value(from), params);
    std::signal(SIGINT, previous);
    if (terminal)
        std::fprintf(stderr, "\r");
    if (!report)
        return g_interrupted ? (fail(report.error()), kExitInterrupted) : fail(report.error());
    printReport(report.value(), path, parser.value(from));
    return kExitOk;
}

} // namespace ts::cli
