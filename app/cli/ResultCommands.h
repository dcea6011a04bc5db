#pragma once

#include <QStringList>

namespace ts {
struct RunSummary;
}

namespace ts::cli {

/// `runs PROJECT [--json]`
int runRuns(const QStringList &arguments);
/// `predictions PROJECT --run ID [--domain source|target] [--errors] [--csv]`
int runPredictions(const QStringList &arguments);
/// `predict PROJECT --run ID (--file F [import options] | --corpus NAME [--split S]) --out FILE.csv [--force]`
int runPredict(const QStringList &arguments);
/// `compare PROJECT [--runs 1,2,3 | --group G] [--json]`
int runCompare(const QStringList &arguments);

/// A run's result as the CLI prints it after training: each domain's split, texts, accuracy,
/// macro-F1, ECE, the majority baseline, the gap and the warnings.
void printSummary(const RunSummary &summary);

} // namespace ts::cli
