#pragma once

#include <QList>
#include <QString>

namespace ts {

/// One measured value of a run, as it crosses threads (worker -> GUI) and goes into the
/// `metrics` table. A plain value: no tensors, no pointers into the model.
struct MetricPoint
{
    qint64 runId = 0;
    qint64 step = 0;     // optimiser steps since the run started
    double epoch = 0.0;  // fractional epochs over the training set
    QString split;       // e.g. "train", "source/validation", "target/validation", "target/test"
    QString metric;      // e.g. "loss", "accuracy", "macro_f1", "perplexity", "lr", "domain_accuracy"
    double value = 0.0;
    double time = 0.0;   // seconds since the Unix epoch (UTC)
};

using MetricPoints = QList<MetricPoint>;

} // namespace ts
