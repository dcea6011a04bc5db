#include "transfer/TransferRunner.h"

#include "corpus/CorpusStore.h"
#include "distributed/DataParallelGroup.h"
#include "model/ModelFolder.h"
#include "model/ModelRegistry.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "project/RunVocabulary.h"
#include "project/WeightRetention.h"
#include "train/DomainDataLoader.h"
#include "train/RunWeights.h"
#include "train/TrainingTexts.h"
#include "train/TrainingPrecision.h"
#include "util/CpuFeatures.h"
#include "util/DeviceMemory.h"
#include "transfer/RunMemoryEstimate.h"
#include "transfer/Preflight.h"
#include "transfer/StrategyRegistry.h"
#include "transfer/TransferStrategy.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QLockFile>
#include <QSqlError>
#include <QSqlQuery>


namespace ts {

namespace {

Result<qint64> corpusId(const QSqlDatabase &db, const QString &name, const char *role)
{
    const auto found = CorpusStore::find(db, name);
    if (!found)
        return Result<qint64>::failure(found.error());
    if (!found.value())
        return Result<qint64>::failure(
            QStringLiteral("%1 corpus \"%2\" does not exist in the project").arg(QLatin1String(role), name));
    return *found.value();
}

Result<torch::Device> resolveDevice(const QString &choice)
{
    const bool cuda = torch::cuda::is_available();
    if (choice == QLatin1String("cuda") && !cuda)
        return Result<torch::Device>::failure(QStringLiteral("device \"cuda\" was asked for, but no CUDA GPU is available; "
                                                             "use --device cpu or auto"));
    if (choice == QLatin1String("cuda") || (choice == QLatin1String("auto") && cuda))
        return torch::Device(torch::kCUDA, 0);
    return torch::Device(torch::kCPU);
}

/// How much memory a new run can use on `device`, in bytes (0: unknown).
qint64 capacityOf(const torch::Device &device)
{
    return device.is_cuda() ? DeviceMemory::cudaFreeBytes() : DeviceMemory::cpuAvailableBytes();
}

/// `config` with an "auto" gradient accumulation replaced by the fewest micro-batches per batch
/// whose estimated memory fits `capacity` bytes (RunMemoryEstimate::accumulationFor); a fixed one kept.
TrainingConfig withAccumulation(const ModelConfig &model, TrainingConfig config, bool cuda, qint64 capacity)
{
    if (config.gradientAccumulation == TrainingConfig::kAutoAccumulation)
        config.gradientAccumulation = RunMemoryEstimate::accumulationFor(model, config, cuda, capacity);
    return config;
}

/// The device as messages name it.
QString deviceWords(const torch::Device &device)
{
    return device.is_cuda() ? QStringLiteral("the GPU") : QStringLiteral("the CPU");
}

/// A libtorch error as a message a person can act on.
QString explain(const c10::Error &error, const TransferContext &ctx)
{
    const QString what = QString::fromStdString(error.what_without_backtrace());
    if (what.contains(QLatin1String("out of memory"), Qt::CaseInsensitive)) {
        const RunMemoryEstimate estimate = RunMemoryEstimate::forRun(ctx.model.config, ctx.config, ctx.device.is_cuda(),
                                                                     int(ctx.classes.size()));
        return QStringLiteral("%1 out of memory: %2")
            .arg(ctx.device.is_cuda() ? QStringLiteral("CUDA") : QStringLiteral("CPU"),
                 estimate.describe(capacityOf(ctx.device), deviceWords(ctx.device)));
    }
    return QStringLiteral("training failed: %1").arg(what.section(QLatin1Char('\n'), 0, 0));
}

Status prepareData(TransferContext &ctx, qint64 sourceId, qint64 targetId)
{
    const uint64_t seed = uint64_t(ctx.config.dataSeed);
    const auto classes = DomainDataLoader::classes(ctx.db, sourceId);
    if (!classes)
        return Status::failure(classes.error());
    ctx.classes = classes.value();
    const StrategyDescriptor *strategy = StrategyRegistry::find(ctx.config.strategy);
    const bool needsLabels = strategy && strategy->needsSourceLabels;
    if (needsLabels && ctx.classes.size() < 2)
        return Status::failure(QStringLiteral("source corpus \"%1\" needs labelled documents of at least two classes")
                                   .arg(ctx.sourceName));
    const auto source = DomainDataLoader::load(ctx.db, sourceId, ctx.classes, seed);
    if (!source)
        return Status::failure(source.error());
    const auto target = DomainDataLoader::load(ctx.db, targetId, ctx.classes, seed);
    if (!target)
        return Status::failure(target.error());
    if (target->unknownLabels > 0)
        ctx.log(QStringLiteral("warning: %1 labelled documents of \"%2\" have labels the source does not have; they "
                               "are not evaluated")
                    .arg(target->unknownLabels)
                    .arg(ctx.targetName));
    for (const DomainData *d : {&source.value(), &target.value()}) {
        if (d->validationCarved)
            ctx.log(QStringLiteral("\"%1\" has no validation split: %2 documents of its train split are used")
                        .arg(d->corpusName)
                        .arg(d->validation.size()));
    }
    const int maxLength = ctx.config.maxLength;
    const int evalCap = ctx.config.maxEvalExamples;
    const auto build = [&](const QString &name, const QList<LabelledText> &texts, int domain) {
        return TokenizedSet::build(name, ctx.tokenizer, DomainDataLoader::cap(texts, evalCap, seed), maxLength, domain);
    };
    const TrainingTexts texts = TrainingTexts::draw(source.value(), target.value(), ctx.config, int(ctx.classes.size()));
    ctx.sourceTrainTexts = texts.source;
    ctx.train = TokenizedSet::build(QStringLiteral("train"), ctx.tokenizer, ctx.sourceTrainTexts, maxLength, 0);
    if (ctx.config.targetLabels != 0) {
        ctx.train.append(TokenizedSet::build(QStringLiteral("train"), ctx.tokenizer, texts.target, maxLength, 1));
        ctx.log(QStringLiteral("few-shot: %1 labelled target examples added to training").arg(texts.target.size()));
    }
    ctx.sourceValidation = build(QString(Splits::kSourceValidation), source->validation, 0);
    ctx.targetValidation = build(QString(Splits::kTargetValidation), target->validation, 1);
    // The run's result: every text of the test split (the cap is for measurements while training),
    // or of the validation split when the corpus has no test split.
    const auto whole = [&](const DomainData &d, const QLatin1String &test, const QLatin1String &validation, int domain) {
        const bool hasTest = !d.test.isEmpty();
        return TokenizedSet::build(hasTest ? QString(test) : QString(validation), ctx.tokenizer,
                                   hasTest ? d.test : d.validation, maxLength, domain, true);
    };
    TokenizedSet sourceFinal = whole(source.value(), Splits::kSourceTest, Splits::kSourceValidation, 0);
    TokenizedSet targetFinal = whole(target.value(), Splits::kTargetTest, Splits::kTargetValidation, 1);
    (source->test.isEmpty() ? ctx.sourceWholeValidation : ctx.sourceTest) = std::move(sourceFinal);
    (target->test.isEmpty() ? ctx.targetWholeValidation : ctx.targetTest) = std::move(targetFinal);
    ctx.targetUnlabeled = TokenizedSet::build(QStringLiteral("target/unlabeled"), ctx.tokenizer,
                                              DomainDataLoader::cap(target->unlabeled, ctx.config.maxTrainExamples, seed),
                                              maxLength, 1);
    ctx.sourceUnlabeled = TokenizedSet::build(QStringLiteral("source/unlabeled"), ctx.tokenizer,
                                              DomainDataLoader::cap(source->unlabeled, ctx.config.maxTrainExamples, seed),
                                              maxLength, 0);
    if (needsLabels && ctx.train.isEmpty())
        return Status::failure(QStringLiteral("source corpus \"%1\" has no labelled training documents").arg(ctx.sourceName));
    return {};
}

/// Marks the run failed with `message` (rank 0 only: the others write nothing) and returns it.
Status failBeforeStart(RunStore &store, qint64 runId, bool leader, const QString &message)
{
    if (leader) {
        if (const Status s = store.markEnded(runId, RunRecord::Status::Failed, message); !s)
            return s;
    }
    return Status::failure(message);
}

QString corpusName(const QSqlDatabase &db, qint64 id)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT name FROM corpora WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

/// Trains with the run's strategy; `cancelled` tells a cancel apart from the end.
Status runStrategy(TransferContext &ctx, bool &cancelled)
{
    auto strategy = TransferStrategy::create(ctx.config.strategy);
    if (!strategy)
        return Status::failure(StrategyRegistry::lookup(ctx.config.strategy).error());
    if (const Status s = prepareData(ctx, ctx.run.sourceCorpusId, ctx.run.targetCorpusId); !s)
        return s;
    const auto checkpoint = ctx.checkpoints->latest();
    if (!checkpoint)
        return Status::failure(checkpoint.error());
    ctx.resume = checkpoint.value();
    // Rows after the checkpoint (every row, without one) come from an attempt that died; recorded again.
    if (ctx.writesProject) {
        if (const Status s = RunStore(ctx.db).deleteMetricsAfter(ctx.run.id, ctx.resume ? ctx.resume->step : -1); !s)
            return s;
    }
    if (ctx.resume) {
        ctx.trainer->setGlobalStep(int64_t(ctx.resume->state.value(QLatin1String("global_step")).toDouble()));
        ctx.log(QStringLiteral("resuming from the checkpoint at step %1").arg(ctx.resume->step));
    }
    const auto result = strategy->run(ctx);
    if (!result)
        return Status::failure(result.error());
    cancelled = result->cancelled;
    // Every rank got to the end: a rank that failed after the last step fails the run.
    if (ctx.group) {
        if (const Status s = ctx.group->barrier(); !s)
            return s;
    }
    return ctx.sink->flush();
}

} // namespace

QString TransferRunner::lockPath(const QString &projectPath, qint64 runId)
{
    return QStringLiteral("%1.run-%2.lock").arg(projectPath).arg(runId);
}

Result<QString> TransferRunner::checkMemory(const ModelConfig &model, const TrainingConfig &config)
{
    const auto device = resolveDevice(config.device);
    if (!device)
        return Result<QString>::failure(device.error());
    const qint64 capacity = capacityOf(device.value());
    const RunMemoryEstimate estimate =
        RunMemoryEstimate::forRun(model, withAccumulation(model, config, device->is_cuda(), capacity), device->is_cuda());
    const RunMemoryEstimate::Verdict verdict = estimate.verdict(capacity);
    const QString text = estimate.describe(capacity, deviceWords(device.value()));
    if (verdict == RunMemoryEstimate::Verdict::TooLarge && config.memoryCheck != QLatin1String("warn"))
        return Result<QString>::failure(
            QStringLiteral("not started: %1 (or start it anyway with --ignore-memory-estimate)").arg(text));
    const bool warn = verdict == RunMemoryEstimate::Verdict::TooLarge || verdict == RunMemoryEstimate::Verdict::Tight;
    return (warn ? QStringLiteral("warning: ") : QStringLiteral("memory: ")) + text;
}

Result<qint64> TransferRunner::createRun(const QSqlDatabase &db, const RunRequest &request)
{
    using R = Result<qint64>;
    if (const Status s = StrategyRegistry::validate(request.config); !s)
        return R::failure(s.error());
    if (const Status s = request.config.validate(); !s)
        return R::failure(s.error());
    const auto source = corpusId(db, request.sourceCorpus, "source");
    if (!source)
        return R::failure(source.error());
    const auto target = corpusId(db, request.targetCorpus, "target");
    if (!target)
        return R::failure(target.error());
    const auto model = ModelRegistry::find(db, request.model);
    if (!model)
        return R::failure(model.error());
    TrainingConfig config = request.config;
    if (config.keep.isEmpty()) {
        const auto keep = WeightRetention::projectDefault(db);
        if (!keep)
            return R::failure(keep.error());
        config.keep = keep.value();
    }
    RunRecord run;
    run.name = request.name.isEmpty() ? QStringLiteral("%1 %2 -> %3").arg(request.config.strategy, request.sourceCorpus,
                                                                          request.targetCorpus)
                                      : request.name;
    run.strategy = request.config.strategy;
    run.sourceCorpusId = source.value();
    run.targetCorpusId = target.value();
    run.modelId = model->id;
    run.groupId = request.groupId;
    run.configJson = QString::fromUtf8(QJsonDocument(config.toJson()).toJson(QJsonDocument::Compact));
    run.initSeed = request.config.initSeed;
    run.dataSeed = request.config.dataSeed;
    run.device = request.config.device;
    return RunStore(db).create(run);
}

Result<QList<qint64>> TransferRunner::createGroup(const QSqlDatabase &db, const RunRequest &request, int seeds,
                                                  const QList<int> &labelBudgets)
{
    using R = Result<QList<qint64>>;
    const QString kind = labelBudgets.isEmpty() ? QStringLiteral("seeds") : QStringLiteral("label-budget");
    const auto group = RunStore(db).createGroup(
        QStringLiteral("%1 %2 -> %3 (%4)").arg(request.config.strategy, request.sourceCorpus, request.targetCorpus, kind),
        kind);
    if (!group)
        return R::failure(group.error());
    const QList<int> budgets = labelBudgets.isEmpty() ? QList<int>{request.config.targetLabels} : labelBudgets;
    QList<qint64> ids;
    for (int budget : budgets) {
        for (int seed = 0; seed < std::max(1, seeds); ++seed) {
            RunRequest one = request;
            one.groupId = group.value();
            one.config.targetLabels = budget;
            one.config.initSeed = request.config.initSeed + seed;
            one.config.dataSeed = request.config.dataSeed + seed;
            one.name = QStringLiteral("%1 %2 -> %3 K=%4 seed %5")
                           .arg(request.config.strategy, request.sourceCorpus, request.targetCorpus,
                                budget < 0 ? QStringLiteral("all") : QString::number(budget))
                           .arg(seed + 1);
            const auto id = createRun(db, one);
            if (!id)
                return R::failure(id.error());
            ids.append(id.value());
        }
    }
    return ids;
}

bool TransferRunner::isAbandoned(const QString &projectPath, qint64 runId)
{
    // The executing process holds the lock; a lock we can take belonged to a dead process.
    QLockFile lock(lockPath(projectPath, runId));
    if (!lock.tryLock(0))
        return false;
    lock.unlock();
    return true;
}

Result<int> TransferRunner::markInterruptedRuns(const QSqlDatabase &db, const QString &projectPath)
{
    RunStore store(db);
    const auto runs = store.list();
    if (!runs)
        return Result<int>::failure(runs.error());
    int marked = 0;
    for (const RunRecord &run : runs.value()) {
        if (run.status != RunRecord::Status::Running)
            continue;
        if (!isAbandoned(projectPath, run.id))
            continue;
        if (const Status s = store.markEnded(run.id, RunRecord::Status::Interrupted,
                                             QStringLiteral("the process running it stopped; resume to continue from "
                                                            "its last checkpoint"));
            !s)
            return Result<int>::failure(s.error());
        ++marked;
    }
    return marked;
}

Status TransferRunner::execute(const QString &projectPath, qint64 runId, const TrainingCallbacks &callbacks)
{
    return executeRank(projectPath, runId, callbacks, DistributedContext{});
}

Status TransferRunner::executeRank(const QString &projectPath, qint64 runId, const TrainingCallbacks &callbacks,
                                   const DistributedContext &distributed)
{
    const bool leader = distributed.isLeader();
    auto project = Project::open(projectPath, leader ? Project::Access::ReadWrite : Project::Access::ReadOnly);
    if (!project)
        return Status::failure(project.error());
    QSqlDatabase db = project.value()->database();
    QLockFile lock(lockPath(projectPath, runId));
    if (leader && !lock.tryLock(0)) {
        if (lock.error() == QLockFile::LockFailedError)
            return Status::failure(QStringLiteral("run %1 is already being executed by another process").arg(runId));
        // The lock file could not be created at all: a full disk or a folder the user may not write.
        return Status::failure(QStringLiteral("run %1: cannot create its lock file %2 (%3); free some disk space or "
                                              "make the project's folder writable, then try again. Nothing was started")
                                   .arg(runId)
                                   .arg(lockPath(projectPath, runId),
                                        lock.error() == QLockFile::PermissionError
                                            ? QStringLiteral("no permission to write there")
                                            : QStringLiteral("the disk may be full, or the name too long for the file system")));
    }
    RunStore store(db);
    const auto run = store.load(runId);
    if (!run)
        return Status::failure(run.error());
    if (run->status == RunRecord::Status::Finished)
        return Status::failure(QStringLiteral("run %1 has already finished").arg(runId));
    const auto config = TrainingConfig::fromJson(QJsonDocument::fromJson(run->configJson.toUtf8()).object());
    if (!config)
        return Status::failure(QStringLiteral("run %1: %2").arg(runId).arg(config.error()));
    const auto device = resolveDevice(config->device);
    if (!device)
        return Status::failure(device.error());
    const auto precision = TrainingPrecision::resolve(config->precision, device->is_cuda(), CpuFeatures::host());
    if (!precision)
        return Status::failure(QStringLiteral("run %1: %2").arg(runId).arg(precision.error()));
    const auto model = ModelRegistry::load(db, run->modelId);
    if (!model)
        return Status::failure(model.error());
    // The preconditions may no longer hold (corpora emptied, options from an older version, a model
    // replaced): fail with what is wrong rather than with an error deep in training.
    RunRequest request;
    request.sourceCorpus = corpusName(db, run->sourceCorpusId);
    request.targetCorpus = corpusName(db, run->targetCorpusId);
    request.model = model->name;
    request.config = config.value();
    if (const QStringList problems = Preflight::check(db, request); !problems.isEmpty()) {
        const QString message = QStringLiteral("run %1 cannot start: %2").arg(runId).arg(problems.join(QStringLiteral("; ")));
        return failBeforeStart(store, runId, leader, message);
    }
    const auto memory = checkMemory(model->config, config.value());
    if (!memory)
        return failBeforeStart(store, runId, leader, memory.error());
    std::unique_ptr<DataParallelGroup> group;
    if (distributed.isDistributed() && device->is_cuda())
        return failBeforeStart(store, runId, leader,
                               QStringLiteral("run %1: data-parallel training runs on the CPU (Gloo) in this build; "
                                              "record the run with --device cpu, or train it as one process")
                                   .arg(runId));
    if (distributed.isDistributed()) {
        auto joined = DataParallelGroup::connect(distributed);
        if (!joined)
            return failBeforeStart(store, runId, leader, QStringLiteral("run %1: %2").arg(runId).arg(joined.error()));
        group = std::move(joined.value());
    }
    if (callbacks.log)
        callbacks.log(memory.value());
    QTemporaryDir scratch;
    const auto dir = ModelRegistry::materialize(db, model.value(), scratch.path());
    if (!dir)
        return Status::failure(dir.error());
    const auto folder = ModelFolder::inspect(dir.value());
    if (!folder)
        return Status::failure(folder.error());
    auto tokenizer = Tokenizer::fromFile(folder->tokenizerFile());
    if (!tokenizer)
        return Status::failure(tokenizer.error());

    TransferContext ctx(tokenizer.value());
    ctx.db = db;
    ctx.run = run.value();
    // The run's record keeps "auto"; this process trains with the factor its device's memory needs now.
    ctx.config = withAccumulation(model->config, config.value(), device->is_cuda(), capacityOf(device.value()));
    ctx.device = device.value();
    ctx.callbacks = &callbacks;
    ctx.model = model.value();
    ctx.modelDir = dir.value();
    ctx.sourceName = corpusName(db, run->sourceCorpusId);
    ctx.targetName = corpusName(db, run->targetCorpusId);
    ctx.writesProject = leader;
    ctx.group = std::move(group);
    ctx.sink = std::make_unique<MetricSink>(db, runId, callbacks,
                                            leader ? MetricSink::Mode::Record : MetricSink::Mode::Discard);
    ctx.checkpoints = std::make_unique<CheckpointStore>(db, runId);
    ctx.trainer = std::make_unique<Trainer>(ctx.config, ctx.device, tokenizer->padId(), *ctx.sink, *ctx.checkpoints,
                                            callbacks, runId, ctx.group.get());
    if (ctx.config.cpuThreads > 0)
        torch::set_num_threads(ctx.config.cpuThreads);
    // The run records the precision that produced its results next to the device: "cpu bf16".
    const QString deviceName = QString::fromStdString(ctx.device.str());
    if (leader) {
        if (const Status s = store.markStarted(runId, deviceName + QLatin1Char(' ') + TrainingPrecision::name(precision.value()));
            !s)
            return s;
    }
    ctx.log(QStringLiteral("run %1: %2 on %3 (%4), model \"%5\"")
                .arg(runId)
                .arg(ctx.config.strategy, deviceName,
                     TrainingPrecision::describe(precision.value(), ctx.device.is_cuda(), CpuFeatures::host()),
                     ctx.model.name));
    if (ctx.group)
        ctx.log(QStringLiteral("data-parallel: rank %1 of %2, %3 of every batch of %4, %5 CPU threads")
                    .arg(distributed.rank)
                    .arg(distributed.worldSize)
                    .arg(ctx.config.batchSize / distributed.worldSize)
                    .arg(ctx.config.batchSize)
                    .arg(torch::get_num_threads()));

    Status status;
    bool cancelled = false;
    try {
        status = runStrategy(ctx, cancelled);
        // A finished run gives up its checkpoint for the weights it keeps (the run's retention choice).
        if (status && !cancelled && leader)
            status = RunWeights::keepFinal(db, runId, ctx.config.keep, ctx.modelDir);
    } catch (const c10::Error &e) {
        status = Status::failure(explain(e, ctx));
    }
    if (!leader)
        return status;
    const RunRecord::Status end = !status ? RunRecord::Status::Failed
                                          : cancelled ? RunRecord::Status::Cancelled : RunRecord::Status::Finished;
    if (const Status s = store.markEnded(runId, end, status.error()); !s && status)
        status = s;
    return status;
}

} // namespace ts
