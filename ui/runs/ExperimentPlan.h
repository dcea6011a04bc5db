#pragma once

#include "transfer/RunRequest.h"

#include <QList>

namespace ts::ui {

/// What the experiment dialog produces: one run request, repeated over seeds and label budgets.
struct ExperimentPlan
{
    RunRequest request;      // corpora, model, strategy and hyper-parameters
    int seeds = 1;           // runs per setting, seeds offset by 0..seeds-1
    QList<int> labelBudgets; // labelled target examples per class for a sweep (-1: all); empty: no sweep

    /// True when the plan records more than one run (a group).
    bool isGroup() const { return seeds > 1 || !labelBudgets.isEmpty(); }
};

} // namespace ts::ui
