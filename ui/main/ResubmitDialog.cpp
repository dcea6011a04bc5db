#include "main/ResubmitDialog.h"

#include "theme/ThemeController.h"

#include "cluster/JobState.h"
#include "cluster/SbatchScript.h"
#include "cluster/SlurmSubmitter.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ts::ui {

ResubmitDialog::ResubmitDialog(const QSqlDatabase &db, const SlurmJobRecord &job, QWidget *parent)
    : QDialog(parent), m_db(db), m_job(job)
{
    setWindowTitle(tr("Resubmit Job %1").arg(job.slurmId));
    auto *intro = new QLabel(tr("Job %1 (%2) goes to Slurm again from its folder: the runs it finished are "
                                "skipped, the others resume from their last checkpoint.")
                                 .arg(job.slurmId, JobStates::name(job.state)),
                             this);
    intro->setWordWrap(true);
    m_time = new QLineEdit(SlurmSubmitter::timeLimit(job), this);
    m_time->setObjectName(QStringLiteral("resubmitTime"));
    m_time->setPlaceholderText(tr("HH:MM:SS (empty: the limit it ran with, or the partition's)"));
    m_time->setToolTip(tr("The new job's time limit, as HH:MM:SS or D-HH:MM:SS; a job its limit killed may need more"));
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("resubmitMessage"));
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: %1;").arg(ThemeController::errorColor(palette()).name()));
    m_message->hide();
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Resubmit"));
    auto *form = new QFormLayout;
    form->addRow(tr("Time limit:"), m_time);
    form->addRow(QString(), m_message);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_buttons);
    connect(m_time, &QLineEdit::textChanged, this, &ResubmitDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ResubmitDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ResubmitDialog::reject);
    validate();
}

QString ResubmitDialog::timeLimit() const
{
    return m_time->text().trimmed();
}

QString ResubmitDialog::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void ResubmitDialog::showMessage(const QString &text)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void ResubmitDialog::validate()
{
    const QString time = timeLimit();
    const bool valid = time.isEmpty() || SbatchScript::isTimeLimit(time);
    showMessage(valid ? QString()
                      : tr("\"%1\" is not a time limit: give HH:MM:SS or D-HH:MM:SS, e.g. 4:00:00 or 1-12:00:00")
                            .arg(time));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(valid);
}

void ResubmitDialog::accept()
{
    const auto again = SlurmSubmitter::resubmit(m_db, m_job, timeLimit());
    if (!again) {
        showMessage(again.error());
        return;
    }
    m_resubmitted = again.value();
    QDialog::accept();
}

} // namespace ts::ui
