#include "explorer/CompactionDialog.h"

#include "project/Project.h"
#include "project/ProjectCompactor.h"
#include "project/SpaceMeter.h"

#include <QApplication>
#include <QLocale>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>

namespace ts::ui {

namespace {

constexpr int kProgressSteps = 1000; // the progress dialog's range

QString sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

} // namespace

bool CompactionDialog::confirm(QWidget *parent, const Project &project)
{
    const auto space = SpaceMeter::measure(project.database(), project.path());
    if (!space) {
        QMessageBox::warning(parent, tr("Compact Project"), space.error());
        return false;
    }
    const ProjectSpace &s = space.value();
    const QString details = tr("The project file takes %1:\n\n"
                               "Corpora\t%2\nModels\t%3\nRun weights\t%4\nCheckpoints\t%5\nMetrics\t%6\nPredictions\t%7\n\n"
                               "Compacting returns %8 of free space to the disk.")
                                .arg(sizeText(s.fileBytes), sizeText(s.corpora), sizeText(s.models), sizeText(s.runWeights),
                                     sizeText(s.checkpoints), sizeText(s.metrics), sizeText(s.predictions),
                                     sizeText(s.freeBytes));
    QMessageBox box(QMessageBox::Question, tr("Compact Project"), details, QMessageBox::NoButton, parent);
    box.setInformativeText(tr("A compacted copy is written beside the file and replaces it once verified. The project "
                              "closes meanwhile; no other program may have it open."));
    QPushButton *compact = box.addButton(tr("Compact"), QMessageBox::AcceptRole);
    box.addButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == compact;
}

QString CompactionDialog::compact(QWidget *parent, const QString &path)
{
    QProgressDialog progress(tr("Compacting %1…").arg(path), tr("Cancel"), 0, kProgressSteps, parent);
    progress.setWindowTitle(tr("Compact Project"));
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(0);
    progress.setValue(0);
    CompactParams params;
    params.progress = [&progress](qint64 written, qint64 expected) {
        if (expected > 0)
            progress.setValue(int(qMin<qint64>(kProgressSteps - 1, written * kProgressSteps / expected)));
    };
    params.cancelled = [&progress] {
        QApplication::processEvents();
        return progress.wasCanceled();
    };
    const auto report = ProjectCompactor::compact(path, params);
    progress.setValue(kProgressSteps);
    if (!report) {
        QMessageBox::warning(parent, tr("Compact Project"), report.error());
        return tr("The project was not compacted");
    }
    return tr("Compacted: %1 -> %2").arg(sizeText(report->before), sizeText(report->after));
}

} // namespace ts::ui
