#pragma once

#include <QStringList>

namespace ts::cli {

/// `merge PROJECT --from OTHER [--runs 1,2] [--on-clash fail|rename|skip]`
int runMerge(const QStringList &arguments);

} // namespace ts::cli
