#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace ts::fuzz {

/// What an entry point made of one input.
struct FuzzOutcome
{
    enum class Kind {
        Accepted, // parsed (and, where there is more to do, encoded or listed) without complaint
        Refused,  // rejected with `message`, as a user would see it
        Broken,   // an invariant failed (`message` says which): a bug even though nothing crashed
    };
    Kind kind = Kind::Accepted;
    QString message;

    static FuzzOutcome accepted() { return {}; }
    static FuzzOutcome refused(const QString &message) { return {Kind::Refused, message}; }
    static FuzzOutcome broken(const QString &message) { return {Kind::Broken, message}; }
};

/// One input kind: its name (the folder tests/fuzz/<name>/ holding seeds/ and crashes/, and the
/// libFuzzer executable fuzz_<name>) and the function that feeds it bytes.
struct FuzzEntryPoint
{
    const char *name;
    FuzzOutcome (*run)(const QByteArray &input);
};

/// Every entry point. Each writes the input where the parser expects a file (a private temporary
/// folder), runs the parser as the application does, exercises what it accepted and checks its
/// invariants. None throws: an exception escaping one is a bug the caller reports.
const QList<FuzzEntryPoint> &entryPoints();

/// The entry point called `name`, or null.
const FuzzEntryPoint *findEntryPoint(const QString &name);

} // namespace ts::fuzz
