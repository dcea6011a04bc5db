#pragma once

#include <QString>

class QCommandLineParser;
class QJsonObject;
class QJsonArray;

namespace ts::cli {

/// Prints `error: <message>` on stderr and returns kExitError.
int fail(const QString &message);

/// Prints `error: <message>` and a hint to `--help` on stderr, returns kExitUsage.
int usageError(const QString &message);

/// Parses `arguments` with `parser` (which gets --help added). Returns -1 when the verb should go
/// on, otherwise the exit code to return (help printed, or a usage error reported). The verb takes
/// `positionalCount` positional arguments, or up to `maxPositional` when that is larger.
int parseOrExit(QCommandLineParser &parser, const QStringList &arguments, int positionalCount, int maxPositional = -1);

/// Writes `text` to stdout (UTF-8), followed by a newline.
void printLine(const QString &text);

/// Writes indented JSON to stdout.
void printJson(const QJsonObject &object);
void printJson(const QJsonArray &array);

} // namespace ts::cli
