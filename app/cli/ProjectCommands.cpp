// Verbs on the project file itself: create, info (contents and space by kind).
#include "CliCommand.h"
#include "CliOutput.h"
#include "ProjectCommands.h"

#include "project/Project.h"
#include "project/ProjectCheck.h"
#include "project/SpaceMeter.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonObject>

#include <cstdio>

namespace ts::cli {

namespace {

/// `info --check`: prints what ProjectCheck found; kExitError when anything is damaged.
int checkProject(const Project &project, bool json)
{
    const auto report = ProjectCheck::run(project.database());
    if (!report)
        return fail(report.error());
    if (json) {
        printJson(QJsonObject{{QStringLiteral("path"), project.path()},
                              {QStringLiteral("ok"), report->ok()},
                              {QStringLiteral("artifacts"), report->artifacts},
                              {QStringLiteral("unhashed"), report->unhashed},
                              {QStringLiteral("damaged"), QJsonArray::fromStringList(report->damaged)}});
    } else {
        printLine(QStringLiteral("%1: integrity check and %2 stored file(s) %3")
                      .arg(project.path())
                      .arg(report->artifacts)
                      .arg(report->ok() ? QStringLiteral("ok") : QStringLiteral("checked")));
        if (report->unhashed > 0)
            printLine(QStringLiteral("%1 file(s) stored by an older version carry no SHA-256: read, not verified")
                          .arg(report->unhashed));
    }
    for (const QString &problem : report->damaged)
        std::fprintf(stderr, "error: %s: %s\n", qUtf8Printable(project.path()), qUtf8Printable(problem));
    return report->ok() ? kExitOk : kExitError;
}

/// "12.3 MB", "4.0 kB": sizes in the SI units file managers use.
QString bytesText(qint64 bytes)
{
    if (bytes >= 1000000)
        return QStringLiteral("%1 MB").arg(bytes / 1e6, 0, 'f', 1);
    return QStringLiteral("%1 kB").arg(bytes / 1e3, 0, 'f', 1);
}

} // namespace

int runCreate(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Create an empty project file."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("Path of the new .tstudio file."));
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;

    const auto project = Project::create(parser.positionalArguments().at(0));
    if (!project)
        return fail(project.error());
    printLine(QStringLiteral("created %1 (project format %2)")
                  .arg(project.value()->path())
                  .arg(project.value()->summary().ok() ? project.value()->summary()->schemaVersion : 0));
    return kExitOk;
}

int runInfo(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Show a project's format version and contents."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption check(QStringLiteral("check"),
                                   QStringLiteral("Verify the whole project: SQLite's integrity check and the SHA-256 of "
                                                  "every stored model file and checkpoint; exit 1 naming what is damaged."));
    parser.addOptions({json, check});
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;

    const auto project = Project::open(parser.positionalArguments().at(0), Project::Access::ReadOnly);
    if (!project)
        return fail(project.error());
    if (parser.isSet(check))
        return checkProject(*project.value(), parser.isSet(json));
    const auto summary = project.value()->summary();
    if (!summary)
        return fail(summary.error());
    const ProjectSummary &s = summary.value();
    const auto space = SpaceMeter::measure(project.value()->database(), s.path);
    if (!space)
        return fail(space.error());
    const ProjectSpace &b = space.value();
    if (parser.isSet(json)) {
        printJson(QJsonObject{
            {QStringLiteral("path"), s.path},
            {QStringLiteral("schema_version"), s.schemaVersion},
            {QStringLiteral("corpora"), s.corpora},
            {QStringLiteral("documents"), s.documents},
            {QStringLiteral("models"), s.models},
            {QStringLiteral("runs"), s.runs},
            {QStringLiteral("metrics"), s.metrics},
            {QStringLiteral("bytes"), QJsonObject{{QStringLiteral("file"), b.fileBytes},
                                                  {QStringLiteral("free"), b.freeBytes},
                                                  {QStringLiteral("corpora"), b.corpora},
                                                  {QStringLiteral("models"), b.models},
                                                  {QStringLiteral("run_weights"), b.runWeights},
                                                  {QStringLiteral("checkpoints"), b.checkpoints},
                                                  {QStringLiteral("metrics"), b.metrics},
                                                  {QStringLiteral("predictions"), b.predictions},
                                                  {QStringLiteral("other"), b.other},
                                                  {QStringLiteral("exact"), b.exact}}},
        });
        return kExitOk;
    }
    printLine(QStringLiteral("project:        %1").arg(s.path));
    printLine(QStringLiteral("format version: %1").arg(s.schemaVersion));
    printLine(QStringLiteral("corpora:        %1 (%2 documents)").arg(s.corpora).arg(s.documents));
    printLine(QStringLiteral("models:         %1").arg(s.models));
    printLine(QStringLiteral("runs:           %1 (%2 metric values)").arg(s.runs).arg(s.metrics));
    printLine(QStringLiteral("size:           %1 (compact would free %2)").arg(bytesText(b.fileBytes), bytesText(b.freeBytes)));
    printLine(QStringLiteral("  corpora %1, models %2, run weights %3, checkpoints %4, metrics %5, predictions %6%7")
                  .arg(bytesText(b.corpora), bytesText(b.models), bytesText(b.runWeights), bytesText(b.checkpoints),
                       bytesText(b.metrics), bytesText(b.predictions),
                       b.exact ? QString() : QStringLiteral(" (estimated from value lengths)")));
    return kExitOk;
}

} // namespace ts::cli
