#pragma once

#include <QStringList>

namespace ts::cli {

/// `import PROJECT --corpus NAME --file PATH [options]`
int runImport(const QStringList &arguments);
/// `corpora PROJECT [--json]`
int runCorpora(const QStringList &arguments);
/// `stats PROJECT --source A --target B [--json]`
int runStats(const QStringList &arguments);

} // namespace ts::cli
