#pragma once

#include <QDialog>

#include <atomic>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QRadioButton;
class QThread;

namespace ts {
class Project;
}

namespace ts::ui {

/// Runs > Predict…: applies a finished run's model to a corpus split of the project or to a file
/// (read as an import reads it) and writes a CSV with the predicted label and each label's
/// probability. Predicting runs on a worker thread with progress and Cancel; the file is written
/// only when every text is done, and never over an existing file.
class PredictDialog : public QDialog
{
    Q_OBJECT

public:
    /// `project` stays open while the dialog lives; `runId` is preselected when it is finished.
    PredictDialog(const Project &project, qint64 runId, QWidget *parent = nullptr);
    ~PredictDialog() override;

    /// Starts predicting with the form's choices (what the Predict button does).
    void start();
    /// True while the worker runs.
    bool isBusy() const { return m_worker != nullptr; }
    /// The last message shown (the result or the error).
    QString message() const;

    QComboBox *runBox() const { return m_run; }
    QRadioButton *fileChoice() const { return m_fromFile; }
    QLineEdit *fileEdit() const { return m_file; }
    QCheckBox *headerBox() const { return m_header; }
    QLineEdit *textColumnEdit() const { return m_textColumn; }
    QLineEdit *labelColumnEdit() const { return m_labelColumn; }
    QComboBox *corpusBox() const { return m_corpus; }
    QComboBox *splitBox() const { return m_split; }
    QLineEdit *outputEdit() const { return m_output; }

Q_SIGNALS:
    /// The CSV was written (or predicting failed / was cancelled: `ok` false).
    void finished(bool ok);

protected:
    void reject() override;

private:
    void fillRuns(qint64 preselect);
    void fillCorpora();
    void updateState();
    void browseFile();
    void browseOutput();
    void onDone(bool ok, const QString &message);

    QString m_projectPath;
    const Project &m_project;
    QComboBox *m_run = nullptr;
    QRadioButton *m_fromCorpus = nullptr;
    QRadioButton *m_fromFile = nullptr;
    QComboBox *m_corpus = nullptr;
    QComboBox *m_split = nullptr;
    QLineEdit *m_file = nullptr;
    QCheckBox *m_header = nullptr;
    QLineEdit *m_textColumn = nullptr;
    QLineEdit *m_labelColumn = nullptr;
    QLineEdit *m_output = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_message = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QThread *m_worker = nullptr;
    std::atomic<bool> m_abort{false};
};

} // namespace ts::ui
