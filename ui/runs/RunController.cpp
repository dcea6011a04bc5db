#include "runs/RunController.h"

#include "runs/RunMonitor.h"

#include "jobs/BaselineRun.h"
#include "jobs/BenchmarkRunner.h"
#include "jobs/RunQueue.h"
#include "project/PredictionStore.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "project/RunSummary.h"
#include "transfer/StrategyRegistry.h"
#include "transfer/TransferRunner.h"

#include <QTimer>

namespace ts::ui {

namespace {

QString pointKey(const MetricPoint &point)
{
    return point.split + QLatin1Char('/') + point.metric;
}

/// Queued or running: the run may still produce metrics.
bool isLive(RunRecord::Status status)
{
    return status == RunRecord::Status::Running || status == RunRecord::Status::Queued;
}

} // namespace

RunController::RunController(QObject *parent)
    : QObject(parent), m_externalTimer(new QTimer(this)), m_newRunsTimer(new QTimer(this))
{
    m_externalTimer->setInterval(kExternalPollMs);
    connect(m_externalTimer, &QTimer::timeout, this, &RunController::pollExternal);
    m_newRunsTimer->setInterval(kNewRunsPollMs);
    connect(m_newRunsTimer, &QTimer::timeout, this, &RunController::pollNewRuns);
}

RunController::~RunController()
{
    closeProject();
}

void RunController::openProject(Project *project)
{
    closeProject();
    m_project = project;
    if (const auto marked = TransferRunner::markInterruptedRuns(project->database(), project->path()); !marked)
        Q_EMIT errorOccurred(marked.error());
    m_queue = std::make_unique<RunQueue>(project->path(), &TransferRunner::execute);
    connectQueue();
    const auto runs = RunStore(project->database()).list();
    m_lastSeenRun = runs && !runs->isEmpty() ? runs->last().id : 0;
    if (runs)
        trackOthers(runs.value());
    m_newRunsTimer->start();
}

void RunController::closeProject()
{
    m_newRunsTimer->stop();
    m_externalTimer->stop();
    m_queue.reset();
    m_watches.clear();
    m_othersLive.clear();
    m_project = nullptr;
    m_lastSeenRun = 0;
}

void RunController::connectQueue()
{
    connect(m_queue.get(), &RunQueue::runStarted, this, &RunController::onRunStarted);
    connect(m_queue.get(), &RunQueue::runEnded, this, &RunController::onRunEnded);
    connect(m_queue.get(), &RunQueue::runDequeued, this, &RunController::onRunDequeued);
    connect(m_queue.get(), &RunQueue::metricsAdded, this, &RunController::onMetrics);
    connect(m_queue.get(), &RunQueue::progress, this, &RunController::onProgress);
    connect(m_queue.get(), &RunQueue::idle, this, &RunController::idle);
}

Result<QList<qint64>> RunController::start(const ExperimentPlan &plan)
{
    using R = Result<QList<qint64>>;
    if (!m_project)
        return R::failure(tr("No project is open."));
    const QSqlDatabase db = m_project->database();
    QList<qint64> ids;
    if (plan.isGroup()) {
        const auto group = TransferRunner::createGroup(db, plan.request, plan.seeds, plan.labelBudgets);
        if (!group)
            return R::failure(group.error());
        ids = group.value();
    } else {
        const auto id = TransferRunner::createRun(db, plan.request);
        if (!id)
            return R::failure(id.error());
        ids.append(id.value());
    }
    for (const qint64 id : std::as_const(ids)) {
        m_queue->enqueue(id);
        m_lastSeenRun = qMax(m_lastSeenRun, id);
    }
    Q_EMIT runsChanged();
    return ids;
}

Result<QList<qint64>> RunController::startBenchmark(const BenchmarkPlan &plan, qint64 *groupId)
{
    using R = Result<QList<qint64>>;
    if (!m_project)
        return R::failure(tr("No project is open."));
    const auto ids = BenchmarkRunner::record(m_project->database(), plan, groupId);
    if (!ids)
        return ids;
    for (const qint64 id : ids.value()) {
        m_queue->enqueue(id);
        m_lastSeenRun = qMax(m_lastSeenRun, id);
    }
    Q_EMIT runsChanged();
    return ids;
}

Result<RunRecord> RunController::loadRun(qint64 runId) const
{
    if (!m_project)
        return Result<RunRecord>::failure(tr("No project is open."));
    return RunStore(m_project->database()).load(runId);
}

bool RunController::attach(RunMonitor *monitor, qint64 runId, QString *error)
{
    const auto run = loadRun(runId);
    if (!run) {
        if (error)
            *error = run.error();
        return false;
    }
    connect(monitor, &RunMonitor::pauseRequested, this, &RunController::pause, Qt::UniqueConnection);
    connect(monitor, &RunMonitor::resumeRequested, this, &RunController::resume, Qt::UniqueConnection);
    connect(monitor, &RunMonitor::cancelRequested, this, &RunController::cancel, Qt::UniqueConnection);
    connect(monitor, &RunMonitor::baselineRequested, this, &RunController::addBaseline, Qt::UniqueConnection);
    Watch watch;
    watch.monitor = monitor;
    reload(watch, runId);
    m_watches[runId].append(watch);
    updateTimers();
    return true;
}

void RunController::reload(Watch &watch, qint64 runId)
{
    const auto run = loadRun(runId);
    if (!run || !watch.monitor)
        return;
    watch.monitor->setRun(run.value());
    watch.status = run->status;
    watch.external = !isOurs(runId) && isLive(run->status);
    watch.shownUpTo.clear();
    qint64 lastRow = 0;
    const auto points = RunStore(m_project->database()).metrics(runId, 0, &lastRow);
    if (points) {
        for (const MetricPoint &p : points.value())
            watch.shownUpTo[pointKey(p)] = qMax(watch.shownUpTo.value(pointKey(p), -1), p.step);
        watch.monitor->appendMetrics(points.value());
    }
    watch.lastRowId = lastRow;
    showResults(watch, runId);
    watch.monitor->setControllable(!watch.external);
    if (runId == currentRun())
        watch.monitor->setStatus(RunRecord::Status::Running, m_queue->isPaused());
    else if (pendingRuns().contains(runId))
        watch.monitor->setStatus(RunRecord::Status::Queued);
}

void RunController::showResults(Watch &watch, qint64 runId)
{
    const auto summary = RunSummary::load(m_project->database(), runId, StrategyRegistry::fineTuningBaseline());
    if (!summary) {
        Q_EMIT errorOccurred(summary.error());
        return;
    }
    PredictionSet predictions;
    QStringList texts;
    if (summary->target.fromPredictions) {
        PredictionStore store(m_project->database());
        if (const auto set = store.load(runId, summary->target.split); set) {
            QList<qint64> documents;
            for (const Prediction &p : set->predictions)
                documents.append(p.documentId);
            if (const auto read = store.documentTexts(documents); read) {
                predictions = set.value();
                texts = read.value();
            }
        }
    }
    watch.monitor->setResults(summary.value(), predictions, texts);
}

void RunController::addBaseline(qint64 runId)
{
    if (!m_project)
        return;
    const auto request = BaselineRun::requestFor(m_project->database(), runId);
    if (!request) {
        Q_EMIT errorOccurred(request.error());
        return;
    }
    ExperimentPlan plan;
    plan.request = request.value();
    if (const auto ids = start(plan); !ids)
        Q_EMIT errorOccurred(ids.error());
}

void RunController::onRunStarted(qint64 runId)
{
    // The worker has not begun yet: the file holds every earlier point and nothing newer, so the
    // live points that follow need no filtering.
    if (const auto it = m_watches.find(runId); it != m_watches.end()) {
        for (Watch &watch : it.value()) {
            reload(watch, runId);
            watch.shownUpTo.clear();
        }
    }
    Q_EMIT runsChanged();
}

void RunController::onRunEnded(qint64 runId)
{
    const auto run = loadRun(runId);
    if (const auto it = m_watches.find(runId); it != m_watches.end()) {
        for (Watch &watch : it.value()) {
            reload(watch, runId);
            if (watch.monitor && run && run->status == RunRecord::Status::Finished)
                watch.monitor->showResults();
        }
    }
    if (run)
        Q_EMIT runFinished(runId, run->status);
    Q_EMIT runsChanged();
}

void RunController::onRunDequeued(qint64 runId)
{
    if (!m_project)
        return;
    if (const Status s = RunStore(m_project->database()).markEnded(runId, RunRecord::Status::Cancelled); !s)
        Q_EMIT errorOccurred(s.error());
    setMonitorStatus(runId, RunRecord::Status::Cancelled);
    Q_EMIT runsChanged();
}

void RunController::onMetrics(const MetricPoints &points)
{
    for (auto it = m_watches.begin(); it != m_watches.end(); ++it) {
        for (Watch &watch : it.value()) {
            if (!watch.monitor || watch.external)
                continue;
            MetricPoints fresh;
            for (const MetricPoint &p : points) {
                if (p.runId == it.key() && p.step > watch.shownUpTo.value(pointKey(p), -1))
                    fresh.append(p);
            }
            if (!fresh.isEmpty())
                watch.monitor->appendMetrics(fresh);
        }
    }
}

void RunController::onProgress(const TrainingProgress &progress)
{
    for (const Watch &watch : m_watches.value(progress.runId)) {
        if (watch.monitor)
            watch.monitor->setProgress(progress);
    }
}

void RunController::pause(qint64 runId)
{
    if (!m_queue || runId != currentRun())
        return;
    m_queue->pause(runId);
    setMonitorStatus(runId, RunRecord::Status::Running, true);
    Q_EMIT runsChanged();
}

void RunController::resume(qint64 runId)
{
    if (!m_queue)
        return;
    if (runId == currentRun()) {
        m_queue->resume(runId);
        setMonitorStatus(runId, RunRecord::Status::Running, false);
        Q_EMIT runsChanged();
        return;
    }
    const auto run = loadRun(runId);
    const bool resumable = run
        && (run->status == RunRecord::Status::Cancelled || run->status == RunRecord::Status::Interrupted);
    if (!resumable)
        return;
    m_queue->enqueue(runId);
    if (runId != currentRun())
        setMonitorStatus(runId, RunRecord::Status::Queued);
    Q_EMIT runsChanged();
}

void RunController::cancel(qint64 runId)
{
    if (!m_queue)
        return;
    if (isOurs(runId)) {
        m_queue->cancel(runId);
        return;
    }
    // A run recorded as queued that no process will start (its program quit before starting it).
    const auto run = loadRun(runId);
    if (run && run->status == RunRecord::Status::Queued)
        onRunDequeued(runId);
}

void RunController::stopAll()
{
    for (const qint64 id : pendingRuns())
        cancel(id);
    if (const qint64 running = currentRun(); running != 0)
        cancel(running);
    else
        Q_EMIT idle();
}

qint64 RunController::currentRun() const
{
    return m_queue ? m_queue->currentRun() : 0;
}

bool RunController::isPaused() const
{
    return m_queue && currentRun() != 0 && m_queue->isPaused();
}

bool RunController::isBusy() const
{
    return currentRun() != 0 || !pendingRuns().isEmpty();
}

QList<qint64> RunController::pendingRuns() const
{
    return m_queue ? m_queue->pendingRuns() : QList<qint64>();
}

bool RunController::isOurs(qint64 runId) const
{
    return runId == currentRun() || pendingRuns().contains(runId);
}

void RunController::setMonitorStatus(qint64 runId, RunRecord::Status status, bool paused)
{
    for (const Watch &watch : m_watches.value(runId)) {
        if (watch.monitor)
            watch.monitor->setStatus(status, paused);
    }
}

void RunController::pollExternal()
{
    bool changed = false;
    const RunStore store(m_project->database());
    for (auto it = m_watches.begin(); it != m_watches.end(); ++it) {
        for (Watch &watch : it.value()) {
            if (!watch.monitor || !watch.external)
                continue;
            if (const auto points = store.metrics(it.key(), watch.lastRowId, &watch.lastRowId); points && !points->isEmpty())
                followExternal(watch, it.key(), points.value());
            const auto run = store.load(it.key());
            if (!run || run->status == watch.status)
                continue;
            changed = true;
            watch.status = run->status;
            watch.external = isLive(run->status);
            watch.monitor->setControllable(!watch.external);
            watch.monitor->setStatus(run->status);
            if (!watch.external)
                showResults(watch, it.key());
        }
    }
    updateTimers();
    if (changed)
        Q_EMIT runsChanged();
}

void RunController::followExternal(Watch &watch, qint64 runId, const MetricPoints &points)
{
    // A resume replaces the rows recorded after its checkpoint: a step shown already comes again,
    // and the curves are read anew rather than drawn twice over that stretch.
    for (const MetricPoint &p : points) {
        if (p.step <= watch.shownUpTo.value(pointKey(p), -1)) {
            reload(watch, runId);
            return;
        }
    }
    for (const MetricPoint &p : points)
        watch.shownUpTo[pointKey(p)] = p.step;
    watch.monitor->appendMetrics(points);
}

void RunController::pollNewRuns()
{
    const RunStore store(m_project->database());
    bool changed = false;
    if (const auto added = store.listAfter(m_lastSeenRun); added && !added->isEmpty()) {
        m_lastSeenRun = added->last().id;
        trackOthers(added.value());
        changed = true;
    }
    for (auto it = m_othersLive.begin(); it != m_othersLive.end();) {
        const auto run = store.load(it.key());
        changed = changed || !run || run->status != it.value();
        if (run && isLive(run->status)) {
            it.value() = run->status;
            ++it;
        } else {
            it = m_othersLive.erase(it);
        }
    }
    if (changed)
        Q_EMIT runsChanged();
}

void RunController::trackOthers(const QList<RunRecord> &runs)
{
    for (const RunRecord &run : runs) {
        if (isLive(run.status) && !isOurs(run.id))
            m_othersLive.insert(run.id, run.status);
    }
}

void RunController::updateTimers()
{
    bool anyExternal = false;
    for (auto it = m_watches.begin(); it != m_watches.end();) {
        it->removeIf([](const Watch &watch) { return watch.monitor.isNull(); });
        for (const Watch &watch : std::as_const(it.value()))
            anyExternal = anyExternal || watch.external;
        it = it->isEmpty() ? m_watches.erase(it) : std::next(it);
    }
    if (anyExternal && m_project)
        m_externalTimer->start();
    else
        m_externalTimer->stop();
}

} // namespace ts::ui
