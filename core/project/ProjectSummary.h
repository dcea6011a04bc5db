#pragma once

#include <QString>

namespace ts {

/// Counts shown by `transfer-studio-cli info` and the GUI's status bar.
struct ProjectSummary
{
    QString path;
    int schemaVersion = 0;
    qint64 corpora = 0;
    qint64 documents = 0;
    qint64 models = 0;
    qint64 runs = 0;
    qint64 metrics = 0;
};

} // namespace ts
