#include "runs/ExperimentDialog.h"

#include "runs/ClusterField.h"

#include "corpus/CorpusStore.h"
#include "model/ModelDefaults.h"
#include "model/ModelRegistry.h"
#include "train/TrainingPrecision.h"
#include "train/TrainingProgress.h"
#include "util/CpuFeatures.h"
#include "util/DeviceMemory.h"
#include "transfer/RunMemoryEstimate.h"
#include "main/Plural.h"
#include "runs/KeepWeightsField.h"
#include "runs/PromptPreviewPanel.h"
#include "text/Tokenizer.h"
#include "transfer/Preflight.h"
#include "transfer/PromptPreview.h"
#include "transfer/StrategyRegistry.h"
#include "theme/ThemeController.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QTemporaryDir>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace ts::ui {

namespace {

const QString kSettingsKey = QStringLiteral("experiment/lastPlan");
constexpr int kMaxSeeds = 20;          // repeats per setting offered in the dialog
constexpr int kQuickTrainExamples = 64; // "quick run caps"
constexpr int kQuickEvalExamples = 32;
constexpr int kQuickMaxLength = 32;
constexpr int kQuickBatch = 16;

/// "1.2 M", "350 k", "7.1 B".
QString parameterText(qint64 parameters)
{
    const QLocale locale;
    if (parameters >= 1'000'000'000)
        return QObject::tr("%1 B").arg(locale.toString(parameters / 1e9, 'f', 1));
    if (parameters >= 1'000'000)
        return QObject::tr("%1 M").arg(locale.toString(parameters / 1e6, 'f', 1));
    return QObject::tr("%1 k").arg(locale.toString(parameters / 1e3, 'f', 0));
}

QString budgetText(int budget)
{
    return budget < 0 ? QObject::tr("all") : QString::number(budget);
}

constexpr int kPromptLines = 3; // visible lines of the prompt editor

/// An editor for one strategy setting, by its kind, holding its default value.
QWidget *createEditor(const StrategyOption &option, QWidget *parent)
{
    switch (option.kind) {
    case StrategyOption::Kind::Integer: {
        auto *spin = new QSpinBox(parent);
        spin->setRange(int(option.minimum), int(option.maximum));
        spin->setValue(option.defaultValue.toInt());
        return spin;
    }
    case StrategyOption::Kind::Real: {
        auto *spin = new QDoubleSpinBox(parent);
        const bool fraction = option.maximum <= 1.0;
        spin->setDecimals(fraction ? 3 : 2);
        spin->setRange(option.minimum, option.maximum);
        spin->setSingleStep(fraction ? 0.01 : 0.1);
        spin->setValue(option.defaultValue.toDouble());
        return spin;
    }
    case StrategyOption::Kind::Prompt: {
        // Several lines: a prompt's layout ("Review: {text}\nSentiment: {mask}") is part of it.
        auto *edit = new QPlainTextEdit(option.defaultValue.toString(), parent);
        edit->setPlaceholderText(QStringLiteral("{text}"));
        edit->setTabChangesFocus(true);
        edit->setFixedHeight(edit->fontMetrics().lineSpacing() * kPromptLines + 2 * edit->frameWidth() + 8);
        return edit;
    }
    case StrategyOption::Kind::Text:
    case StrategyOption::Kind::LabelWords: {
        auto *edit = new QLineEdit(option.defaultValue.toString(), parent);
        edit->setClearButtonEnabled(true);
        if (option.kind == StrategyOption::Kind::LabelWords)
            edit->setPlaceholderText(QObject::tr("label=word, e.g. positive=great,negative=terrible"));
        return edit;
    }
    case StrategyOption::Kind::Choice: {
        auto *combo = new QComboBox(parent);
        combo->addItems(option.choices);
        combo->setCurrentText(option.defaultValue.toString());
        return combo;
    }
    case StrategyOption::Kind::Flag:
        break;
    }
    auto *check = new QCheckBox(parent);
    check->setChecked(option.defaultValue.toBool());
    return check;
}

} // namespace

const QList<int> &ExperimentDialog::budgetChoices()
{
    static const QList<int> choices{0, 8, 32, 128, -1};
    return choices;
}

ExperimentDialog::ExperimentDialog(const QSqlDatabase &db, QWidget *parent)
    : QDialog(parent), m_db(db), m_availableMemory(DeviceMemory::cpuAvailableBytes())
{
    setObjectName(QStringLiteral("ExperimentDialog"));
    setWindowTitle(tr("New Experiment"));
    if (const auto corpora = CorpusStore::summaries(db))
        m_corpora = corpora.value();
    if (const auto models = ModelRegistry::list(db))
        m_models = models.value();

    auto *content = new QWidget;
    auto *columns = new QHBoxLayout(content);
    auto *left = new QVBoxLayout;
    left->addWidget(buildDataSection());
    left->addWidget(buildStrategySection());
    // Under the strategy, not under the tall training section: seen without scrolling.
    left->addWidget(buildRepeatSection());
    left->addWidget(buildAdvancedSection());
    left->addStretch();
    auto *right = new QVBoxLayout;
    right->addWidget(buildTrainingSection());
    right->addStretch();
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    m_problems = new QLabel(this);
    m_problems->setObjectName(QStringLiteral("problems"));
    m_problems->setWordWrap(true);
    m_problems->setTextFormat(Qt::RichText);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_start = buttons->addButton(tr("Start"), QDialogButtonBox::AcceptRole);
    m_start->setObjectName(QStringLiteral("startButton"));
    m_start->setToolTip(tr("Record the run(s) in the project and start training in the background"));
    m_start->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &ExperimentDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    m_cluster = new ClusterField(this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_cluster);
    layout->addWidget(m_problems);
    layout->addWidget(buttons);
    rebuildOptions();
    applyModelDefaults();
    revalidate();
    // As wide as the two columns ask (a long strategy option widens them), within the screen: a
    // horizontal scroll bar hid the right edge of the training column.
    const int wanted = content->sizeHint().width() + scroll->verticalScrollBar()->sizeHint().width()
        + layout->contentsMargins().left() + layout->contentsMargins().right();
    const int room = screen() ? screen()->availableGeometry().width() : wanted;
    resize(qMin(qMax(980, wanted), room), 720);
}

void ExperimentDialog::applyModelDefaults()
{
    const ModelRecord *m = model();
    if (!m || !m_modelDefaults) {
        if (m_modelDefaults)
            m_modelDefaults->setText(tr("Add a model to see the settings it proposes."));
        return;
    }
    const ModelDefaults defaults = ModelDefaults::forModel(*m);
    m_learningRate->setValue(defaults.learningRate);
    m_batch->setValue(defaults.batchSize);
    m_maxLength->setValue(defaults.maxLength);
    m_modelDefaults->setText(tr("%1 proposes %2 (%3).").arg(m->name, defaults.summary(), defaults.reason));
}

QString ExperimentDialog::modelDefaultsText() const
{
    return m_modelDefaults->text();
}

QWidget *ExperimentDialog::buildDataSection()
{
    auto *box = new QGroupBox(tr("Data and model"));
    auto *form = new QFormLayout(box);
    m_name = new QLineEdit(box);
    m_name->setObjectName(QStringLiteral("runName"));
    m_name->setPlaceholderText(tr("optional, e.g. \"baseline\""));
    m_name->setToolTip(tr("A name to find the run by later; without one it is named after the strategy and corpora"));
    m_source = new QComboBox(box);
    m_source->setObjectName(QStringLiteral("sourceCorpus"));
    m_source->setToolTip(tr("The labelled corpus the model learns from"));
    m_target = new QComboBox(box);
    m_target->setObjectName(QStringLiteral("targetCorpus"));
    m_target->setToolTip(tr("The corpus the model should work on: it is measured there, and its unlabelled "
                            "text is used by the adaptation strategies"));
    fillCorpusCombo(m_source);
    fillCorpusCombo(m_target);
    if (m_target->count() > 1)
        m_target->setCurrentIndex(1);
    m_model = new QComboBox(box);
    m_model->setObjectName(QStringLiteral("baseModel"));
    m_model->setToolTip(tr("The pretrained language model that is adapted"));
    for (const ModelRecord &model : std::as_const(m_models))
        m_model->addItem(tr("%1 (%2 · %3 parameters)").arg(model.name, model.architecture, parameterText(model.parameters)),
                         model.name);
    m_memory = new QLabel(box);
    m_memory->setObjectName(QStringLiteral("memoryEstimate"));
    m_memory->setWordWrap(true);
    m_memory->setToolTip(tr("A rough estimate: weights, gradients, optimiser state and activations"));
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Source corpus:"), m_source);
    form->addRow(tr("Target corpus:"), m_target);
    form->addRow(tr("Base model:"), m_model);
    form->addRow(tr("Memory:"), m_memory);
    for (QComboBox *combo : {m_source, m_target, m_model})
        connect(combo, &QComboBox::currentIndexChanged, this, &ExperimentDialog::revalidate);
    connect(m_model, &QComboBox::currentIndexChanged, this, &ExperimentDialog::applyModelDefaults);
    return box;
}

void ExperimentDialog::fillCorpusCombo(QComboBox *combo) const
{
    const QLocale locale;
    for (const CorpusSummary &c : m_corpora) {
        const QString labels = plural(c.labels.size(), tr("1 label"), tr("%1 labels"));
        QString text = tr("%1 — %2, %3").arg(c.name, plural(c.documents, tr("1 document"), tr("%1 documents")), labels);
        if (c.unlabeled > 0)
            text += tr(", %1 unlabelled").arg(locale.toString(c.unlabeled));
        combo->addItem(text, c.name);
    }
}

QWidget *ExperimentDialog::buildStrategySection()
{
    auto *box = new QGroupBox(tr("Transfer strategy"));
    auto *layout = new QVBoxLayout(box);
    m_strategy = new QComboBox(box);
    m_strategy->setObjectName(QStringLiteral("strategy"));
    m_strategy->setToolTip(tr("How the model is carried from the source domain to the target domain"));
    for (const StrategyDescriptor &info : StrategyRegistry::all()) {
        m_strategy->addItem(info.title, info.name);
        m_strategy->setItemData(m_strategy->count() - 1, tr("Trains %1; needs %2").arg(info.trainsText(), info.needsText()),
                                Qt::ToolTipRole);
    }
    m_strategy->setCurrentIndex(m_strategy->findData(m_baseConfig.strategy));
    m_description = new QLabel(box);
    m_description->setObjectName(QStringLiteral("strategyDescription"));
    m_description->setWordWrap(true);
    m_optionsBox = new QGroupBox(tr("Strategy settings"), box);
    m_optionsForm = new QFormLayout(m_optionsBox);
    layout->addWidget(m_strategy);
    layout->addWidget(m_description);
    layout->addWidget(m_optionsBox);
    m_promptPreview = new PromptPreviewPanel(box);
    layout->addWidget(m_promptPreview);
    connect(m_strategy, &QComboBox::currentIndexChanged, this, [this] {
        rebuildOptions();
        revalidate();
    });
    return box;
}

QSpinBox *ExperimentDialog::spinBox(int minimum, int maximum, int value, const QString &tip)
{
    auto *spin = new QSpinBox(this);
    spin->setRange(minimum, maximum);
    spin->setValue(value);
    spin->setToolTip(tip);
    spin->setAccelerated(true);
    connect(spin, &QSpinBox::valueChanged, this, &ExperimentDialog::revalidate);
    return spin;
}

QDoubleSpinBox *ExperimentDialog::doubleSpinBox(double minimum, double maximum, int decimals, double value,
                                                const QString &tip)
{
    auto *spin = new QDoubleSpinBox(this);
    spin->setDecimals(decimals);
    spin->setRange(minimum, maximum);
    spin->setSingleStep(std::pow(10.0, -decimals + 1));
    spin->setValue(value);
    spin->setToolTip(tip);
    connect(spin, &QDoubleSpinBox::valueChanged, this, &ExperimentDialog::revalidate);
    return spin;
}

QWidget *ExperimentDialog::buildTrainingSection()
{
    const TrainingConfig d;
    auto *box = new QGroupBox(tr("Training"));
    auto *form = new QFormLayout(box);
    // Made first, as it is shown first: creation order is the Tab order.
    m_modelDefaults = new QLabel(box);
    m_modelDefaults->setObjectName(QStringLiteral("modelDefaults"));
    m_modelDefaults->setWordWrap(true);
    auto *useDefaults = new QPushButton(tr("Use Model &Defaults"), box);
    useDefaults->setObjectName(QStringLiteral("useModelDefaults"));
    useDefaults->setToolTip(tr("Set the learning rate, batch size and maximum length the chosen model proposes"));
    connect(useDefaults, &QPushButton::clicked, this, &ExperimentDialog::applyModelDefaults);
    auto *defaultsRow = new QHBoxLayout;
    defaultsRow->addWidget(m_modelDefaults, 1);
    defaultsRow->addWidget(useDefaults, 0, Qt::AlignTop);
    m_epochs = spinBox(1, 1000, d.epochs, tr("How many times the model reads the whole training set"));
    m_learningRate = doubleSpinBox(1e-6, 1.0, 6, d.learningRate,
                                   tr("How big each learning step is; too high makes training unstable, too low "
                                      "makes it slow. 0.00002 to 0.0001 suits most pretrained models"));
    m_learningRate->setSingleStep(1e-5);
    m_batch = spinBox(1, 4096, d.batchSize, tr("Texts processed together in one step; larger needs more memory"));
    m_maxLength = spinBox(8, 8192, d.maxLength, tr("Texts are cut after this many tokens (word pieces); longer "
                                                   "keeps more of each text but needs more memory and time"));
    m_warmup = doubleSpinBox(0.0, 0.5, 2, d.warmupRatio, tr("Share of the training during which the learning rate "
                                                            "rises gently from zero, to avoid early upsets"));
    m_weightDecay = doubleSpinBox(0.0, 1.0, 3, d.weightDecay, tr("Pulls weights slightly towards zero at each step, "
                                                                 "which helps against learning the training set by heart"));
    m_evalEvery = spinBox(0, 1'000'000, d.evalEvery, tr("Measure on the validation texts every this many steps; "
                                                        "0 measures once per epoch"));
    m_evalEvery->setSpecialValueText(tr("once per epoch"));
    m_evalEvery->setSuffix(tr(" steps"));
    m_evalEvery->setObjectName(QStringLiteral("evalEvery"));
    m_maxLength->setSuffix(tr(" tokens"));
    m_patience = spinBox(0, 1000, d.patience, tr("Stop early when this many measurements in a row bring no "
                                                 "improvement on the source validation texts; 0 never stops early"));
    m_patience->setSpecialValueText(tr("off"));
    m_patience->setSuffix(tr(" measurements"));
    m_initSeed = spinBox(0, std::numeric_limits<int>::max(), int(d.initSeed),
                         tr("Seed of the random start of new weights; the same seeds repeat a run exactly"));
    m_dataSeed = spinBox(0, std::numeric_limits<int>::max(), int(d.dataSeed),
                         tr("Seed of the order in which texts are read and of the sampled examples"));
    m_device = new QComboBox(box);
    m_device->setObjectName(QStringLiteral("device"));
    m_device->addItem(tr("automatic (GPU when there is one)"), QStringLiteral("auto"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_device->addItem(tr("GPU (CUDA)"), QStringLiteral("cuda"));
    m_device->setToolTip(tr("Where training runs; a GPU is many times faster"));
    connect(m_device, &QComboBox::currentIndexChanged, this, &ExperimentDialog::revalidate);
    m_precision = new QComboBox(box);
    m_precision->setObjectName(QStringLiteral("precision"));
    const QString unit = CpuFeatures::host().bf16Unit();
    const QStringList precisions = TrainingPrecision::choices();
    const QStringList precisionTexts{unit.isEmpty() ? tr("automatic (bf16 on GPU, fp32 on this CPU)")
                                                    : tr("automatic (bf16 on GPU and this CPU)"),
                                     tr("fp32"), tr("bf16")};
    for (int i = 0; i < precisions.size(); ++i)
        m_precision->addItem(i < precisionTexts.size() ? precisionTexts[i] : precisions[i], precisions[i]);
    m_precision->setToolTip(unit.isEmpty()
                                ? tr("bf16 computes the matrix products with half the bits, weights stay fp32: "
                                     "faster on a GPU; this CPU has no bf16 unit (AVX512-BF16 or AMX)")
                                : tr("bf16 computes the matrix products with half the bits, weights stay fp32: "
                                     "faster on a GPU and on this CPU (%1)").arg(unit));
    connect(m_precision, &QComboBox::currentIndexChanged, this, &ExperimentDialog::revalidate);
    m_checkpointing = buildCheckpointingField(box);
    m_accumulation = spinBox(TrainingConfig::kAutoAccumulation, TrainingConfig::kMaxAccumulation, d.gradientAccumulation,
                             tr("Split each batch into this many micro-batches and add up their gradients: the batch "
                                "stays the batch size, so results do not change, only memory and time. Auto: the "
                                "fewest whose estimated memory fits the device when the run starts"));
    m_accumulation->setSpecialValueText(tr("Auto"));
    m_accumulation->setSuffix(tr(" micro-batches"));
    m_accumulation->setObjectName(QStringLiteral("gradientAccumulation"));
    m_selection = new QComboBox(box);
    m_selection->setObjectName(QStringLiteral("selection"));
    const QStringList criteria = TrainingConfig::selectionCriteria();
    const QStringList criterionTexts{tr("the last step"), tr("best source validation accuracy"),
                                     tr("best target validation accuracy (uses target labels)")};
    for (int i = 0; i < criteria.size(); ++i)
        m_selection->addItem(i < criterionTexts.size() ? criterionTexts[i] : criteria[i], criteria[i]);
    m_selection->setToolTip(tr("Which weights are the run's result. Best target validation reads the target's labels, "
                               "which a real unlabelled target does not have: its results are not a fair "
                               "unsupervised comparison."));
    m_keep = new KeepWeightsField(m_db, box);
    form->addRow(defaultsRow);
    const QList<std::pair<QString, QWidget *>> rows{
        {tr("Epochs:"), m_epochs},          {tr("Learning rate:"), m_learningRate}, {tr("Batch size:"), m_batch},
        {tr("Gradient accumulation:"), m_accumulation},
        {tr("Max length:"), m_maxLength},   {tr("Warm-up share:"), m_warmup},       {tr("Weight decay:"), m_weightDecay},
        {tr("Measure every:"), m_evalEvery}, {tr("Patience:"), m_patience},         {tr("Weight seed:"), m_initSeed},
        {tr("Data seed:"), m_dataSeed},     {tr("Device:"), m_device},              {tr("Precision:"), m_precision},
        {tr("Gradient checkpointing:"), m_checkpointing}, {tr("Result weights:"), m_selection}, {tr("Weights kept:"), m_keep}};
    for (const auto &[label, widget] : rows)
        form->addRow(label, widget);
    m_epochs->setObjectName(QStringLiteral("epochs"));
    m_learningRate->setObjectName(QStringLiteral("learningRate"));
    m_batch->setObjectName(QStringLiteral("batchSize"));
    m_maxLength->setObjectName(QStringLiteral("maxLength"));
    return box;
}

QComboBox *ExperimentDialog::buildCheckpointingField(QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(QStringLiteral("gradientCheckpointing"));
    combo->addItem(tr("Auto (on from %1 M parameters)").arg(TrainingConfig::kAutoCheckpointParameters / 1'000'000),
                   QStringLiteral("auto"));
    combo->addItem(tr("On"), QStringLiteral("on"));
    combo->addItem(tr("Off"), QStringLiteral("off"));
    combo->setToolTip(tr("Recompute each transformer layer during the backward pass instead of keeping its "
                         "intermediate values: most of the activation memory saved for about a third more time "
                         "per step; the results are the same"));
    connect(combo, &QComboBox::currentIndexChanged, this, &ExperimentDialog::revalidate);
    return combo;
}

QWidget *ExperimentDialog::buildRepeatSection()
{
    auto *box = new QGroupBox(tr("Repeats and label budgets"));
    auto *form = new QFormLayout(box);
    m_seeds = spinBox(1, kMaxSeeds, 1, tr("Repeat each setting with this many different seeds, to see how much "
                                          "results vary by chance (mean ± spread in the comparison)"));
    m_seeds->setObjectName(QStringLiteral("seedCount"));
    auto *budgets = new QHBoxLayout;
    for (const int budget : budgetChoices()) {
        auto *check = new QCheckBox(budgetText(budget), box);
        check->setObjectName(QStringLiteral("budget_%1").arg(budget < 0 ? QStringLiteral("all") : QString::number(budget)));
        check->setToolTip(budget < 0 ? tr("Also train on every labelled target text")
                          : budget == 0 ? tr("No labelled target text: pure transfer")
                                        : tr("Also train on %1 labelled target texts per class").arg(budget));
        connect(check, &QCheckBox::toggled, this, &ExperimentDialog::revalidate);
        budgets->addWidget(check);
        m_budgets.append(check);
    }
    budgets->addStretch();
    form->addRow(tr("Seeds:"), m_seeds);
    form->addRow(tr("Target labels per class:"), budgets);
    box->setToolTip(tr("Tick several label budgets to see how results grow with a few labelled target texts; "
                       "tick none for a single run without target labels"));
    return box;
}

QWidget *ExperimentDialog::buildAdvancedSection()
{
    auto *box = new QGroupBox(tr("Advanced: quick run caps"));
    box->setObjectName(QStringLiteral("advanced"));
    auto *form = new QFormLayout(box);
    m_maxTrain = spinBox(0, std::numeric_limits<int>::max(), 0,
                         tr("Train on at most this many source texts; 0 uses them all"));
    m_maxTrain->setSpecialValueText(tr("all"));
    m_maxTrain->setObjectName(QStringLiteral("maxTrainExamples"));
    m_maxEval = spinBox(0, std::numeric_limits<int>::max(), 0,
                        tr("Measure on at most this many texts per validation or test set; 0 uses them all"));
    m_maxEval->setSpecialValueText(tr("all"));
    m_maxEval->setObjectName(QStringLiteral("maxEvalExamples"));
    auto *quick = new QPushButton(tr("Quick Run Caps"), box);
    quick->setObjectName(QStringLiteral("quickRunCaps"));
    quick->setToolTip(tr("A first look in minutes: %1 training texts, %2 per measurement, %3 tokens, one epoch")
                          .arg(kQuickTrainExamples).arg(kQuickEvalExamples).arg(kQuickMaxLength));
    connect(quick, &QPushButton::clicked, this, &ExperimentDialog::applyQuickRunCaps);
    form->addRow(tr("Training texts:"), m_maxTrain);
    form->addRow(tr("Texts per measurement:"), m_maxEval);
    form->addRow(QString(), quick);
    return box;
}

void ExperimentDialog::applyQuickRunCaps()
{
    m_maxTrain->setValue(kQuickTrainExamples);
    m_maxEval->setValue(kQuickEvalExamples);
    m_maxLength->setValue(kQuickMaxLength);
    m_epochs->setValue(1);
    m_batch->setValue(kQuickBatch);
}

void ExperimentDialog::rebuildOptions()
{
    while (m_optionsForm->rowCount() > 0)
        m_optionsForm->removeRow(0);
    m_options.clear();
    const StrategyDescriptor *info = StrategyRegistry::find(m_strategy->currentData().toString());
    m_description->setText(info ? info->description : QString());
    m_optionsBox->setVisible(info && !info->options.isEmpty());
    m_promptPreview->setVisible(false);
    if (!info)
        return;
    for (const StrategyOption &option : info->options) {
        QWidget *editor = createEditor(option, m_optionsBox);
        editor->setObjectName(QStringLiteral("option_") + option.name);
        editor->setToolTip(option.help);
        m_optionsForm->addRow(option.label + QLatin1Char(':'), editor);
        m_options.insert(option.name, editor);
        // Every edit is checked (Preflight) and previewed as it is made.
        if (auto *spin = qobject_cast<QSpinBox *>(editor))
            connect(spin, &QSpinBox::valueChanged, this, &ExperimentDialog::revalidate);
        else if (auto *dspin = qobject_cast<QDoubleSpinBox *>(editor))
            connect(dspin, &QDoubleSpinBox::valueChanged, this, &ExperimentDialog::revalidate);
        else if (auto *edit = qobject_cast<QLineEdit *>(editor))
            connect(edit, &QLineEdit::textChanged, this, &ExperimentDialog::revalidate);
        else if (auto *text = qobject_cast<QPlainTextEdit *>(editor))
            connect(text, &QPlainTextEdit::textChanged, this, &ExperimentDialog::revalidate);
        else if (auto *combo = qobject_cast<QComboBox *>(editor))
            connect(combo, &QComboBox::currentIndexChanged, this, &ExperimentDialog::revalidate);
        else if (auto *check = qobject_cast<QCheckBox *>(editor))
            connect(check, &QCheckBox::toggled, this, &ExperimentDialog::revalidate);
    }
    m_promptPreview->setVisible(info->usesPrompt);
    orderFocus();
}

void ExperimentDialog::orderFocus()
{
    // The sections are built apart and joined later, so creation order is not the form's order:
    // Tab follows this list, left column then right, top to bottom.
    QList<QWidget *> order{m_name, m_source, m_target, m_model, m_strategy};
    for (int row = 0; row < m_optionsForm->rowCount(); ++row) {
        if (QLayoutItem *field = m_optionsForm->itemAt(row, QFormLayout::FieldRole); field && field->widget())
            order << field->widget();
    }
    order << m_seeds;
    for (QCheckBox *budget : std::as_const(m_budgets))
        order << budget;
    order << m_maxTrain << m_maxEval << findChild<QPushButton *>(QStringLiteral("quickRunCaps"));
    order << findChild<QPushButton *>(QStringLiteral("useModelDefaults")) << m_epochs << m_learningRate << m_batch
          << m_accumulation << m_maxLength << m_warmup << m_weightDecay << m_evalEvery << m_patience << m_initSeed
          << m_dataSeed << m_device << m_precision << m_checkpointing << m_selection << m_keep->combo()
          << m_keep->makeDefaultBox() << m_start;
    if (auto *buttons = findChild<QDialogButtonBox *>())
        order << buttons->button(QDialogButtonBox::Cancel);
    for (qsizetype i = 1; i < order.size(); ++i)
        setTabOrder(order.at(i - 1), order.at(i));
}

QJsonObject ExperimentDialog::optionValues() const
{
    QJsonObject values;
    for (auto it = m_options.cbegin(); it != m_options.cend(); ++it) {
        if (auto *spin = qobject_cast<QSpinBox *>(it.value()))
            values.insert(it.key(), spin->value());
        else if (auto *dspin = qobject_cast<QDoubleSpinBox *>(it.value()))
            values.insert(it.key(), dspin->value());
        else if (auto *edit = qobject_cast<QLineEdit *>(it.value()); edit && !edit->text().trimmed().isEmpty())
            values.insert(it.key(), edit->text().trimmed());
        else if (auto *text = qobject_cast<QPlainTextEdit *>(it.value()); text && !text->toPlainText().trimmed().isEmpty())
            values.insert(it.key(), text->toPlainText().trimmed());
        else if (auto *combo = qobject_cast<QComboBox *>(it.value()))
            values.insert(it.key(), combo->currentText());
        else if (auto *check = qobject_cast<QCheckBox *>(it.value()))
            values.insert(it.key(), check->isChecked());
    }
    return values;
}

void ExperimentDialog::setOptionValues(const QJsonObject &values)
{
    for (auto it = values.constBegin(); it != values.constEnd(); ++it) {
        QWidget *editor = m_options.value(it.key());
        if (auto *spin = qobject_cast<QSpinBox *>(editor))
            spin->setValue(it.value().toInt());
        else if (auto *dspin = qobject_cast<QDoubleSpinBox *>(editor))
            dspin->setValue(it.value().toDouble());
        else if (auto *edit = qobject_cast<QLineEdit *>(editor))
            edit->setText(it.value().toString());
        else if (auto *text = qobject_cast<QPlainTextEdit *>(editor))
            text->setPlainText(it.value().toString());
        else if (auto *combo = qobject_cast<QComboBox *>(editor))
            combo->setCurrentText(it.value().toString());
        else if (auto *check = qobject_cast<QCheckBox *>(editor))
            check->setChecked(it.value().toBool());
    }
}

ExperimentPlan ExperimentDialog::plan() const
{
    ExperimentPlan plan;
    RunRequest &r = plan.request;
    r.name = m_name->text().trimmed();
    r.sourceCorpus = m_source->currentData().toString();
    r.targetCorpus = m_target->currentData().toString();
    r.model = m_model->currentData().toString();
    TrainingConfig &c = r.config;
    c = m_baseConfig;
    c.strategy = m_strategy->currentData().toString();
    c.epochs = m_epochs->value();
    c.learningRate = m_learningRate->value();
    c.batchSize = m_batch->value();
    c.gradientAccumulation = m_accumulation->value();
    c.maxLength = m_maxLength->value();
    c.warmupRatio = m_warmup->value();
    c.weightDecay = m_weightDecay->value();
    c.evalEvery = m_evalEvery->value();
    c.patience = m_patience->value();
    c.initSeed = m_initSeed->value();
    c.dataSeed = m_dataSeed->value();
    c.device = m_device->currentData().toString();
    c.precision = m_precision->currentData().toString();
    c.gradientCheckpointing = m_checkpointing->currentData().toString();
    c.selection = m_selection->currentData().toString();
    c.keep = m_keep->keep();
    c.maxTrainExamples = m_maxTrain->value();
    c.maxEvalExamples = m_maxEval->value();
    c.options = optionValues();
    plan.seeds = m_seeds->value();
    for (int i = 0; i < m_budgets.size(); ++i) {
        if (m_budgets[i]->isChecked())
            plan.labelBudgets.append(budgetChoices().at(i));
    }
    return plan;
}

void ExperimentDialog::setPlan(const ExperimentPlan &plan)
{
    const RunRequest &r = plan.request;
    m_name->setText(r.name);
    for (const auto &[combo, value] : {std::pair{m_source, r.sourceCorpus}, std::pair{m_target, r.targetCorpus},
                                       std::pair{m_model, r.model}}) {
        if (const int index = combo->findData(value); index >= 0)
            combo->setCurrentIndex(index);
    }
    setConfig(r.config);
    m_seeds->setValue(plan.seeds);
    for (int i = 0; i < m_budgets.size(); ++i)
        m_budgets[i]->setChecked(plan.labelBudgets.contains(budgetChoices().at(i)));
    revalidate();
}

void ExperimentDialog::setConfig(const TrainingConfig &c)
{
    m_baseConfig = c;
    if (const int index = m_strategy->findData(c.strategy); index >= 0)
        m_strategy->setCurrentIndex(index);
    m_epochs->setValue(c.epochs);
    m_learningRate->setValue(c.learningRate);
    m_batch->setValue(c.batchSize);
    m_accumulation->setValue(c.gradientAccumulation);
    m_maxLength->setValue(c.maxLength);
    m_warmup->setValue(c.warmupRatio);
    m_weightDecay->setValue(c.weightDecay);
    m_evalEvery->setValue(c.evalEvery);
    m_patience->setValue(c.patience);
    m_initSeed->setValue(int(c.initSeed));
    m_dataSeed->setValue(int(c.dataSeed));
    m_device->setCurrentIndex(qMax(0, m_device->findData(c.device)));
    m_precision->setCurrentIndex(qMax(0, m_precision->findData(c.precision)));
    m_checkpointing->setCurrentIndex(qMax(0, m_checkpointing->findData(c.gradientCheckpointing)));
    m_selection->setCurrentIndex(qMax(0, m_selection->findData(c.selection)));
    m_keep->setKeep(c.keep);
    m_maxTrain->setValue(c.maxTrainExamples);
    m_maxEval->setValue(c.maxEvalExamples);
    setOptionValues(c.options);
}

const CorpusSummary *ExperimentDialog::corpus(const QComboBox *combo) const
{
    const int index = combo->currentIndex();
    return index >= 0 && index < m_corpora.size() ? &m_corpora[index] : nullptr;
}

const ModelRecord *ExperimentDialog::model() const
{
    const int index = m_model->currentIndex();
    return index >= 0 && index < m_models.size() ? &m_models[index] : nullptr;
}

void ExperimentDialog::setAvailableMemory(qint64 bytes)
{
    m_availableMemory = bytes;
    revalidate();
}

std::optional<RunMemoryEstimate> ExperimentDialog::runMemory() const
{
    const ModelRecord *m = model();
    if (!m || m->config.hiddenSize <= 0)
        return std::nullopt;
    // "auto" accumulation: the micro-batches the run would choose on this device's memory now.
    TrainingConfig config = plan().request.config;
    if (config.gradientAccumulation == TrainingConfig::kAutoAccumulation)
        config.gradientAccumulation = RunMemoryEstimate::accumulationFor(m->config, config, onGpu(), memoryCapacity());
    return RunMemoryEstimate::forRun(m->config, config, onGpu());
}

qint64 ExperimentDialog::memoryEstimate() const
{
    const auto estimate = runMemory();
    return estimate ? estimate->totalBytes() : 0;
}

qint64 ExperimentDialog::memoryCapacity() const
{
    return onGpu() ? DeviceMemory::cudaFreeBytes() : m_availableMemory;
}

QString ExperimentDialog::memoryText() const
{
    const auto estimate = runMemory();
    return estimate ? estimate->describe(memoryCapacity(), onGpu() ? tr("the GPU") : tr("this machine's RAM")) : QString();
}

RunMemoryEstimate::Verdict ExperimentDialog::memoryVerdict() const
{
    const auto estimate = runMemory();
    return estimate ? estimate->verdict(memoryCapacity()) : RunMemoryEstimate::Verdict::Unknown;
}

bool ExperimentDialog::onGpu() const
{
    return m_device->currentData().toString() == QLatin1String("cuda");
}

void ExperimentDialog::updateMemory()
{
    const auto run = runMemory();
    const qint64 needed = run ? run->totalBytes() : 0;
    if (needed <= 0) {
        m_memory->setText(tr("unknown for this model"));
        return;
    }
    QString details;
    if (run->accumulation > 1)
        details += tr(", in %1 micro-batches").arg(run->accumulation);
    if (run->layerCheckpointing)
        details += tr(", layers recomputed in backward");
    const QString estimate = tr("about %1 to train (batch %2 × %3 tokens%4)")
                                 .arg(TrainingProgress::formatBytes(needed))
                                 .arg(m_batch->value())
                                 .arg(m_maxLength->value())
                                 .arg(details);
    const qint64 capacity = memoryCapacity();
    if (onGpu())
        m_memory->setText(capacity > 0 ? tr("%1; the GPU has %2 free").arg(estimate, TrainingProgress::formatBytes(capacity))
                                       : tr("%1, on the GPU").arg(estimate));
    else if (capacity > 0)
        m_memory->setText(tr("%1; this machine has %2 of RAM available").arg(estimate, TrainingProgress::formatBytes(capacity)));
    else
        m_memory->setText(estimate);
}

void ExperimentDialog::revalidate()
{
    if (!m_problems)
        return;
    updateMemory();
    updatePromptPreview();
    m_errors = collectErrors();
    m_warnings = collectWarnings();
    showProblems();
}

QStringList ExperimentDialog::collectErrors() const
{
    QStringList errors;
    const CorpusSummary *source = corpus(m_source);
    const CorpusSummary *target = corpus(m_target);
    if (!source || !target)
        errors << tr("The project has no corpus yet: import a source and a target corpus first (Corpora ▸ Import…).");
    if (!model())
        errors << tr("The project has no base model yet: add one first (Models ▸ Add Model…).");
    // The engine's own check (Preflight), on the corpora and models read when the dialog opened.
    if (source && target && model()) {
        const ExperimentPlan p = plan();
        RunRequest request = p.request;
        // A label-budget sweep trains on target labels when any budget is not 0.
        for (const int budget : p.labelBudgets) {
            if (budget != 0)
                request.config.targetLabels = budget;
        }
        errors << Preflight::checkSettings(request, m_corpora, m_models);
        errors << modelFileProblems();
    }
    // The engine refuses both when the run starts; say so before Start.
    if (m_device->currentData().toString() == QLatin1String("cpu") &&
        !TrainingPrecision::resolve(m_precision->currentData().toString(), false, CpuFeatures::host()))
        errors << tr("bf16 on the CPU needs AVX512-BF16 or AMX, which this processor lacks: choose fp32 or automatic.");
    if (memoryVerdict() == RunMemoryEstimate::Verdict::TooLarge)
        errors << tr("Not enough memory: %1.").arg(memoryText());
    return errors;
}

QString ExperimentDialog::maskToken(const ModelRecord &record) const
{
    if (!m_maskTokens.contains(record.id)) {
        QTemporaryDir scratch;
        QString token;
        if (const auto dir = ModelRegistry::materialize(m_db, record, scratch.path())) {
            if (const auto tokenizer = Tokenizer::fromFile(QDir(dir.value()).filePath(QStringLiteral("tokenizer.json"))))
                token = tokenizer->specialIds().mask >= 0 ? tokenizer->idToToken(tokenizer->specialIds().mask) : QString();
        }
        m_maskTokens.insert(record.id, token);
    }
    return m_maskTokens.value(record.id);
}

void ExperimentDialog::updatePromptPreview()
{
    const StrategyDescriptor *info = StrategyRegistry::find(m_strategy->currentData().toString());
    if (!info || !info->usesPrompt || !m_promptPreview)
        return;
    const ModelRecord *m = model();
    if (!corpus(m_source) || !corpus(m_target) || !m) {
        m_promptPreview->showProblem(tr("Choose a source corpus, a target corpus and a model to see the prompt."));
        return;
    }
    const ExperimentPlan p = plan();
    RunRequest request = p.request;
    for (const int budget : p.labelBudgets) {
        if (budget != 0)
            request.config.targetLabels = budget;
    }
    // The corpora are read again only when what the draws depend on changes.
    const QString key = QStringList{request.sourceCorpus, request.targetCorpus,
                                    QString::number(request.config.targetLabels),
                                    QString::number(request.config.dataSeed),
                                    QString::number(request.config.maxTrainExamples)}
                            .join(QChar(0));
    if (key != m_previewKey) {
        m_previewKey = key;
        auto loaded = PromptPreview::load(m_db, request);
        m_previewError = loaded ? QString() : loaded.error();
        m_preview = loaded ? std::optional<PromptPreview>(std::move(loaded.value())) : std::nullopt;
    }
    if (!m_preview) {
        m_promptPreview->showProblem(m_previewError);
        return;
    }
    const bool decoder = PromptPreview::isDecoder(m->config);
    const QString mask = decoder ? QString() : maskToken(*m);
    const auto text = m_preview->render(request.config, decoder, mask);
    const auto words = m_preview->words(request.config, decoder);
    if (!text || !words) {
        m_promptPreview->showProblem(text ? words.error() : text.error());
        return;
    }
    QString note = decoder ? tr("A decoder: each label word is scored as the continuation: %1.")
                                 .arg(words->join(QStringLiteral(" | ")))
                           : tr("A masked-LM encoder: each label word is scored at %1: %2.")
                                 .arg(mask.isEmpty() ? tr("the mask") : mask, words->join(QStringLiteral(" | ")));
    if (const QString from = m_preview->demonstrationSource(request.config); !from.isEmpty())
        note += QLatin1Char(' ') + tr("Demonstrations from %1.").arg(from);
    m_promptPreview->showPrompt(text.value(), note);
}

QStringList ExperimentDialog::collectWarnings() const
{
    QStringList warnings;
    const CorpusSummary *source = corpus(m_source);
    if (source && source == corpus(m_target))
        warnings << tr("Source and target are the same corpus: this measures in-domain quality, not transfer.");
    if (memoryVerdict() == RunMemoryEstimate::Verdict::Tight)
        warnings << tr("Memory is tight: %1.").arg(memoryText());
    return warnings;
}

QStringList ExperimentDialog::modelFileProblems() const
{
    const ModelRecord *m = model();
    if (!m)
        return {};
    // Reading the model's files (every weight) once per model is enough: they do not change while
    // the dialog is open.
    if (!m_modelFileProblems.contains(m->id))
        m_modelFileProblems.insert(m->id, Preflight::checkModelFiles(m_db, *m));
    return m_modelFileProblems.value(m->id);
}

void ExperimentDialog::showProblems()
{
    QStringList lines;
    const QString error = ThemeController::errorColor(palette()).name();
    const QString warning = ThemeController::warningColor(palette()).name();
    for (const QString &e : std::as_const(m_errors))
        lines << QStringLiteral("<span style='color:%1'>✖ %2</span>").arg(error, e.toHtmlEscaped());
    for (const QString &w : std::as_const(m_warnings))
        lines << QStringLiteral("<span style='color:%1'>⚠ %2</span>").arg(warning, w.toHtmlEscaped());
    m_problems->setText(lines.join(QStringLiteral("<br>")));
    m_problems->setVisible(!lines.isEmpty());
    m_start->setEnabled(m_errors.isEmpty());
    m_start->setToolTip(m_errors.isEmpty() ? tr("Record the run(s) in the project and start training in the background")
                                           : m_errors.join(QLatin1Char('\n')));
}

void ExperimentDialog::saveSettings() const
{
    const ExperimentPlan p = plan();
    // The next dialog starts from the project's default weight retention, not from this choice.
    QJsonObject config = p.request.config.toJson();
    config.remove(QStringLiteral("keep"));
    QJsonArray budgets;
    for (const int budget : p.labelBudgets)
        budgets.append(budget);
    const QJsonObject json{{QStringLiteral("source"), p.request.sourceCorpus},
                           {QStringLiteral("target"), p.request.targetCorpus},
                           {QStringLiteral("model"), p.request.model},
                           {QStringLiteral("config"), config},
                           {QStringLiteral("seeds"), p.seeds},
                           {QStringLiteral("budgets"), budgets}};
    QSettings().setValue(kSettingsKey, QJsonDocument(json).toJson(QJsonDocument::Compact));
    m_cluster->saveSettings();
}

void ExperimentDialog::restoreSettings()
{
    m_cluster->restoreSettings();
    const QJsonObject json = QJsonDocument::fromJson(QSettings().value(kSettingsKey).toByteArray()).object();
    const auto config = TrainingConfig::fromJson(json.value(QStringLiteral("config")).toObject());
    if (json.isEmpty() || !config)
        return;
    ExperimentPlan p;
    p.request.sourceCorpus = json.value(QStringLiteral("source")).toString();
    p.request.targetCorpus = json.value(QStringLiteral("target")).toString();
    p.request.model = json.value(QStringLiteral("model")).toString();
    p.request.config = config.value();
    p.seeds = json.value(QStringLiteral("seeds")).toInt(1);
    for (const QJsonValue &budget : json.value(QStringLiteral("budgets")).toArray())
        p.labelBudgets.append(budget.toInt());
    setPlan(p);
}

void ExperimentDialog::accept()
{
    if (!canStart())
        return;
    if (const Status s = m_keep->applyToProject(); !s) {
        QMessageBox::warning(this, windowTitle(), s.error());
        return;
    }
    saveSettings();
    QDialog::accept();
}

} // namespace ts::ui
