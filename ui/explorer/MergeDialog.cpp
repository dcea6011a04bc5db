#include "explorer/MergeDialog.h"

#include "project/Project.h"
#include "project/ProjectMerger.h"
#include "project/RunStore.h"
#include "transfer/TransferRunner.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace ts::ui {

namespace {

constexpr int kProgressSteps = 1000; // the progress dialog's range

QString idList(const QList<qint64> &ids)
{
    QStringList parts;
    for (const qint64 id : ids)
        parts.append(QString::number(id));
    return parts.join(QStringLiteral(", "));
}

} // namespace

MergeDialog::MergeDialog(Project &project, const QString &sourcePath, QWidget *parent)
    : QDialog(parent), m_project(project), m_sourcePath(sourcePath)
{
    setWindowTitle(tr("Import Runs From Project"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Runs of %1 to copy, with their corpora, models and results:")
                                     .arg(QFileInfo(sourcePath).fileName())));
    m_runs = new QListWidget(this);
    m_runs->setObjectName(QStringLiteral("mergeRuns"));
    layout->addWidget(m_runs);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("mergeSummary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_clashes = new QLabel(this);
    m_clashes->setObjectName(QStringLiteral("mergeClashes"));
    m_clashes->setWordWrap(true);
    layout->addWidget(m_clashes);
    m_rename = new QRadioButton(tr("Copy them under new names"), this);
    m_rename->setObjectName(QStringLiteral("mergeRename"));
    m_rename->setChecked(true);
    m_skip = new QRadioButton(tr("Leave out the runs that use them"), this);
    m_skip->setObjectName(QStringLiteral("mergeSkip"));
    layout->addWidget(m_rename);
    layout->addWidget(m_skip);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_import = buttons->addButton(tr("Import"), QDialogButtonBox::AcceptRole);
    m_import->setObjectName(QStringLiteral("mergeImport"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    listRuns();
    if (isValid())
        replan();
    connect(m_runs, &QListWidget::itemChanged, this, &MergeDialog::replan);
}

void MergeDialog::listRuns()
{
    auto source = Project::open(m_sourcePath, Project::Access::ReadOnly);
    if (!source) {
        m_error = source.error();
        return;
    }
    const auto runs = RunStore(source.value()->database()).list();
    if (!runs) {
        m_error = runs.error();
        return;
    }
    for (const RunRecord &run : runs.value()) {
        const bool ended = run.status != RunRecord::Status::Running && run.status != RunRecord::Status::Queued;
        auto *item = new QListWidgetItem(tr("run %1: %2 (%3, %4)")
                                             .arg(run.id)
                                             .arg(run.name.isEmpty() ? run.strategy : run.name, run.strategy,
                                                  RunRecord::displayName(run.status)),
                                         m_runs);
        item->setData(Qt::UserRole, run.id);
        item->setFlags(ended ? Qt::ItemIsEnabled | Qt::ItemIsUserCheckable : Qt::ItemIsUserCheckable);
        item->setCheckState(ended ? Qt::Checked : Qt::Unchecked);
        if (!ended)
            item->setToolTip(tr("Its results are not complete; import it once it has ended."));
    }
}

MergeParams MergeDialog::params() const
{
    MergeParams params;
    for (int i = 0; i < m_runs->count(); ++i) {
        if (m_runs->item(i)->checkState() == Qt::Checked)
            params.runs.append(m_runs->item(i)->data(Qt::UserRole).toLongLong());
    }
    params.onClash = m_skip->isChecked() ? MergeClashChoice::Skip : MergeClashChoice::Rename;
    return params;
}

void MergeDialog::replan()
{
    const QList<qint64> runs = params().runs;
    m_clashes->hide();
    m_rename->hide();
    m_skip->hide();
    if (runs.isEmpty()) {
        m_summary->setText(tr("Check the runs to import."));
        m_import->setEnabled(false);
        return;
    }
    const auto plan = ProjectMerger::plan(m_project, m_sourcePath, runs);
    if (!plan) {
        m_summary->setText(plan.error());
        m_import->setEnabled(false);
        return;
    }
    QString summary = tr("%n run(s) to copy.", nullptr, int(plan->runs.size()));
    if (!plan->present.isEmpty()) {
        QList<qint64> present;
        for (const auto &pair : plan->present)
            present.append(pair.first);
        summary += QLatin1Char(' ') + tr("Already in this project, not copied again: run(s) %1.").arg(idList(present));
    }
    m_summary->setText(summary);
    m_import->setEnabled(!plan->runs.isEmpty());
    if (plan->clashes.isEmpty())
        return;
    QStringList lines;
    QStringList renamed;
    for (const MergeClash &clash : plan->clashes) {
        lines.append(tr("%1 %2 (used by run(s) %3)").arg(clash.kind, clash.name, idList(clash.runs)));
        renamed.append(clash.renamed);
    }
    m_clashes->setText(tr("This project already has, with other content:\n%1").arg(lines.join(QLatin1Char('\n'))));
    m_rename->setText(tr("Copy them under new names (%1)").arg(renamed.join(QStringLiteral(", "))));
    m_clashes->show();
    m_rename->show();
    m_skip->show();
}

QString MergeDialog::merge(QWidget *parent, Project &project, const QString &sourcePath, const MergeParams &params)
{
    QProgressDialog progress(tr("Importing runs from %1…").arg(sourcePath), tr("Cancel"), 0, kProgressSteps, parent);
    progress.setWindowTitle(tr("Import Runs From Project"));
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(0);
    progress.setValue(0);
    MergeParams withProgress = params;
    const QString path = project.path();
    withProgress.runIsLive = [path](qint64 runId) { return !TransferRunner::isAbandoned(path, runId); };
    withProgress.progress = [&progress](qint64 done, qint64 total) {
        if (total > 0)
            progress.setValue(int(qMin<qint64>(kProgressSteps - 1, done * kProgressSteps / total)));
    };
    withProgress.cancelled = [&progress] {
        QApplication::processEvents();
        return progress.wasCanceled();
    };
    const auto report = ProjectMerger::merge(project, sourcePath, withProgress);
    progress.setValue(kProgressSteps);
    if (!report) {
        QMessageBox::warning(parent, tr("Import Runs From Project"), report.error());
        return tr("No runs were imported");
    }
    return tr("Imported %n run(s) from %1", nullptr, int(report->copied.size())).arg(QFileInfo(sourcePath).fileName());
}

} // namespace ts::ui
