#include "runs/TryItPanel.h"

#include "corpus/WorkerThread.h"
#include "model/ModelRegistry.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "runs/TryItWorker.h"
#include "train/TrainingConfig.h"
#include "transfer/StrategyRegistry.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QTableWidget>
#include <QTextCharFormat>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>
#include <numeric>

namespace ts::ui {

namespace {

constexpr int kBarSteps = 1000; // resolution of the probability bars

bool isDecoder(ModelFamily family)
{
    return family == ModelFamily::Gpt2 || family == ModelFamily::Llama;
}

} // namespace

TryItPanel::TryItPanel(const Project &project, Source source, qint64 id, QWidget *parent)
    : QWidget(parent), m_projectPath(project.path())
{
    m_worker = new WorkerThread(this);
    m_heading = new QLabel(this);
    QFont headingFont = m_heading->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.2);
    m_heading->setFont(headingFont);
    m_help = new QLabel(this);
    m_help->setWordWrap(true);
    m_input = new QPlainTextEdit(this);
    m_input->setObjectName(QStringLiteral("tryItInput"));
    m_input->setTabChangesFocus(true);
    m_run = new QPushButton(this);
    m_run->setObjectName(QStringLiteral("tryItRun"));
    m_run->setDefault(true);
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("tryItStop"));
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_predicted = new QLabel(this);
    QFont predictedFont = m_predicted->font();
    predictedFont.setPointSizeF(predictedFont.pointSizeF() * 1.4);
    predictedFont.setBold(true);
    m_predicted->setFont(predictedFont);
    m_table = new QTableWidget(0, 3, this);
    m_table->setHorizontalHeaderLabels({tr("Label"), tr("Probability"), QString()});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_output = new QPlainTextEdit(this);
    m_output->setObjectName(QStringLiteral("tryItOutput"));
    m_output->setReadOnly(true);
    m_source = new QLabel(this);
    m_source->setWordWrap(true);
    m_source->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont sourceFont = m_source->font();
    sourceFont.setItalic(true);
    m_source->setFont(sourceFont);

    identify(project, source, id);
    m_heading->setText(m_description.isEmpty() ? m_title : tr("Try %1").arg(m_description));
    m_settings = buildSettings();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_status, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_help);
    auto *inputLabel = new QLabel(tr("&Text:"), this);
    inputLabel->setBuddy(m_input);
    layout->addWidget(inputLabel);
    layout->addWidget(m_input, 1);
    setFocusProxy(m_input);
    layout->addWidget(m_settings);
    layout->addLayout(buttons);
    layout->addWidget(m_predicted);
    layout->addWidget(m_table, 3);
    layout->addWidget(m_output, 3);
    layout->addWidget(m_source);

    const bool generating = m_mode == Mode::Generate;
    m_run->setText(generating ? tr("&Generate") : tr("&Predict"));
    m_run->setToolTip(tr("Ctrl+Return"));
    m_stop->setVisible(generating);
    m_settings->setVisible(generating);
    m_output->setVisible(generating);
    m_run->setVisible(m_mode != Mode::Unavailable);
    m_input->setEnabled(m_mode != Mode::Unavailable);
    m_predicted->setVisible(m_mode == Mode::Classify);
    m_table->setVisible(m_mode == Mode::Classify);
    m_input->setPlaceholderText(generating ? tr("A text for the model to continue")
                                           : tr("A text to classify: type or paste it here"));
    connect(m_run, &QPushButton::clicked, this, &TryItPanel::start);
    connect(m_stop, &QPushButton::clicked, this, &TryItPanel::stop);
    connect(m_input, &QPlainTextEdit::textChanged, this, &TryItPanel::updateState);
    auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(shortcut, &QShortcut::activated, this, &TryItPanel::start);
    updateState();
}

TryItPanel::~TryItPanel() = default;

void TryItPanel::identify(const Project &project, Source source, qint64 id)
{
    const QSqlDatabase db = project.database();
    if (source == Source::Model) {
        const auto model = ModelRegistry::load(db, id);
        if (!model) {
            m_title = tr("Try it");
            m_help->setText(model.error());
            return;
        }
        m_modelName = model->name;
        m_title = tr("Try %1").arg(model->name);
        m_description = tr("model \"%1\"").arg(model->name);
        if (isDecoder(model->config.family)) {
            m_mode = Mode::Generate;
            m_help->setText(tr("A %1 decoder: it continues the text you give it. Its weights are the registered "
                               "ones (not a run's).").arg(model->architecture));
        } else {
            m_help->setText(tr("\"%1\" is a %2 encoder without a trained head: it neither classifies nor generates "
                               "on its own. Train a run with it, then try the run.")
                                .arg(model->name, model->architecture));
        }
        return;
    }
    m_runId = id;
    m_title = tr("Try run %1").arg(id);
    const auto run = RunStore(db).load(id);
    if (!run) {
        m_help->setText(run.error());
        return;
    }
    const auto model = ModelRegistry::load(db, run->modelId);
    m_modelName = model ? model->name : QString();
    m_description = tr("run %1's model (%2, %3)").arg(id).arg(run->strategy, m_modelName);
    if (run->status != RunRecord::Status::Finished) {
        m_help->setText(tr("Run %1 is %2: its model can be tried once it has finished.")
                            .arg(id).arg(RunRecord::displayName(run->status).toLower()));
        return;
    }
    const StrategyDescriptor *strategy = StrategyRegistry::find(run->strategy);
    const auto config = TrainingConfig::fromJson(QJsonDocument::fromJson(run->configJson.toUtf8()).object());
    const bool decoder = model && isDecoder(model->config.family);
    if (strategy && config && strategy->scoresThroughPrompt(config.value(), decoder)) {
        m_mode = Mode::Classify;
        m_help->setText(tr("Classifies through the run's prompt: its language model scores each label's word in "
                           "the prompt made of your text (with the run's demonstrations and calibration, if any), "
                           "as the run's evaluation and Runs > Predict… do."));
    } else if (strategy && strategy->output == StrategyDescriptor::Output::Classifier && strategy->trainsWeights()) {
        m_mode = Mode::Classify;
        m_help->setText(tr("A classifier: it gives each of its labels a probability for the text you give it, "
                           "as Runs > Predict… does for a whole corpus or file."));
    } else if (strategy && !strategy->trainsWeights()) {
        m_help->setText(tr("Run %1 trained nothing: it compared each text's embedding with its label "
                           "descriptions, which Try it does not repeat (a run given a prompt or label words can "
                           "be tried here).").arg(id));
    } else if (decoder) {
        m_mode = Mode::Generate;
        m_help->setText(tr("A language model trained by this run: it continues the text you give it."));
    } else {
        m_help->setText(tr("Run %1 trained a masked language model on an encoder: it neither classifies nor "
                           "continues a text.").arg(id));
    }
}

QWidget *TryItPanel::buildSettings()
{
    const GenerationParams defaults;
    auto *box = new QWidget(this);
    m_maxNew = new QSpinBox(box);
    m_maxNew->setRange(1, 4096);
    m_maxNew->setValue(defaults.maxNewTokens);
    m_maxNew->setToolTip(tr("Tokens to add at most (a GPT-2 model also stops at its number of positions)"));
    m_temperature = new QDoubleSpinBox(box);
    m_temperature->setRange(0, GenerationParams::kMaxTemperature);
    m_temperature->setSingleStep(0.1);
    m_temperature->setValue(defaults.temperature);
    m_temperature->setSpecialValueText(tr("0 (greedy)"));
    m_temperature->setToolTip(tr("0 takes the likeliest token each step; higher values sample more varied text"));
    m_topK = new QSpinBox(box);
    m_topK->setRange(0, 1'000'000);
    m_topK->setSpecialValueText(tr("all"));
    m_topK->setToolTip(tr("Sample among the K likeliest tokens only (sampling only)"));
    m_topP = new QDoubleSpinBox(box);
    m_topP->setRange(0.01, 1.0);
    m_topP->setSingleStep(0.05);
    m_topP->setValue(defaults.topP);
    m_topP->setToolTip(tr("Sample among the likeliest tokens whose probabilities reach P (1: all; sampling only)"));
    m_seed = new QSpinBox(box);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setToolTip(tr("The same seed, text and settings give the same sample"));
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    const auto add = [&](const QString &label, QWidget *field) {
        auto *text = new QLabel(label, box);
        text->setBuddy(field);
        row->addWidget(text);
        row->addWidget(field);
    };
    add(tr("Max new &tokens:"), m_maxNew);
    add(tr("T&emperature:"), m_temperature);
    add(tr("Top-&k:"), m_topK);
    add(tr("Top-&p:"), m_topP);
    add(tr("&Seed:"), m_seed);
    row->addStretch(1);
    for (QWidget *sampling : std::initializer_list<QWidget *>{m_topK, m_topP, m_seed})
        connect(m_temperature, &QDoubleSpinBox::valueChanged, sampling, [sampling](double t) { sampling->setEnabled(t > 0); });
    for (QWidget *sampling : std::initializer_list<QWidget *>{m_topK, m_topP, m_seed})
        sampling->setEnabled(false);
    return box;
}

bool TryItPanel::isBusy() const
{
    return m_busy;
}

void TryItPanel::updateState()
{
    const bool ready = m_mode != Mode::Unavailable && !m_input->toPlainText().trimmed().isEmpty();
    m_run->setEnabled(ready && !m_busy);
    m_stop->setEnabled(m_busy);
    m_input->setReadOnly(m_busy);
    m_settings->setEnabled(!m_busy);
}

void TryItPanel::start()
{
    if (m_busy || !m_run->isEnabled())
        return;
    const QString text = m_input->toPlainText();
    TryItWorker *worker = nullptr;
    if (m_mode == Mode::Classify) {
        worker = TryItWorker::classify(m_projectPath, m_runId, text);
        connect(worker, &TryItWorker::classified, this, &TryItPanel::showClassification);
        m_status->setText(tr("Loading the model and predicting…"));
    } else {
        GenerationParams sampling;
        sampling.maxNewTokens = m_maxNew->value();
        sampling.temperature = m_temperature->value();
        sampling.topK = m_topK->value();
        sampling.topP = m_topP->value();
        sampling.seed = quint64(m_seed->value());
        worker = TryItWorker::generate(m_projectPath, m_runId, m_runId ? QString() : m_modelName, text, sampling);
        connect(worker, &TryItWorker::textPiece, this, &TryItPanel::appendPiece);
        connect(worker, &TryItWorker::generated, this, &TryItPanel::showGeneration);
        // The prompt in the placeholder colour, the continuation after it in the text colour.
        m_output->clear();
        QTextCharFormat prompt;
        prompt.setForeground(palette().color(QPalette::PlaceholderText));
        m_output->textCursor().insertText(text, prompt);
        m_status->setText(tr("Loading the model and generating…"));
    }
    m_source->clear();
    m_busy = true;
    updateState();
    m_worker->start(worker);
}

void TryItPanel::stop()
{
    if (m_busy) {
        m_worker->cancel();
        m_status->setText(tr("Stopping after the current token…"));
    }
}

void TryItPanel::showClassification(const QStringList &classes, const QList<float> &probabilities, bool truncated,
                                    const QString &error)
{
    m_busy = false;
    updateState();
    m_table->setRowCount(0);
    m_predicted->clear();
    if (!error.isEmpty() || classes.size() != probabilities.size() || classes.isEmpty()) {
        m_status->setText(tr("Could not predict: %1").arg(error));
        Q_EMIT finished(false);
        return;
    }
    QList<int> order(classes.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return probabilities[a] > probabilities[b]; });
    m_predicted->setText(tr("Predicted: %1 (%2)").arg(classes[order.first()]).arg(probabilities[order.first()], 0, 'f', 3));
    m_table->setRowCount(int(order.size()));
    for (int row = 0; row < order.size(); ++row) {
        const int c = order[row];
        auto *label = new QTableWidgetItem(classes[c]);
        auto *value = new QTableWidgetItem(QString::number(probabilities[c], 'f', 3));
        value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (row == 0) {
            QFont bold = label->font();
            bold.setBold(true);
            label->setFont(bold);
            value->setFont(bold);
        }
        m_table->setItem(row, 0, label);
        m_table->setItem(row, 1, value);
        auto *bar = new QProgressBar(m_table);
        bar->setRange(0, kBarSteps);
        bar->setValue(int(probabilities[c] * kBarSteps + 0.5f));
        bar->setTextVisible(false);
        m_table->setCellWidget(row, 2, bar);
    }
    m_status->setText(tr("Done."));
    m_source->setText(tr("Probabilities from %1, softmax over its %2 labels%3.")
                          .arg(m_description).arg(classes.size())
                          .arg(truncated ? tr("; the text was longer than the run's maximum length and was cut as in "
                                              "training")
                                         : QString()));
    Q_EMIT finished(true);
}

void TryItPanel::appendPiece(const QString &piece)
{
    QTextCursor cursor(m_output->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(piece, QTextCharFormat());
    m_output->ensureCursorVisible();
    m_status->setText(tr("Generating…"));
}

void TryItPanel::showGeneration(const QString &summary, const QString &error)
{
    m_busy = false;
    updateState();
    if (!error.isEmpty()) {
        m_status->setText(tr("Could not generate: %1").arg(error));
        Q_EMIT finished(false);
        return;
    }
    m_status->setText(tr("Done."));
    m_source->setText(tr("Continuation (after the grey prompt): %1.").arg(summary));
    Q_EMIT finished(true);
}

} // namespace ts::ui
