#pragma once

#include <QStringList>

namespace ts::cli {

/// `demo [PROJECT] [--quick]`
int runDemo(const QStringList &arguments);

} // namespace ts::cli
