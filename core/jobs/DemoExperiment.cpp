#include "jobs/DemoExperiment.h"

#include "corpus/SampleCorpora.h"
#include "model/BuiltinModels.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "train/RunControl.h"
#include "transfer/ContinuedPretrainingStrategy.h"
#include "transfer/DannStrategy.h"
#include "transfer/DaptStrategy.h"
#include "transfer/FineTuneStrategy.h"
#include "transfer/StrategyRegistry.h"
#include "transfer/TransferRunner.h"
#include "transfer/ZeroShotStrategy.h"

#include <QElapsedTimer>

namespace ts {

namespace {

// Names of the models the demo adds.
const QString kBaseModel = QStringLiteral("tiny-encoder");
const QString kPretrainedModel = QStringLiteral("tiny-encoder-pretrained");

/// The demo's hyper-parameters: small enough for a few minutes on two CPU cores.
TrainingConfig demoConfig(const QString &strategy, bool quick)
{
    TrainingConfig c;
    c.strategy = strategy;
    c.epochs = quick ? 1 : 3;
    c.learningRate = 5e-4;
    c.batchSize = 32;
    c.maxLength = 64;
    c.evalEvery = quick ? 4 : 10;
    c.maxTrainExamples = quick ? 96 : 0;
    c.maxEvalExamples = quick ? 48 : 0;
    if (strategy == QLatin1String(ZeroShotStrategy::kName))
        c.options.insert(QString::fromLatin1(ZeroShotStrategy::kLabelDescriptions),
                         QStringLiteral("0=terrible , a waste of money , would not recommend it|"
                                        "1=great , worth every penny , highly recommend it"));
    if (strategy == QLatin1String(DaptStrategy::kName))
        c.options.insert(QString::fromLatin1(DaptStrategy::kPretrainEpochs), quick ? 0.5 : 2.0);
    if (strategy == QLatin1String(DannStrategy::kName)) {
        // dann's defaults suit a pretrained encoder; this small model, pre-trained here in minutes,
        // keeps its classes with a stronger adversary trained at its own rate (a domain classifier
        // 10 times faster made it lose them).
        c.options.insert(QString::fromLatin1(DannStrategy::kDomainWeight), 0.3);
        c.options.insert(QString::fromLatin1(DannStrategy::kDomainLearningRateScale), 1.0);
    }
    return c;
}

/// Records `request` (repeated over `seeds` as a group when more than one) and executes its runs.
Result<QList<qint64>> runSeeds(const QString &path, const RunRequest &request, int seeds,
                               const TrainingCallbacks &callbacks)
{
    using R = Result<QList<qint64>>;
    QList<qint64> ids;
    {
        auto project = Project::open(path);
        if (!project)
            return R::failure(project.error());
        const QSqlDatabase db = project.value()->database();
        if (seeds > 1) {
            const auto group = TransferRunner::createGroup(db, request, seeds, {});
            if (!group)
                return group;
            ids = group.value();
        } else {
            const auto created = TransferRunner::createRun(db, request);
            if (!created)
                return R::failure(created.error());
            ids.append(created.value());
        }
    }
    for (qint64 id : std::as_const(ids)) {
        if (const Status s = TransferRunner::execute(path, id, callbacks); !s)
            return R::failure(s.error());
    }
    return ids;
}

/// The strategy's line of the table from its runs' summaries.
Result<DemoResult> summarise(const QString &path, const QString &strategy, const QList<qint64> &ids)
{
    auto project = Project::open(path, Project::Access::ReadOnly);
    if (!project)
        return Result<DemoResult>::failure(project.error());
    DemoResult result;
    result.strategy = strategy;
    QList<double> source, target, macroF1, gap;
    for (qint64 id : ids) {
        const auto summary = RunSummary::load(project.value()->database(), id, StrategyRegistry::fineTuningBaseline());
        if (!summary)
            return Result<DemoResult>::failure(summary.error());
        result.runs.append(summary.value());
        if (summary->source.isValid())
            source.append(summary->source.accuracy);
        if (summary->target.isValid()) {
            target.append(summary->target.accuracy);
            macroF1.append(summary->target.macroF1);
        }
        if (summary->source.isValid() && summary->target.isValid())
            gap.append(summary->gap());
        for (const QString &w : summary->warnings) {
            if (!result.warnings.contains(w))
                result.warnings.append(w);
        }
    }
    result.sourceAccuracy = SeedStatistics::of(source);
    result.targetAccuracy = SeedStatistics::of(target);
    result.targetMacroF1 = SeedStatistics::of(macroF1);
    result.gap = SeedStatistics::of(gap);
    return result;
}

} // namespace

Result<QList<DemoResult>> DemoExperiment::run(const DemoParams &params)
{
    using R = Result<QList<DemoResult>>;
    const auto say = [&params](const QString &text) {
        if (params.step)
            params.step(text);
    };
    {
        auto project = Project::create(params.projectPath);
        if (!project)
            return R::failure(project.error());
        say(QStringLiteral("importing the sample corpora (%1)").arg(SampleCorpora::domains().join(QStringLiteral(", "))));
        for (const QString &domain : SampleCorpora::domains()) {
            if (const Status s = SampleCorpora::importDomain(*project.value(), domain); !s)
                return R::failure(s.error());
        }
        say(QStringLiteral("building the built-in model %1 (training its tokenizer on the corpora)").arg(kBaseModel));
        BuiltinBuildParams build;
        build.abort = [&params] { return params.training.control && params.training.control->isCancelRequested(); };
        const auto model = BuiltinModels::addToProject(project.value()->database(), kBaseModel, kBaseModel, {}, build);
        if (!model)
            return R::failure(model.error());
    }

    say(QStringLiteral("pre-training %1 from scratch on unlabelled %2 and %3 text (masked words)")
            .arg(kBaseModel, params.source, params.pretrainDomain));
    RunRequest pretrain;
    pretrain.name = QStringLiteral("pre-train %1 from scratch").arg(kBaseModel);
    pretrain.sourceCorpus = params.pretrainDomain;
    pretrain.targetCorpus = params.source;
    pretrain.model = kBaseModel;
    pretrain.config = demoConfig(QString::fromLatin1(ContinuedPretrainingStrategy::kName), params.quick);
    pretrain.config.epochs = params.quick ? 1 : 4;
    pretrain.config.learningRate = 1e-3;
    pretrain.config.options.insert(QString::fromLatin1(ContinuedPretrainingStrategy::kIncludeSource), true);
    pretrain.config.options.insert(QString::fromLatin1(ContinuedPretrainingStrategy::kSaveAs), kPretrainedModel);
    if (const auto id = runSeeds(params.projectPath, pretrain, 1, params.training); !id)
        return R::failure(id.error());

    QList<DemoResult> results;
    const QStringList strategies = params.strategies.isEmpty() ? defaultStrategies() : params.strategies;
    for (const QString &strategy : strategies) {
        if (params.training.control && params.training.control->isCancelRequested())
            return R::failure(QStringLiteral("the demo was cancelled"));
        say(QStringLiteral("%1: %2 -> %3").arg(strategy, params.source, params.target));
        RunRequest request;
        request.sourceCorpus = params.source;
        request.targetCorpus = params.target;
        request.model = kPretrainedModel;
        request.config = demoConfig(strategy, params.quick);
        QElapsedTimer timer;
        timer.start();
        const auto ids = runSeeds(params.projectPath, request, std::max(1, params.seeds), params.training);
        if (!ids)
            return R::failure(ids.error());
        auto result = summarise(params.projectPath, strategy, ids.value());
        if (!result)
            return R::failure(result.error());
        result->seconds = double(timer.elapsed()) / 1000.0;
        results.append(result.value());
    }
    return results;
}

QStringList DemoExperiment::defaultStrategies()
{
    return {QString::fromLatin1(ZeroShotStrategy::kName), QString::fromLatin1(FineTuneStrategy::kName),
            QString::fromLatin1(DaptStrategy::kName), QString::fromLatin1(DannStrategy::kName)};
}

QString DemoExperiment::table(const QList<DemoResult> &results, const DemoParams &params)
{
    const auto cell = [](const SeedEstimate &e) {
        if (e.n == 0)
            return QStringLiteral("-");
        return e.n == 1 ? QString::number(e.mean, 'f', 3)
                        : QStringLiteral("%1 ± %2").arg(e.mean, 0, 'f', 3).arg(e.std, 0, 'f', 3);
    };
    QStringList lines;
    const DomainResult *source = nullptr;
    const DomainResult *target = nullptr;
    for (const DemoResult &r : results) {
        for (const RunSummary &s : r.runs) {
            source = s.source.isValid() ? &s.source : source;
            target = s.target.isValid() ? &s.target : target;
        }
    }
    lines << QStringLiteral("%1 -> %2: %3 and %4; mean ± std over %5 seed(s)")
                 .arg(params.source, params.target, source ? source->describe() : QStringLiteral("no source result"),
                      target ? target->describe() : QStringLiteral("no target result"))
                 .arg(std::max(1, params.seeds));
    const QString format = QStringLiteral("%1 %2 %3 %4 %5 %6 %7");
    lines << format.arg(QStringLiteral("strategy"), -18)
                 .arg(QStringLiteral("runs"), -9)
                 .arg(QStringLiteral("source acc"), 14)
                 .arg(QStringLiteral("target acc"), 14)
                 .arg(QStringLiteral("target F1"), 14)
                 .arg(QStringLiteral("time"), 7)
                 .arg(QStringLiteral("warnings"));
    if (target && target->majorityAccuracy >= 0)
        lines << format.arg(QStringLiteral("majority class"), -18)
                     .arg(QStringLiteral("-"), -9)
                     .arg(source ? QString::number(source->majorityAccuracy, 'f', 3) : QStringLiteral("-"), 14)
                     .arg(QString::number(target->majorityAccuracy, 'f', 3), 14)
                     .arg(QString::number(target->majorityMacroF1, 'f', 3), 14)
                     .arg(QString(), 7)
                     .arg(QString());
    for (const DemoResult &r : results) {
        QStringList ids;
        for (const RunSummary &s : r.runs)
            ids.append(QString::number(s.run.id));
        const QString runs = ids.size() > 2 ? QStringLiteral("%1-%2").arg(ids.first(), ids.last()) : ids.join(QLatin1Char(','));
        lines << format.arg(r.strategy, -18)
                     .arg(runs, -9)
                     .arg(cell(r.sourceAccuracy), 14)
                     .arg(cell(r.targetAccuracy), 14)
                     .arg(cell(r.targetMacroF1), 14)
                     .arg(QStringLiteral("%1 s").arg(r.seconds, 0, 'f', 0), 7)
                     .arg(r.warnings.join(QLatin1Char(',')));
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace ts
