#pragma once

#include <QStringList>

namespace ts::cli {

/// `submit PROJECT --slurm [cluster options] [run options | --benchmark benchmark options]`
int runSubmit(const QStringList &arguments);
/// `jobs PROJECT [--json]`
int runJobs(const QStringList &arguments);
/// `cancel PROJECT --job ID`
int runCancel(const QStringList &arguments);
/// `resubmit PROJECT --job ID [--time HH:MM:SS]`
int runResubmit(const QStringList &arguments);
/// `collect PROJECT`
int runCollect(const QStringList &arguments);

} // namespace ts::cli
