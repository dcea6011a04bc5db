#pragma once

#include <QStringList>

namespace ts::cli {

/// `compact PROJECT`
int runCompact(const QStringList &arguments);

} // namespace ts::cli
