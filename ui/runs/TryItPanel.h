#pragma once

#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace ts {
class Project;
}

namespace ts::ui {

class WorkerThread;

/// "Try it": type or paste a text and see what a model makes of it. A finished classification
/// run, or a run that classifies through its prompt (StrategyDescriptor::promptScoring), shows the
/// predicted label and every label's probability (the path `predict` takes, RunClassifier); a
/// decoder (a registered GPT-2 / Llama-family model, or a finished language-model run) shows the
/// generated continuation streamed token by token (the path `generate` takes), with Stop. The
/// model runs on a worker thread; each result says which model and settings it comes from.
class TryItPanel : public QWidget
{
    Q_OBJECT

public:
    /// What the panel tries: a registered model or a run.
    enum class Source { Model, Run };
    /// What it can do with it.
    enum class Mode { Classify, Generate, Unavailable };

    /// Reads what `id` is from `project` (open on this thread while the panel lives).
    TryItPanel(const Project &project, Source source, qint64 id, QWidget *parent = nullptr);
    ~TryItPanel() override;

    Mode mode() const { return m_mode; }
    /// The tab title: "Try run 3", "Try dec".
    QString title() const { return m_title; }
    /// Starts classifying or generating the input's text (the Predict / Generate button).
    void start();
    /// Asks a generation to stop after its current token (the Stop button).
    void stop();
    /// True while the worker runs.
    bool isBusy() const;

    QPlainTextEdit *input() const { return m_input; }
    QPlainTextEdit *output() const { return m_output; }
    QTableWidget *probabilityTable() const { return m_table; }
    QLabel *predictedLabel() const { return m_predicted; }
    QLabel *sourceLabel() const { return m_source; }
    QLabel *statusLabel() const { return m_status; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *stopButton() const { return m_stop; }
    QSpinBox *maxNewTokensBox() const { return m_maxNew; }
    QDoubleSpinBox *temperatureBox() const { return m_temperature; }
    QSpinBox *topKBox() const { return m_topK; }
    QDoubleSpinBox *topPBox() const { return m_topP; }
    QSpinBox *seedBox() const { return m_seed; }

Q_SIGNALS:
    /// A classification or a generation is over (`ok` false: it failed; the status says why).
    void finished(bool ok);

private:
    void identify(const Project &project, Source source, qint64 id);
    QWidget *buildSettings();
    void updateState();
    void showClassification(const QStringList &classes, const QList<float> &probabilities, bool truncated,
                            const QString &error);
    void appendPiece(const QString &piece);
    void showGeneration(const QString &summary, const QString &error);

    QString m_projectPath;
    Mode m_mode = Mode::Unavailable;
    qint64 m_runId = 0;     // the run tried, 0 for a model
    QString m_modelName;    // the model tried (or the run's base model)
    QString m_title;
    QString m_description;  // "run 3's model (source-only, tiny-encoder)"
    QLabel *m_heading = nullptr;
    QLabel *m_help = nullptr;
    QPlainTextEdit *m_input = nullptr;
    QWidget *m_settings = nullptr;
    QSpinBox *m_maxNew = nullptr;
    QDoubleSpinBox *m_temperature = nullptr;
    QSpinBox *m_topK = nullptr;
    QDoubleSpinBox *m_topP = nullptr;
    QSpinBox *m_seed = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_predicted = nullptr;
    QTableWidget *m_table = nullptr;
    QPlainTextEdit *m_output = nullptr;
    QLabel *m_source = nullptr;
    WorkerThread *m_worker = nullptr;
    bool m_busy = false;
};

} // namespace ts::ui
