#pragma once

#include "cluster/SlurmJobRecord.h"

#include <QDialog>
#include <QSqlDatabase>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace ts::ui {

/// Resubmit Job: submits a cancelled, timed-out or failed Slurm job again (SlurmSubmitter::resubmit,
/// as `transfer-studio-cli resubmit --time`), with a time limit prefilled with the one it ran with
/// (SlurmSubmitter::timeLimit). A limit that is not [D-]HH:MM:SS is refused inline before anything is submitted, and
/// so is sbatch's own refusal (a limit over the partition's): the dialog stays open to fix it.
class ResubmitDialog : public QDialog
{
    Q_OBJECT

public:
    /// `db`: the project the new job is recorded in; it stays open while the dialog lives.
    ResubmitDialog(const QSqlDatabase &db, const SlurmJobRecord &job, QWidget *parent = nullptr);

    /// The time limit as typed, trimmed; empty: the one the job ran with (the partition's without one).
    QString timeLimit() const;
    /// The message under the field: why the limit or the submission was refused; empty when none.
    QString message() const;
    /// The job submitted by accept(); its id is 0 until then.
    const SlurmJobRecord &resubmitted() const { return m_resubmitted; }

public Q_SLOTS:
    /// Resubmits with the typed limit; closes on success, else shows why and stays open.
    void accept() override;

private:
    void validate();
    void showMessage(const QString &text);

    QSqlDatabase m_db;
    SlurmJobRecord m_job;
    SlurmJobRecord m_resubmitted;
    QLineEdit *m_time = nullptr;
    QLabel *m_message = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace ts::ui
