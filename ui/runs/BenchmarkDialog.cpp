#include "runs/BenchmarkDialog.h"

#include "runs/ClusterField.h"

#include "corpus/CorpusStore.h"
#include "model/ModelDefaults.h"
#include "model/ModelRegistry.h"
#include "runs/KeepWeightsField.h"
#include "transfer/StrategyRegistry.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ts::ui {

namespace {

// Item data role holding the pair's "source\ttarget" or the strategy's name.
constexpr int kKeyRole = Qt::UserRole;

QListWidgetItem *checkable(QListWidget *list, const QString &text, const QString &key)
{
    auto *item = new QListWidgetItem(text, list);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Unchecked);
    item->setData(kKeyRole, key);
    return item;
}

QStringList checkedKeys(const QListWidget *list)
{
    QStringList keys;
    for (int i = 0; i < list->count(); ++i) {
        if (list->item(i)->checkState() == Qt::Checked)
            keys.append(list->item(i)->data(kKeyRole).toString());
    }
    return keys;
}

} // namespace

BenchmarkDialog::BenchmarkDialog(const QSqlDatabase &db, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("BenchmarkDialog"));
    setWindowTitle(tr("New Benchmark"));
    if (const auto models = ModelRegistry::list(db))
        m_models = models.value();

    m_pairs = new QListWidget(this);
    m_pairs->setObjectName(QStringLiteral("pairs"));
    m_pairs->setToolTip(tr("Source → target pairs of corpora with labelled test or validation documents"));
    if (const auto pairs = BenchmarkPlan::allPairs(db)) {
        for (const BenchmarkPair &p : pairs.value())
            checkable(m_pairs, QStringLiteral("%1 → %2").arg(p.source, p.target), p.source + QLatin1Char('\t') + p.target);
    }
    m_strategies = new QListWidget(this);
    m_strategies->setObjectName(QStringLiteral("strategies"));
    for (const StrategyDescriptor &s : StrategyRegistry::all())
        checkable(m_strategies, QStringLiteral("%1 (%2)").arg(s.title, s.name), s.name)->setToolTip(s.description);

    m_seeds = new QSpinBox(this);
    m_seeds->setObjectName(QStringLiteral("seeds"));
    m_seeds->setRange(1, 100);
    m_seeds->setValue(3);
    m_seeds->setToolTip(tr("Runs per strategy and pair, seeds offset by 0, 1, …: the table shows mean ± std over them"));
    m_model = new QComboBox(this);
    m_model->setObjectName(QStringLiteral("model"));
    for (const ModelRecord &m : std::as_const(m_models))
        m_model->addItem(m.name);
    m_epochs = new QSpinBox(this);
    m_epochs->setRange(1, 1000);
    m_epochs->setValue(TrainingConfig().epochs);
    m_learningRate = new QDoubleSpinBox(this);
    m_learningRate->setDecimals(6);
    m_learningRate->setRange(0.0, 10.0);
    m_learningRate->setSingleStep(1e-5);
    m_batch = new QSpinBox(this);
    m_batch->setRange(1, 65536);
    m_maxLength = new QSpinBox(this);
    m_maxLength->setRange(8, 32768);
    m_maxTrain = new QSpinBox(this);
    m_maxTrain->setRange(0, 2000000000);
    m_maxTrain->setSpecialValueText(tr("all"));
    m_maxTrain->setToolTip(tr("Cap on training examples per run (all: every one)"));
    m_defaults = new QLabel(this);
    m_defaults->setWordWrap(true);
    m_keep = new KeepWeightsField(db, this);

    auto *lists = new QHBoxLayout;
    for (const auto &[title, list] : {std::pair{tr("Pairs (source → target)"), m_pairs}, std::pair{tr("Strategies"), m_strategies}}) {
        auto *box = new QGroupBox(title, this);
        auto *l = new QVBoxLayout(box);
        l->addWidget(list);
        lists->addWidget(box);
    }
    auto *form = new QFormLayout;
    form->addRow(tr("&Seeds:"), m_seeds);
    form->addRow(tr("&Model:"), m_model);
    form->addRow(QString(), m_defaults);
    form->addRow(tr("&Epochs:"), m_epochs);
    form->addRow(tr("&Learning rate:"), m_learningRate);
    form->addRow(tr("&Batch size:"), m_batch);
    form->addRow(tr("Max &tokens:"), m_maxLength);
    form->addRow(tr("Max training &examples:"), m_maxTrain);
    form->addRow(tr("Weights &kept:"), m_keep);

    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("count"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_start = buttons->addButton(tr("Start"), QDialogButtonBox::AcceptRole);
    m_start->setObjectName(QStringLiteral("startButton"));
    m_start->setToolTip(tr("Record every run of the matrix as one group and train them one after another in the background"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (const Status s = m_keep->applyToProject(); !s) {
            QMessageBox::warning(this, windowTitle(), s.error());
            return;
        }
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_pairs, &QListWidget::itemChanged, this, &BenchmarkDialog::updateCount);
    connect(m_strategies, &QListWidget::itemChanged, this, &BenchmarkDialog::updateCount);
    connect(m_seeds, &QSpinBox::valueChanged, this, &BenchmarkDialog::updateCount);
    connect(m_model, &QComboBox::currentIndexChanged, this, &BenchmarkDialog::applyModelDefaults);

    m_cluster = new ClusterField(this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(lists, 1);
    layout->addLayout(form);
    layout->addWidget(m_cluster);
    layout->addWidget(m_count);
    layout->addWidget(buttons);
    applyModelDefaults();
    updateCount();
}

void BenchmarkDialog::applyModelDefaults()
{
    const int index = m_model->currentIndex();
    if (index < 0 || index >= m_models.size()) {
        m_defaults->setText(tr("Add a model to see the settings it proposes."));
        return;
    }
    const ModelRecord &model = m_models.at(index);
    const ModelDefaults defaults = ModelDefaults::forModel(model);
    m_learningRate->setValue(defaults.learningRate);
    m_batch->setValue(defaults.batchSize);
    m_maxLength->setValue(defaults.maxLength);
    m_defaults->setText(tr("%1 proposes %2 (%3).").arg(model.name, defaults.summary(), defaults.reason));
}

void BenchmarkDialog::updateCount()
{
    const BenchmarkPlan p = plan();
    m_count->setText(tr("%1 pair(s) × %2 strateg(ies) × %3 seed(s) = %4 runs, trained one after another")
                         .arg(p.pairs.size())
                         .arg(p.strategies.size())
                         .arg(p.seeds)
                         .arg(p.cellCount()));
    m_start->setEnabled(p.cellCount() > 0 && !p.model.isEmpty());
}

BenchmarkPlan BenchmarkDialog::plan() const
{
    BenchmarkPlan p;
    for (const QString &key : checkedKeys(m_pairs))
        p.pairs.append({key.section(QLatin1Char('\t'), 0, 0), key.section(QLatin1Char('\t'), 1, 1)});
    p.strategies = checkedKeys(m_strategies);
    p.seeds = m_seeds->value();
    p.model = m_model->currentText();
    p.config.epochs = m_epochs->value();
    p.config.learningRate = m_learningRate->value();
    p.config.batchSize = m_batch->value();
    p.config.maxLength = m_maxLength->value();
    p.config.maxTrainExamples = m_maxTrain->value();
    p.config.keep = m_keep->keep();
    return p;
}

} // namespace ts::ui
