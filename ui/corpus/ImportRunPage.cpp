#include "corpus/ImportRunPage.h"

#include "corpus/ImportWorker.h"
#include "corpus/SplitText.h"
#include "corpus/WorkerThread.h"
#include "main/Plural.h"
#include "theme/ThemeController.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ts::ui {

namespace {
// Steps of the progress bar (per mille of the file read).
constexpr int kProgressSteps = 1000;
} // namespace

ImportRunPage::ImportRunPage(QWidget *parent) : QWizardPage(parent), m_worker(new WorkerThread(this))
{
    setTitle(tr("Import"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("importProgress"));
    m_progress->setRange(0, kProgressSteps);
    m_progress->setValue(0);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("importStatus"));
    m_cancel = new QPushButton(tr("Cancel Import"), this);
    m_cancel->setObjectName(QStringLiteral("cancelImport"));
    m_cancel->setToolTip(tr("Stop the import; the project is left exactly as it was"));
    connect(m_cancel, &QPushButton::clicked, this, &ImportRunPage::cancel);
    m_headline = new QLabel(this);
    m_headline->setObjectName(QStringLiteral("importHeadline"));
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_issues = new QTableWidget(0, 2, this);
    m_issues->setObjectName(QStringLiteral("rejectedRows"));
    m_issues->setHorizontalHeaderLabels({tr("Where"), tr("Why the row was skipped")});
    m_issues->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_issues->horizontalHeader()->setStretchLastSection(true);
    m_issues->verticalHeader()->hide();
    m_issues->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_issues->hide();
    m_warnings = new QListWidget(this);
    m_warnings->setObjectName(QStringLiteral("importWarnings"));
    m_warnings->hide();

    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(progressRow);
    layout->addWidget(m_status);
    layout->addWidget(m_headline);
    layout->addWidget(m_issues, 2);
    layout->addWidget(m_warnings, 1);
    layout->addStretch();
}

ImportRunPage::~ImportRunPage() = default;

void ImportRunPage::start(const QString &projectPath, const ImportParams &params)
{
    if (m_running)
        return;
    m_running = true;
    m_succeeded = false;
    m_report = ImportReport();
    setSubTitle(tr("Importing %1 into corpus '%2'…").arg(params.path, params.corpus));
    m_progress->setValue(0);
    m_cancel->setEnabled(true);
    m_headline->clear();
    m_status->setText(tr("Starting…"));
    auto *worker = new ImportWorker(projectPath, params);
    connect(worker, &ImportWorker::progress, this, &ImportRunPage::showProgress);
    connect(worker, &ImportWorker::finished, this, &ImportRunPage::showResult);
    m_worker->start(worker);
    Q_EMIT completeChanged();
}

void ImportRunPage::cancel()
{
    if (!m_running)
        return;
    m_worker->cancel();
    m_cancel->setEnabled(false);
    m_status->setText(tr("Cancelling…"));
}

void ImportRunPage::showProgress(qint64 bytesRead, qint64 totalBytes, qint64 documents, qint64 rejected)
{
    if (totalBytes > 0)
        m_progress->setValue(int(kProgressSteps * bytesRead / totalBytes));
    if (!m_cancel->isEnabled())
        return;
    const QLocale locale;
    m_status->setText(tr("%1 of %2 read · %3 documents · %4 rows skipped")
                          .arg(locale.formattedDataSize(bytesRead), locale.formattedDataSize(totalBytes),
                               locale.toString(documents), locale.toString(rejected)));
}

void ImportRunPage::showResult(const ImportReport &report, const QString &error, bool cancelled)
{
    m_running = false;
    m_cancel->setEnabled(false);
    m_succeeded = error.isEmpty();
    m_report = report;
    if (m_succeeded) {
        m_progress->setValue(kProgressSteps);
        showReport(report);
    } else {
        setSubTitle(cancelled ? tr("The import was cancelled.") : tr("The import failed."));
        m_status->setText(tr("Nothing was changed: the project is as it was before the import."));
        m_headline->setStyleSheet(QStringLiteral("color: %1;").arg(ThemeController::errorColor(palette()).name()));
        m_headline->setText(cancelled ? tr("Cancelled.") : error);
    }
    Q_EMIT completeChanged();
    Q_EMIT importFinished(m_succeeded);
}

QString ImportRunPage::duplicatesText(const ImportReport &report)
{
    const QString skipped = plural(report.duplicates, tr("1 duplicate skipped"), tr("%1 duplicates skipped"));
    if (report.duplicates == 0)
        return skipped;
    QStringList where;
    for (auto it = report.duplicatesBySplit.cbegin(); it != report.duplicatesBySplit.cend(); ++it) {
        where << (it.key().isEmpty() ? tr("%1 repeat an earlier row of this file").arg(QLocale().toString(it.value()))
                                     : tr("%1 already in the %2 split of '%3'")
                                           .arg(QLocale().toString(it.value()), splitText(it.key()), report.corpus));
    }
    return tr("%1 (%2)").arg(skipped, where.join(QStringLiteral(", ")).toHtmlEscaped());
}

void ImportRunPage::showReport(const ImportReport &report)
{
    const QLocale locale;
    setSubTitle(tr("Imported %1 into corpus '%2'.").arg(report.path, report.corpus));
    QStringList splits;
    for (auto it = report.splits.cbegin(); it != report.splits.cend(); ++it)
        splits << tr("%1 %2").arg(locale.toString(it.value()), splitText(it.key()));
    m_status->setText(tr("%1 records read as %2.").arg(locale.toString(report.records), report.format.toUpper()));
    m_headline->setStyleSheet(QString());
    m_headline->setText(tr("<b>%1 imported</b> (%2) · %3 · %4")
                            .arg(plural(report.documents, tr("1 document"), tr("%1 documents")),
                                 splits.join(QStringLiteral(", ")).toHtmlEscaped(), duplicatesText(report),
                                 plural(report.rejected, tr("1 row rejected"), tr("%1 rows rejected"))));
    m_issues->setRowCount(int(report.issues.size()));
    for (int row = 0; row < report.issues.size(); ++row) {
        m_issues->setItem(row, 0, new QTableWidgetItem(report.issues.at(row).origin));
        auto *reason = new QTableWidgetItem(report.issues.at(row).reason);
        reason->setToolTip(report.issues.at(row).reason);
        m_issues->setItem(row, 1, reason);
    }
    m_issues->setVisible(!report.issues.isEmpty());
    m_warnings->clear();
    m_warnings->addItems(report.warnings);
    m_warnings->setVisible(!report.warnings.isEmpty());
}

bool ImportRunPage::isComplete() const
{
    return !m_running;
}

} // namespace ts::ui
