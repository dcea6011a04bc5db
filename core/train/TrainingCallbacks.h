#pragma once

#include "project/MetricPoint.h"
#include "train/TrainingProgress.h"

#include <functional>

namespace ts {

class RunControl;

/// How a running training reports to whoever started it (llama.cpp's progress / abort
/// callbacks): the GUI's RunQueue turns them into queued signals, the CLI into a progress
/// line on stderr. Called on the worker thread; each may be empty.
struct TrainingCallbacks
{
    /// After each optimiser step (the receiver throttles what it shows).
    std::function<void(const TrainingProgress &)> progress;
    /// New metric values, once they are also stored in the project file.
    std::function<void(const MetricPoints &)> metrics;
    /// One line for the log ("pre-training the masked LM on 2,000 target texts").
    std::function<void(const QString &)> log;
    /// Cancel / pause requests; null means the run cannot be interrupted.
    RunControl *control = nullptr;
};

} // namespace ts
