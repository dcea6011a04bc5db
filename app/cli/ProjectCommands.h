#pragma once

#include <QStringList>

namespace ts::cli {

/// `create PROJECT`
int runCreate(const QStringList &arguments);
/// `info PROJECT [--json]`
int runInfo(const QStringList &arguments);

} // namespace ts::cli
