#pragma once

#include "train/TrainingCallbacks.h"
#include "util/Result.h"

#include <QString>

#include <functional>

namespace ts {

/// Executes one recorded run of a project to its end (or until cancelled), on the calling
/// thread, opening its own connection to the project. The engine's TransferRunner provides the
/// real one; the GUI's RunQueue and the CLI both call it.
using RunExecutor = std::function<Status(const QString &projectPath, qint64 runId, const TrainingCallbacks &)>;

} // namespace ts
