#pragma once

#include <QStringList>

namespace ts::cli {

/// `add-model PROJECT (--hf-dir DIR | --builtin NAME) [--name N] [--vocab-corpora A,B] [--seed S]`
int runAddModel(const QStringList &arguments);
/// `models PROJECT [--json]`
int runModels(const QStringList &arguments);
/// `tokenize PROJECT --model M --text TEXT [--json]`
int runTokenize(const QStringList &arguments);
/// `hf-cache [--json]`
int runHfCache(const QStringList &arguments);

} // namespace ts::cli
