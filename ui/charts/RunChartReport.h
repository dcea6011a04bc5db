#pragma once

#include "util/Result.h"

#include <QList>
#include <QStringList>

namespace ts::ui {

/// Writes a project's run charts as image files, with the same charts the run monitor shows:
/// for each run those of its charts that have points (source-vs-target, loss, learning rate,
/// gradient norm, DANN's domain classifier), and one chart overlaying the target validation
/// accuracy of all the runs, the seeds of one experiment in one colour. Used by
/// `transfer-studio --export-charts` (which the CLI's demo calls) and by the GUI's export.
class RunChartReport
{
public:
    /// Charts of `runIds` (every finished run when empty) of the project at `projectPath`, written
    /// into `folder` as `format` (png, pdf, svg). Returns the files written.
    static Result<QStringList> write(const QString &projectPath, const QList<qint64> &runIds, const QString &folder,
                                     const QString &format = QStringLiteral("png"));
};

} // namespace ts::ui
