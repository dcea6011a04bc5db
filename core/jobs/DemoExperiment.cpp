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
    if (strategy == QLatin1String(DannStrategy::kName))
        c.options.insert(QString::fromLatin1(DannStrategy::kDomainWeight), 0.3);
    return c;
}

Result<qint64> runOne(const QString &path, const RunRequest &request, const TrainingCallbacks &callbacks)
{
    qint64 id = 0;
    {
        auto project = Project::open(path);
        if (!project)
            return Result<qint64>::failure(project.error());
        const auto created = TransferRunner::createRun(project.value()->database(), request);
        if (!created)
            return created;
        id = created.value();
    }
    if (const Status s = TransferRunner::execute(path, id, callbacks); !s)
        return Result<qint64>::failure(s.error());
    return id;
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
    if (const auto id = runOne(params.projectPath, pretrain, params.training); !id)
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
        const auto id = runOne(params.projectPath, request, params.training);
        if (!id)
            return R::failure(id.error());
        DemoResult result;
        result.runId = id.value();
        result.strategy = strategy;
        result.seconds = double(timer.elapsed()) / 1000.0;
        auto project = Project::open(params.projectPath, Project::Access::ReadOnly);
        if (!project)
            return R::failure(project.error());
        const auto final = RunStore(project.value()->database()).finalMetrics(id.value());
        if (!final)
            return R::failure(final.error());
        result.sourceAccuracy = final->value(QStringLiteral("source/test")).value(QStringLiteral("accuracy"), -1);
        result.targetAccuracy = final->value(QStringLiteral("target/test")).value(QStringLiteral("accuracy"), -1);
        result.targetMacroF1 = final->value(QStringLiteral("target/test")).value(QStringLiteral("macro_f1"), -1);
        results.append(result);
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
    const auto cell = [](double v) { return v < 0 ? QStringLiteral("-") : QString::number(v, 'f', 3); };
    QStringList lines;
    lines << QStringLiteral("%1 -> %2 (test splits)").arg(params.source, params.target);
    lines << QStringLiteral("%1 %2 %3 %4 %5 %6 %7")
                 .arg(QStringLiteral("run"), 4).arg(QStringLiteral("strategy"), -12)
                 .arg(QStringLiteral("source acc"), 11).arg(QStringLiteral("target acc"), 11)
                 .arg(QStringLiteral("target F1"), 10).arg(QStringLiteral("gap"), 7).arg(QStringLiteral("time"), 8);
    for (const DemoResult &r : results) {
        const QString gap = r.sourceAccuracy < 0 || r.targetAccuracy < 0
                                ? QStringLiteral("-")
                                : QString::number(r.sourceAccuracy - r.targetAccuracy, 'f', 3);
        lines << QStringLiteral("%1 %2 %3 %4 %5 %6 %7")
                     .arg(r.runId, 4).arg(r.strategy, -12).arg(cell(r.sourceAccuracy), 11)
                     .arg(cell(r.targetAccuracy), 11).arg(cell(r.targetMacroF1), 10).arg(gap, 7)
                     .arg(QStringLiteral("%1 s").arg(r.seconds, 0, 'f', 0), 8);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace ts
