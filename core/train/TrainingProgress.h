#pragma once

#include <QString>

namespace ts {

/// Where a run stands, sent by the training worker after every optimiser step (at most a few
/// times a second) and shown by the run monitor and the CLI's progress line. A plain value.
struct TrainingProgress
{
    qint64 runId = 0;
    QString phase;                  // "pre-training", "fine-tuning", "evaluating", ...
    qint64 step = 0;                // optimiser steps done in this phase
    qint64 totalSteps = 0;          // planned steps of this phase (0: unknown)
    double epoch = 0.0;             // fractional epochs done
    double samplesPerSecond = 0.0;  // training throughput over the last steps
    double etaSeconds = -1.0;       // estimated time to the end of the phase (< 0: unknown)
    qint64 deviceMemoryBytes = -1;  // memory in use on the device (< 0: unknown)
    QString device;                 // "cpu", "cuda:0"

    /// Fraction of the phase done, 0..1 (0 when the total is unknown).
    double fraction() const;
    /// "1 h 02 min", "3 min 05 s", "12 s"; empty when unknown.
    static QString formatDuration(double seconds);
    /// "512 MiB", "3.2 GiB"; empty when unknown.
    static QString formatBytes(qint64 bytes);
};

} // namespace ts
