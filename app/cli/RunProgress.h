#pragma once

#include "train/TrainingCallbacks.h"

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

    /// Callbacks that draw on stderr.
    TrainingCallbacks callbacks();

private:
    void draw(const TrainingProgress &progress);
    void log(const QString &line);

    RunControl &m_control;
    QElapsedTimer m_sinceDraw;
    bool m_lineOpen = false;
    bool m_terminal = false;
    int m_lastTenth = -1;
};

} // namespace ts::cli
