#pragma once

#include "corpus/CorpusSummary.h"
#include "model/ModelRecord.h"
#include "runs/ExperimentPlan.h"
#include "transfer/PromptPreview.h"
#include "transfer/RunMemoryEstimate.h"

#include <QDialog>
#include <QHash>
#include <QSqlDatabase>

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace ts::ui {

class ClusterField;
class KeepWeightsField;
class PromptPreviewPanel;

/// Sets up an experiment: source and target corpora, base model, transfer strategy with its own
/// settings, hyper-parameters, seeds and a label-budget sweep. Checks the choice as it is made
/// (Start stays disabled, with the reason shown, while it cannot run) and produces an
/// ExperimentPlan. Reads the project through `db` on the GUI thread.
class ExperimentDialog : public QDialog
{
    Q_OBJECT

public:
    /// The label budgets offered for a sweep: target labels per class (-1: all of them).
    static const QList<int> &budgetChoices();

    explicit ExperimentDialog(const QSqlDatabase &db, QWidget *parent = nullptr);

    /// The experiment as currently filled in.
    ExperimentPlan plan() const;
    /// Fills the form from `plan` (names not in the project are left as they are).
    void setPlan(const ExperimentPlan &plan);

    /// Problems that prevent starting, in words; empty when Start is enabled.
    QStringList errors() const { return m_errors; }
    /// Things worth knowing that do not prevent starting (same corpus twice, memory nearly full).
    QStringList warnings() const { return m_warnings; }
    bool canStart() const { return m_errors.isEmpty(); }

    /// The memory the estimate is compared with on the CPU (default: the RAM available now).
    void setAvailableMemory(qint64 bytes);
    /// Estimated bytes to run the chosen strategy on the chosen model with the chosen batch size and
    /// length (RunMemoryEstimate, the figure the engine checks before it starts); 0 unknown.
    qint64 memoryEstimate() const;

    /// Sets the "quick run caps": few examples, short texts, one epoch (a first look in minutes).
    void applyQuickRunCaps();
    /// Sets the learning rate, batch size and maximum length the chosen model proposes
    /// (ModelDefaults); done whenever another model is chosen.
    void applyModelDefaults();
    /// What the chosen model proposes and why, as the dialog shows it.
    QString modelDefaultsText() const;

    /// Remembers the current plan as the next dialog's starting point.
    void saveSettings() const;
    /// Fills the form from the last remembered plan, if any.
    void restoreSettings();

    void accept() override;

    /// "Run on: this computer / Slurm cluster" with the cluster's settings.
    ClusterField *clusterField() const { return m_cluster; }

private:
    QWidget *buildDataSection();
    QWidget *buildStrategySection();
    QWidget *buildTrainingSection();
    /// The Gradient checkpointing field (TrainingConfig::gradientCheckpointing: auto, on, off).
    QComboBox *buildCheckpointingField(QWidget *parent);
    QWidget *buildRepeatSection();
    QWidget *buildAdvancedSection();
    void fillCorpusCombo(QComboBox *combo) const;
    QSpinBox *spinBox(int minimum, int maximum, int value, const QString &tip);
    QDoubleSpinBox *doubleSpinBox(double minimum, double maximum, int decimals, double value, const QString &tip);
    void setConfig(const TrainingConfig &config);
    void rebuildOptions();
    /// Sets the Tab order to the form's: the left column, then the right, top to bottom.
    void orderFocus();
    void setOptionValues(const QJsonObject &values);
    QJsonObject optionValues() const;
    const CorpusSummary *corpus(const QComboBox *combo) const;
    const ModelRecord *model() const;
    bool onGpu() const;
    void updateMemory();
    /// Shows the prompt the run's model would see, for strategies that use prompts.
    void updatePromptPreview();
    /// The mask token of `record`'s tokenizer (read once per model); empty when it has none.
    QString maskToken(const ModelRecord &record) const;
    /// The estimate for the form's settings; empty without a model.
    std::optional<RunMemoryEstimate> runMemory() const;
    /// The bytes the estimate is compared with on the chosen device (0: unknown).
    qint64 memoryCapacity() const;
    /// The estimate against the capacity, in words and as a verdict.
    QString memoryText() const;
    RunMemoryEstimate::Verdict memoryVerdict() const;
    void revalidate();
    QStringList collectErrors() const;
    QStringList collectWarnings() const;
    /// Preflight::checkModelFiles() of the chosen model, read once per model.
    QStringList modelFileProblems() const;
    void showProblems();

    QSqlDatabase m_db;
    mutable QHash<qint64, QStringList> m_modelFileProblems; // by model id
    QList<CorpusSummary> m_corpora;
    QList<ModelRecord> m_models;
    qint64 m_availableMemory = 0;
    QStringList m_errors;
    QStringList m_warnings;

    QLineEdit *m_name = nullptr;
    QComboBox *m_source = nullptr;
    QComboBox *m_target = nullptr;
    QComboBox *m_model = nullptr;
    QLabel *m_memory = nullptr;
    QComboBox *m_strategy = nullptr;
    QLabel *m_description = nullptr;
    QGroupBox *m_optionsBox = nullptr;
    QFormLayout *m_optionsForm = nullptr;
    QHash<QString, QWidget *> m_options;
    PromptPreviewPanel *m_promptPreview = nullptr;
    std::optional<PromptPreview> m_preview; // the corpora's part of the preview, for m_previewKey
    QString m_previewKey;                   // corpora, budget, seed and cap it was read for
    QString m_previewError;                 // why m_preview could not be read
    mutable QHash<qint64, QString> m_maskTokens; // by model id
    QSpinBox *m_epochs = nullptr;
    QDoubleSpinBox *m_learningRate = nullptr;
    QSpinBox *m_batch = nullptr;
    QSpinBox *m_accumulation = nullptr; // TrainingConfig::gradientAccumulation (0: auto)
    QSpinBox *m_maxLength = nullptr;
    QDoubleSpinBox *m_warmup = nullptr;
    QDoubleSpinBox *m_weightDecay = nullptr;
    QSpinBox *m_evalEvery = nullptr;
    QSpinBox *m_patience = nullptr;
    QSpinBox *m_initSeed = nullptr;
    QSpinBox *m_dataSeed = nullptr;
    QComboBox *m_device = nullptr;
    QComboBox *m_precision = nullptr; // TrainingConfig::precision
    QComboBox *m_checkpointing = nullptr; // TrainingConfig::gradientCheckpointing
    QComboBox *m_selection = nullptr; // TrainingConfig::selection
    KeepWeightsField *m_keep = nullptr; // TrainingConfig::keep
    ClusterField *m_cluster = nullptr;
    QSpinBox *m_seeds = nullptr;
    QList<QCheckBox *> m_budgets;
    QSpinBox *m_maxTrain = nullptr;
    QSpinBox *m_maxEval = nullptr;
    QLabel *m_problems = nullptr;
    QLabel *m_modelDefaults = nullptr;
    QPushButton *m_start = nullptr;
    TrainingConfig m_baseConfig; // fields the form does not show are kept from here
};

} // namespace ts::ui
