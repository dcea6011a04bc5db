#include "RunProgress.h"

#include "cluster/ProgressLog.h"
#include "train/RunControl.h"

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace ts::cli {

namespace {

RunControl *g_control = nullptr;

extern "C" void onInterrupt(int)
{
    // Async-signal-safe: an atomic store. A second Ctrl+C ends the process the default way.
    if (g_control)
        g_control->requestCancel();
    std::signal(SIGINT, SIG_DFL);
}

} // namespace

RunProgress::RunProgress(RunControl &control) : m_control(control), m_terminal(isatty(fileno(stderr)) == 1)
{
    g_control = &m_control;
    std::signal(SIGINT, onInterrupt);
}

RunProgress::~RunProgress()
{
    std::signal(SIGINT, SIG_DFL);
    g_control = nullptr;
    if (m_lineOpen)
        std::fputc('\n', stderr);
}

void RunProgress::appendTo(const QString &path, qint64 runId)
{
    m_logPath = path;
    m_runId = runId;
}

TrainingCallbacks RunProgress::callbacks()
{
    TrainingCallbacks callbacks;
    callbacks.control = &m_control;
    callbacks.progress = [this](const TrainingProgress &p) {
        draw(p);
        appendProgress(p);
    };
    callbacks.log = [this](const QString &line) { log(line); };
    if (!m_logPath.isEmpty())
        callbacks.metrics = [this](const MetricPoints &points) { append(ProgressLog::appendMetrics(m_logPath, points)); };
    return callbacks;
}

void RunProgress::appendProgress(const TrainingProgress &p)
{
    // Milliseconds between two progress lines: a reader polls the file about as often.
    constexpr int kAppendIntervalMs = 1000;
    const bool last = p.totalSteps > 0 && p.step >= p.totalSteps;
    if (m_logPath.isEmpty() || (m_sinceAppend.isValid() && m_sinceAppend.elapsed() < kAppendIntervalMs && !last))
        return;
    m_sinceAppend.restart();
    append(ProgressLog::appendProgress(m_logPath, m_runId, p.phase, p.step, p.totalSteps, p.epoch, p.samplesPerSecond));
}

void RunProgress::append(const Status &status)
{
    if (status || m_appendFailed)
        return;
    m_appendFailed = true;
    log(QStringLiteral("warning: %1 (training goes on)").arg(status.error()));
}

void RunProgress::draw(const TrainingProgress &p)
{
    const bool last = p.totalSteps > 0 && p.step >= p.totalSteps;
    const int tenth = int(p.fraction() * 10);
    if (!m_terminal && tenth == m_lastTenth)
        return;
    m_lastTenth = tenth;
    if (m_terminal && m_sinceDraw.isValid() && m_sinceDraw.elapsed() < kRedrawIntervalMs && !last)
        return;
    m_sinceDraw.restart();
    QString line = QStringLiteral("[%1] step %2/%3 (%4%) epoch %5")
                       .arg(p.phase)
                       .arg(p.step)
                       .arg(p.totalSteps)
                       .arg(int(p.fraction() * 100))
                       .arg(p.epoch, 0, 'f', 2);
    if (p.samplesPerSecond > 0)
        line += QStringLiteral(" · %1 samples/s").arg(p.samplesPerSecond, 0, 'f', 1);
    if (const QString eta = TrainingProgress::formatDuration(p.etaSeconds); !eta.isEmpty())
        line += QStringLiteral(" · ETA %1").arg(eta);
    if (const QString memory = TrainingProgress::formatBytes(p.deviceMemoryBytes); !memory.isEmpty())
        line += QStringLiteral(" · %1").arg(memory);
    if (!m_terminal) {
        std::fprintf(stderr, "%s\n", qUtf8Printable(line));
        return;
    }
    std::fprintf(stderr, "\r%-110s", qUtf8Printable(line));
    std::fflush(stderr);
    m_lineOpen = true;
}

void RunProgress::log(const QString &line)
{
    if (m_lineOpen)
        std::fputc('\n', stderr);
    m_lineOpen = false;
    std::fprintf(stderr, "%s\n", qUtf8Printable(line));
}

} // namespace ts::cli
