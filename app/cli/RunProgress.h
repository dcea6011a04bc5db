#pragma once

#include "train/TrainingCallbacks.h"
#include "util/Result.h"

#include <QElapsedTimer>

namespace ts::cli {

/// Shows a running training on stderr: on a terminal one progress line redrawn in place (at most
/// kRedrawIntervalMs apart), elsewhere (a log file, a pipe) a plain line every tenth of the
/// phase; log lines above it; Ctrl+C wired to a cancel request.
class RunProgress
{
public:
    /// Minimum time between two redraws of the progress line, in milliseconds.
    static constexpr int kRedrawIntervalMs = 200;

    /// Installs the SIGINT handler for `control` until destroyed.
    explicit RunProgress(RunControl &control);
    ~RunProgress();

    /// Also appends run `runId`'s progress (at most once a second, and its last step) and metrics
    /// to the JSON-lines file `path` (ProgressLog).
    void appendTo(const QString &path, qint64 runId);

    /// Callbacks that draw on stderr (and append to the progress file, when set).
    TrainingCallbacks callbacks();

private:
    void draw(const TrainingProgress &progress);
    void log(const QString &line);
    /// Appends to the progress file; says once on stderr when it cannot.
    void append(const Status &status);
    void appendProgress(const TrainingProgress &progress);

    RunControl &m_control;
    QElapsedTimer m_sinceDraw;
    bool m_lineOpen = false;
    bool m_terminal = false;
    int m_lastTenth = -1;
    QString m_logPath; // the JSON-lines progress file; empty: none
    qint64 m_runId = 0;
    QElapsedTimer m_sinceAppend;
    bool m_appendFailed = false;
};

} // namespace ts::cli
