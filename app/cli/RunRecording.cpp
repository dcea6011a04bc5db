#include "RunRecording.h"

#include "CliCommand.h"
#include "CliOutput.h"

#include "model/ModelRegistry.h"
#include "transfer/Preflight.h"
#include "transfer/StrategyRegistry.h"
#include "transfer/TransferRunner.h"

namespace ts::cli {

Result<RunAsk> readRunAsk(const QCommandLineParser &parser, const RunFlags &flags)
{
    for (const QCommandLineOption *required : {&flags.source, &flags.target, &flags.model, &flags.strategy}) {
        if (!parser.isSet(*required))
            return Result<RunAsk>::failure(QStringLiteral("--%1 is required").arg(required->names().first()));
    }
    RunAsk ask;
    RunRequest &request = ask.request;
    request.name = parser.value(flags.name);
    request.sourceCorpus = parser.value(flags.source);
    request.targetCorpus = parser.value(flags.target);
    request.model = parser.value(flags.model);
    TrainingConfig &config = request.config;
    config.strategy = parser.value(flags.strategy);
    const auto strategy = StrategyRegistry::lookup(config.strategy);
    if (!strategy)
        return Result<RunAsk>::failure(strategy.error());
    QString error;
    if (!flags.applyTraining(parser, config, &error) ||
        !applyStrategyOptions(parser.values(flags.set), *strategy.value(), config.options, &error))
        return Result<RunAsk>::failure(error);
    if (const Status s = config.validate(); !s)
        return Result<RunAsk>::failure(s.error());
    for (const QString &item : parser.value(flags.budgets).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const Result<int> budget = parseBudget(QStringLiteral("label-budgets"), item.trimmed());
        if (!budget)
            return Result<RunAsk>::failure(budget.error());
        ask.budgets.append(budget.value());
    }
    if (!applyInteger(parser, flags.seeds, 1, kMaxSeeds, ask.seeds, &error))
        return Result<RunAsk>::failure(error);
    return ask;
}

int prepareRunAsk(const QCommandLineParser &parser, const RunFlags &flags, const QSqlDatabase &db, RunAsk &ask)
{
    // Refused before anything is recorded; the engine checks again when the run starts.
    if (const QStringList problems = Preflight::check(db, ask.request); !problems.isEmpty())
        return fail(problems.join(QStringLiteral("\nerror: ")));
    if (const auto model = ModelRegistry::find(db, ask.request.model); model) {
        TrainingConfig &config = ask.request.config;
        flags.applyModelDefaults(parser, model.value(), config);
        if (const Status s = config.validate(); !s)
            return usageError(s.error());
        if (const auto memory = TransferRunner::checkMemory(model->config, config); !memory)
            return fail(memory.error());
    }
    return -1;
}

Result<QList<qint64>> recordRunAsk(const QSqlDatabase &db, const RunAsk &ask)
{
    if (ask.seeds == 1 && ask.budgets.isEmpty()) {
        const auto id = TransferRunner::createRun(db, ask.request);
        if (!id)
            return Result<QList<qint64>>::failure(id.error());
        return QList<qint64>{id.value()};
    }
    return TransferRunner::createGroup(db, ask.request, ask.seeds, ask.budgets);
}

} // namespace ts::cli
