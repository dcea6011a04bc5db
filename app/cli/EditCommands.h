#pragma once

#include <QStringList>

namespace ts::cli {

/// `delete PROJECT --run ID|--group G|--corpus NAME|--model NAME [--yes]`
int runDelete(const QStringList &arguments);
/// `rename PROJECT --run ID|--group G|--corpus NAME|--model NAME --to NEW`
int runRename(const QStringList &arguments);

} // namespace ts::cli
