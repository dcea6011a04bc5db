#include "runs/PredictDialog.h"

#include "corpus/CorpusStore.h"
#include "jobs/RunPredictor.h"
#include "project/ClassificationReport.h"
#include "project/PredictionCsv.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "theme/ThemeController.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QThread>
#include <QToolButton>
#include <QVBoxLayout>

namespace ts::ui {

PredictDialog::PredictDialog(const Project &project, qint64 runId, QWidget *parent)
    : QDialog(parent), m_projectPath(project.path()), m_project(project)
{
    setWindowTitle(tr("Predict"));
    m_run = new QComboBox(this);
    m_run->setObjectName(QStringLiteral("predictRun"));
    m_fromCorpus = new QRadioButton(tr("A &corpus of the project"), this);
    m_fromFile = new QRadioButton(tr("A &file (CSV, TSV, JSON Lines or text)"), this);
    m_fromCorpus->setChecked(true);
    m_corpus = new QComboBox(this);
    m_split = new QComboBox(this);
    for (const char *split : {"test", "validation", "train", "unlabeled"})
        m_split->addItem(QLatin1String(split), QLatin1String(split));
    m_file = new QLineEdit(this);
    m_file->setPlaceholderText(tr("texts in a column named \"text\" (or the first); labels, when present, are compared"));
    m_header = new QCheckBox(tr("First row names the &columns"), this);
    m_header->setChecked(true);
    m_textColumn = new QLineEdit(this);
    m_textColumn->setPlaceholderText(tr("\"text\" or the first column"));
    m_textColumn->setToolTip(tr("The column holding the texts: its name in the header, or its position from 0"));
    m_labelColumn = new QLineEdit(this);
    m_labelColumn->setPlaceholderText(tr("\"label\" when there is one"));
    m_labelColumn->setToolTip(tr("Optional: a column of true labels; the accuracy on them is reported"));
    auto *browseIn = new QToolButton(this);
    browseIn->setText(tr("…"));
    browseIn->setToolTip(tr("Choose the file"));
    m_output = new QLineEdit(this);
    m_output->setPlaceholderText(tr("a new CSV file"));
    auto *browseOut = new QToolButton(this);
    browseOut->setText(tr("…"));
    browseOut->setToolTip(tr("Choose where to write the predictions"));
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *predict = m_buttons->addButton(tr("&Predict"), QDialogButtonBox::AcceptRole);
    predict->setObjectName(QStringLiteral("predictButton"));

    auto *corpusRow = new QHBoxLayout;
    corpusRow->addWidget(m_corpus, 1);
    corpusRow->addWidget(new QLabel(tr("split:"), this));
    corpusRow->addWidget(m_split);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browseIn);
    auto *columnsRow = new QHBoxLayout;
    columnsRow->addWidget(m_header);
    columnsRow->addWidget(new QLabel(tr("text:"), this));
    columnsRow->addWidget(m_textColumn);
    columnsRow->addWidget(new QLabel(tr("label:"), this));
    columnsRow->addWidget(m_labelColumn);
    auto *outputRow = new QHBoxLayout;
    outputRow->addWidget(m_output, 1);
    outputRow->addWidget(browseOut);
    auto *form = new QFormLayout;
    form->addRow(tr("&Run:"), m_run);
    form->addRow(m_fromCorpus);
    form->addRow(QString(), corpusRow);
    form->addRow(m_fromFile);
    form->addRow(QString(), fileRow);
    form->addRow(QString(), columnsRow);
    form->addRow(tr("&Write to:"), outputRow);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_message);
    layout->addWidget(m_buttons);
    setTabOrder(m_run, m_fromCorpus);
    setTabOrder(m_fromCorpus, m_corpus);
    setTabOrder(m_corpus, m_split);
    setTabOrder(m_split, m_fromFile);
    setTabOrder(m_fromFile, m_file);
    setTabOrder(m_file, browseIn);
    setTabOrder(browseIn, m_header);
    setTabOrder(m_header, m_textColumn);
    setTabOrder(m_textColumn, m_labelColumn);
    setTabOrder(m_labelColumn, m_output);

    connect(browseIn, &QToolButton::clicked, this, &PredictDialog::browseFile);
    connect(browseOut, &QToolButton::clicked, this, &PredictDialog::browseOutput);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &PredictDialog::start);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &PredictDialog::reject);
    for (QRadioButton *choice : {m_fromCorpus, m_fromFile})
        connect(choice, &QRadioButton::toggled, this, &PredictDialog::updateState);
    for (QLineEdit *edit : {m_file, m_output})
        connect(edit, &QLineEdit::textChanged, this, &PredictDialog::updateState);
    fillRuns(runId);
    fillCorpora();
    updateState();
    resize(620, sizeHint().height());
}

PredictDialog::~PredictDialog()
{
    if (m_worker) {
        m_abort = true;
        m_worker->wait();
        delete m_worker;
    }
}

void PredictDialog::fillRuns(qint64 preselect)
{
    const auto runs = RunStore(m_project.database()).list();
    if (!runs)
        return;
    for (const RunRecord &run : runs.value()) {
        if (run.status != RunRecord::Status::Finished)
            continue;
        m_run->addItem(tr("run %1 · %2").arg(run.id).arg(run.name.isEmpty() ? run.strategy : run.name), run.id);
        if (run.id == preselect)
            m_run->setCurrentIndex(m_run->count() - 1);
    }
}

void PredictDialog::fillCorpora()
{
    const auto corpora = CorpusStore::summaries(m_project.database());
    if (!corpora)
        return;
    for (const CorpusSummary &c : corpora.value())
        m_corpus->addItem(c.name, c.name);
}

void PredictDialog::updateState()
{
    const bool idle = m_worker == nullptr;
    const bool fromFile = m_fromFile->isChecked();
    m_corpus->setEnabled(idle && !fromFile);
    m_split->setEnabled(idle && !fromFile);
    for (QWidget *w : std::initializer_list<QWidget *>{m_file, m_header, m_textColumn, m_labelColumn})
        w->setEnabled(idle && fromFile);
    const bool ready = m_run->count() > 0 && !m_output->text().trimmed().isEmpty() &&
                       (fromFile ? !m_file->text().trimmed().isEmpty() : m_corpus->count() > 0);
    for (QAbstractButton *b : m_buttons->buttons()) {
        if (m_buttons->buttonRole(b) == QDialogButtonBox::AcceptRole)
            b->setEnabled(idle && ready);
    }
    if (m_run->count() == 0)
        m_message->setText(tr("No finished run yet: a run's model can predict once it has finished."));
}

void PredictDialog::browseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Texts to predict"), QString(),
                                                      tr("Texts (*.csv *.tsv *.jsonl *.txt);;All files (*)"));
    if (!path.isEmpty())
        m_file->setText(path);
}

void PredictDialog::browseOutput()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Write predictions to"), QString(), tr("CSV (*.csv)"),
                                                      nullptr, QFileDialog::DontConfirmOverwrite);
    if (!path.isEmpty())
        m_output->setText(path);
}

void PredictDialog::start()
{
    if (m_worker || m_run->count() == 0)
        return;
    const QString output = m_output->text().trimmed();
    if (QFileInfo::exists(output)) {
        onDone(false, tr("%1 already exists; choose a new file (nothing is overwritten).").arg(output));
        return;
    }
    PredictParams params;
    params.projectPath = m_projectPath;
    params.runId = m_run->currentData().toLongLong();
    if (m_fromFile->isChecked()) {
        params.file = importDefaultParams();
        params.file.path = m_file->text().trimmed();
        params.file.hasHeader = m_header->isChecked();
        params.file.textColumn = m_textColumn->text().trimmed();
        params.file.labelColumn = m_labelColumn->text().trimmed();
    } else {
        params.corpus = m_corpus->currentData().toString();
        params.split = m_split->currentData().toString();
    }
    m_abort = false;
    params.abort = [this] { return m_abort.load(); };
    params.progress = [this](int done, int total) {
        QMetaObject::invokeMethod(this, [this, done, total] {
            m_progress->setRange(0, total);
            m_progress->setValue(done);
        });
    };
    m_message->setStyleSheet(QString());
    m_message->setText(tr("Predicting…"));
    m_progress->setRange(0, 0);
    m_worker = QThread::create([this, params, output] {
        const auto result = RunPredictor::predict(params);
        bool ok = false;
        QString message;
        if (!result) {
            message = result.error() == QLatin1String("cancelled") ? tr("Cancelled: nothing was written.")
                                                                    : result.error();
        } else {
            PredictionCsv::Options options;
            options.ids = result->ids;
            const Status written = PredictionCsv::save(output, result->predictions, options, false);
            ok = written.ok();
            ClassificationReport report(int(result->predictions.classes.size()));
            int truncated = 0;
            for (const Prediction &p : result->predictions.predictions) {
                report.add(p.label, p.predicted, p.confidence());
                truncated += p.truncated ? 1 : 0;
            }
            QStringList parts = {ok ? tr("Wrote %1 predictions to %2.").arg(result->predictions.examples()).arg(output)
                                    : written.error()};
            if (report.count() > 0)
                parts.append(tr("Accuracy on the %1 labelled texts: %2, macro-F1 %3.")
                                 .arg(report.count())
                                 .arg(report.accuracy(), 0, 'f', 3)
                                 .arg(report.macroF1(), 0, 'f', 3));
            if (truncated > 0)
                parts.append(tr("%1 texts were longer than the run's maximum length and were truncated, as in training.")
                                 .arg(truncated));
            parts.append(result->notes);
            message = parts.join(QLatin1Char('\n'));
        }
        QMetaObject::invokeMethod(this, [this, ok, message] { onDone(ok, message); });
    });
    m_worker->start();
    updateState();
}

void PredictDialog::onDone(bool ok, const QString &message)
{
    if (m_worker) {
        m_worker->wait();
        delete m_worker;
        m_worker = nullptr;
    }
    m_progress->setRange(0, 1);
    m_progress->setValue(ok ? 1 : 0);
    m_message->setText(message);
    m_message->setStyleSheet(ok ? QString()
                                : QStringLiteral("color: %1;").arg(ThemeController::errorColor(palette()).name()));
    updateState();
    Q_EMIT finished(ok);
}

QString PredictDialog::message() const
{
    return m_message->text();
}

void PredictDialog::reject()
{
    // Cancel stops a prediction in progress first; a second Cancel closes the dialog.
    if (m_worker) {
        m_abort = true;
        return;
    }
    QDialog::reject();
}

} // namespace ts::ui
