// Verbs on the project file itself: create, info.
#include "CliCommand.h"
#include "CliOutput.h"
#include "ProjectCommands.h"

#include "project/Project.h"

#include <QCommandLineParser>
#include <QJsonObject>

namespace ts::cli {

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
    parser.addOption(json);
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;

    const auto project = Project::open(parser.positionalArguments().at(0), Project::Access::ReadOnly);
    if (!project)
        return fail(project.error());
    const auto summary = project.value()->summary();
    if (!summary)
        return fail(summary.error());
    const ProjectSummary &s = summary.value();
    if (parser.isSet(json)) {
        printJson(QJsonObject{
            {QStringLiteral("path"), s.path},
            {QStringLiteral("schema_version"), s.schemaVersion},
            {QStringLiteral("corpora"), s.corpora},
            {QStringLiteral("documents"), s.documents},
            {QStringLiteral("models"), s.models},
            {QStringLiteral("runs"), s.runs},
            {QStringLiteral("metrics"), s.metrics},
        });
        return kExitOk;
    }
    printLine(QStringLiteral("project:        %1").arg(s.path));
    printLine(QStringLiteral("format version: %1").arg(s.schemaVersion));
    printLine(QStringLiteral("corpora:        %1 (%2 documents)").arg(s.corpora).arg(s.documents));
    printLine(QStringLiteral("models:         %1").arg(s.models));
    printLine(QStringLiteral("runs:           %1 (%2 metric values)").arg(s.runs).arg(s.metrics));
    return kExitOk;
}

} // namespace ts::cli
