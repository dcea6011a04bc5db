#pragma once

#include <QStringList>

namespace ts::cli {

/// `generate PROJECT (--model M | --run ID) --prompt TEXT [--max-new-tokens N] [--temperature T]
/// [--top-k K] [--top-p P] [--seed S]`: the continuation streamed to stdout as it comes.
int runGenerate(const QStringList &arguments);

} // namespace ts::cli
