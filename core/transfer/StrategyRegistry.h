#pragma once

#include "transfer/StrategyDescriptor.h"

namespace ts {

/// The transfer strategies Transfer Studio offers, in the order the GUI lists them: one
/// StrategyDescriptor per strategy, registered in StrategyRegistry.cpp. The dialog, the CLI, the
/// memory estimate, the exporter, the preflight and the runner read it; no other code names a
/// strategy. Adding one: its own XStrategy.h/.cpp pair (with descriptor()) and one line in
/// StrategyRegistry.cpp. Torch-free header; thread-safe (built once, then read-only).
class StrategyRegistry
{
public:
    /// Every strategy, in the GUI's order.
    static const QList<StrategyDescriptor> &all();
    /// The strategy called `name`, or nullptr.
    static const StrategyDescriptor *find(const QString &name);
    /// The names, for messages ("use one of: ...").
    static QStringList names();
    /// The strategy called `name`, or an error listing the names.
    static Result<const StrategyDescriptor *> lookup(const QString &name);

    /// The plain fine-tuning strategy that results are judged against (RunSummary's baseline):
    /// the one whose descriptor says Baseline::FineTuning.
    static QString fineTuningBaseline();

    /// Checks `config`'s strategy and its options against the schema (the message names the
    /// strategy, the option, the value and the range).
    static Status validate(const TrainingConfig &config);
};

} // namespace ts
