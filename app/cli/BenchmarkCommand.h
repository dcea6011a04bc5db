#pragma once

#include <QStringList>

namespace ts::cli {

/// `benchmark PROJECT --pairs A:B,C:D|all --strategies s1,s2 --seeds N --model M [run options]`
/// or `benchmark PROJECT --resume GROUP`
int runBenchmark(const QStringList &arguments);

} // namespace ts::cli
