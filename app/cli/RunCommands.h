#pragma once

#include <QStringList>

namespace ts::cli {

/// `run PROJECT --source A --target B --model M --strategy S [options]`
int runRun(const QStringList &arguments);
/// `resume PROJECT --run ID`
int runResume(const QStringList &arguments);
/// `metrics PROJECT --run ID [--csv]`
int runMetrics(const QStringList &arguments);
/// `export PROJECT --run ID --out DIR`
int runExport(const QStringList &arguments);
/// `strategies [--json]`
int runStrategies(const QStringList &arguments);

} // namespace ts::cli
