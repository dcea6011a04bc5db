#include "CliOutput.h"

#include "CliCommand.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>

namespace ts::cli {

int fail(const QString &message)
{
    std::fprintf(stderr, "error: %s\n", qUtf8Printable(message));
    return kExitError;
}

int usageError(const QString &message)
{
    std::fprintf(stderr, "error: %s\n(see transfer-studio-cli --help)\n", qUtf8Printable(message));
    return kExitUsage;
}

int parseOrExit(QCommandLineParser &parser, const QStringList &arguments, int positionalCount, int maxPositional)
{
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(help)) {
        // Qt names the program by its path; the usage line names it and the verb as typed.
        QString text = parser.helpText();
        const QString program = QCoreApplication::arguments().constFirst();
        if (text.startsWith(QStringLiteral("Usage: ") + program))
            text.replace(7, program.size(), arguments.constFirst());
        std::fputs(qUtf8Printable(text), stdout);
        return kExitOk;
    }
    const qsizetype given = parser.positionalArguments().size();
    if (given < positionalCount || given > std::max(positionalCount, maxPositional)) {
        return usageError(QStringLiteral("expected %1 argument(s), got %2")
                              .arg(positionalCount)
                              .arg(parser.positionalArguments().size()));
    }
    return -1;
}

void printLine(const QString &text)
{
    std::fputs(qUtf8Printable(text), stdout);
    std::fputc('\n', stdout);
    // Piped into a log, stdout is block-buffered: without this, a line printed before training
    // landed after the progress lines that stderr wrote meanwhile.
    std::fflush(stdout);
}

void printJson(const QJsonObject &object)
{
    std::fputs(QJsonDocument(object).toJson(QJsonDocument::Indented).constData(), stdout);
}

void printJson(const QJsonArray &array)
{
    std::fputs(QJsonDocument(array).toJson(QJsonDocument::Indented).constData(), stdout);
}

} // namespace ts::cli
