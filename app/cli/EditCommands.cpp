// Verbs that change what a project holds: delete, rename.
#include "EditCommands.h"

#include "CliCommand.h"
#include "CliOutput.h"

#include "project/Project.h"
#include "project/ProjectEraser.h"
#include "transfer/TransferRunner.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

namespace ts::cli {

namespace {

/// The options naming the item: --run, --group, --corpus, --model (each in the order of ErasePlan::Kind).
struct ItemOptions
{
    QCommandLineOption run{QStringLiteral("run"), QStringLiteral("A run (its id)."), QStringLiteral("ID")};
    QCommandLineOption group{QStringLiteral("group"), QStringLiteral("A group of runs (its id)."), QStringLiteral("G")};
    QCommandLineOption corpus{QStringLiteral("corpus"), QStringLiteral("A corpus (its name)."), QStringLiteral("NAME")};
    QCommandLineOption model{QStringLiteral("model"), QStringLiteral("A model (its name)."), QStringLiteral("NAME")};

    void addTo(QCommandLineParser &parser) const { parser.addOptions({run, group, corpus, model}); }
};

/// The one item the options name; a usage error (kExitUsage in `code`) when none or several are given.
bool chosenItem(const QCommandLineParser &parser, const ItemOptions &items, ErasePlan::Kind *kind, QString *key, int *code)
{
    const std::pair<const QCommandLineOption *, ErasePlan::Kind> options[] = {
        {&items.run, ErasePlan::Kind::Run},
        {&items.group, ErasePlan::Kind::Group},
        {&items.corpus, ErasePlan::Kind::Corpus},
        {&items.model, ErasePlan::Kind::Model},
    };
    int given = 0;
    for (const auto &[option, optionKind] : options) {
        if (parser.isSet(*option)) {
            ++given;
            *kind = optionKind;
            *key = parser.value(*option);
        }
    }
    if (given != 1) {
        *code = usageError(QStringLiteral("name exactly one of --run, --group, --corpus or --model"));
        return false;
    }
    return true;
}

/// Asks on the terminal; true when the answer is yes.
bool confirmOnTerminal(const QString &question)
{
    std::fprintf(stderr, "%s [y/N] ", qUtf8Printable(question));
    std::fflush(stderr);
    QTextStream in(stdin);
    const QString answer = in.readLine().trimmed().toLower();
    return answer == QLatin1String("y") || answer == QLatin1String("yes");
}

} // namespace

int runDelete(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Delete a run, a group of runs, a corpus or a model, with what goes with it (a corpus or model "
                       "takes every run that used it). Without --yes, prints what would go and exits 1 without "
                       "deleting (on a terminal, asks). A running run, or a queued run's corpus or model, is refused."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const ItemOptions items;
    items.addTo(parser);
    const QCommandLineOption yes(QStringLiteral("yes"), QStringLiteral("Delete without asking."));
    parser.addOption(yes);
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    ErasePlan::Kind kind{};
    QString key;
    if (int code = 0; !chosenItem(parser, items, &kind, &key, &code))
        return code;

    const QString path = parser.positionalArguments().at(0);
    auto project = Project::open(path);
    if (!project)
        return fail(project.error());
    const auto isLive = [&path](qint64 runId) { return !TransferRunner::isAbandoned(path, runId); };
    const auto plan = ProjectEraser::plan(project.value()->database(), kind, key, isLive);
    if (!plan)
        return fail(plan.error());
    const QString what = plan->describe();
    if (!parser.isSet(yes)) {
        if (!isatty(fileno(stdin)))
            return fail(QStringLiteral("%1; nothing was deleted: add --yes to delete").arg(what));
        if (!confirmOnTerminal(QStringLiteral("%1. Delete?").arg(what)))
            return fail(QStringLiteral("nothing was deleted"));
    }
    if (const Status s = ProjectEraser::erase(*project.value(), plan.value(), isLive); !s)
        return fail(s.error());
    printLine(QStringLiteral("deleted %1").arg(plan->name) +
              (plan->runs.isEmpty() || kind == ErasePlan::Kind::Run
                   ? QString()
                   : QStringLiteral(" and %1 run(s)").arg(plan->runs.size())));
    return kExitOk;
}

int runRename(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Rename a run, a group of runs, a corpus or a model."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const ItemOptions items;
    items.addTo(parser);
    const QCommandLineOption to(QStringLiteral("to"), QStringLiteral("The new name."), QStringLiteral("NEW"));
    parser.addOption(to);
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    ErasePlan::Kind kind{};
    QString key;
    if (int code = 0; !chosenItem(parser, items, &kind, &key, &code))
        return code;
    if (!parser.isSet(to))
        return usageError(QStringLiteral("--to NEW is required"));

    auto project = Project::open(parser.positionalArguments().at(0));
    if (!project)
        return fail(project.error());
    if (const Status s = ProjectEraser::rename(*project.value(), kind, key, parser.value(to)); !s)
        return fail(s.error());
    printLine(QStringLiteral("renamed %1 %2 to %3").arg(ErasePlan::kindName(kind), key, parser.value(to).trimmed()));
    return kExitOk;
}

} // namespace ts::cli
