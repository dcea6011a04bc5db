#include "corpus/ImportDestinationPage.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace ts::ui {

namespace {

// Largest seed offered; any value gives a repeatable split.
constexpr int kMaxSeed = 2147483647;

QDoubleSpinBox *fractionBox(double value, QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setRange(0.0, 1.0);
    box->setSingleStep(0.05);
    box->setDecimals(2);
    box->setValue(value);
    return box;
}

} // namespace

ImportDestinationPage::ImportDestinationPage(const QStringList &corpora, QWidget *parent)
    : QWizardPage(parent), m_corpora(corpora)
{
    setTitle(tr("Choose where the documents go"));
    setSubTitle(tr("Name the corpus (a new one, or one to add to) and decide how its documents are split "
                   "for training, validation and testing."));
    m_corpus = new QComboBox(this);
    m_corpus->setObjectName(QStringLiteral("corpusName"));
    m_corpus->setEditable(true);
    m_corpus->addItems(corpora);
    m_corpus->setCurrentText(QString());
    m_corpus->setToolTip(tr("Type a new name to create a corpus, or pick one to add these documents to it"));
    m_corpusHint = new QLabel(tr("Give the corpus a name."), this);
    connect(m_corpus, &QComboBox::currentTextChanged, this, [this](const QString &name) {
        const QString trimmed = name.trimmed();
        m_corpusHint->setText(trimmed.isEmpty()            ? tr("Give the corpus a name.")
                              : m_corpora.contains(trimmed) ? tr("Adds to the existing corpus '%1'.").arg(trimmed)
                                                            : tr("Creates a new corpus '%1'.").arg(trimmed));
        Q_EMIT completeChanged();
    });
    QWidget *placement = createPlacementBox(); // before the check box under it: creation order is Tab order
    m_dedup = new QCheckBox(tr("Skip documents the corpus already has"), this);
    m_dedup->setObjectName(QStringLiteral("removeDuplicates"));
    m_dedup->setChecked(true);
    m_dedup->setToolTip(tr("A document whose text matches one already in the corpus (ignoring spaces) is left out, "
                           "so that no document ends up in both training and test data"));

    auto *form = new QFormLayout;
    form->addRow(tr("Corpus:"), m_corpus);
    form->addRow(QString(), m_corpusHint);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(placement);
    layout->addWidget(m_dedup);
    layout->addStretch();
    updatePlacement();
}

QWidget *ImportDestinationPage::createPlacementBox()
{
    auto *box = new QGroupBox(tr("Splits"), this);
    m_auto = new QRadioButton(tr("Split automatically, keeping each label's share in every split:"), box);
    m_auto->setObjectName(QStringLiteral("splitAuto"));
    m_auto->setToolTip(tr("Documents are shuffled with the seed and divided by the fractions, label by label"));
    m_named = new QRadioButton(tr("Put every document in one split:"), box);
    m_named->setObjectName(QStringLiteral("splitNamed"));
    m_unlabeled = new QRadioButton(tr("Put every document in the unlabelled pool (labels are not read)"), box);
    m_unlabeled->setObjectName(QStringLiteral("splitUnlabeled"));
    m_unlabeled->setToolTip(tr("Unlabelled documents of the target domain are what domain adaptation learns from"));
    auto *group = new QButtonGroup(box);
    for (QRadioButton *button : {m_auto, m_named, m_unlabeled})
        group->addButton(button);
    m_auto->setChecked(true);
    m_split = new QComboBox(box);
    m_split->setObjectName(QStringLiteral("namedSplit"));
    m_split->addItem(tr("Training"), int(ImportSplit::Train));
    m_split->addItem(tr("Validation"), int(ImportSplit::Validation));
    m_split->addItem(tr("Test"), int(ImportSplit::Test));
    const SplitFractions defaults;
    m_train = fractionBox(defaults.train, box);
    m_validation = fractionBox(defaults.validation, box);
    m_test = fractionBox(defaults.test, box);
    m_train->setObjectName(QStringLiteral("trainFraction"));
    m_seed = new QSpinBox(box);
    m_seed->setObjectName(QStringLiteral("seed"));
    m_seed->setRange(0, kMaxSeed);
    m_seed->setValue(int(ImportParams().seed));
    m_seed->setToolTip(tr("The same seed splits the same file the same way again"));
    m_placementHint = new QLabel(box);
    m_placementHint->setWordWrap(true);
    for (QDoubleSpinBox *fraction : {m_train, m_validation, m_test})
        connect(fraction, &QDoubleSpinBox::valueChanged, this, &ImportDestinationPage::updatePlacement);
    connect(group, &QButtonGroup::buttonToggled, this, &ImportDestinationPage::updatePlacement);

    auto *fractions = new QHBoxLayout;
    fractions->addWidget(new QLabel(tr("training"), box));
    fractions->addWidget(m_train);
    fractions->addWidget(new QLabel(tr("validation"), box));
    fractions->addWidget(m_validation);
    fractions->addWidget(new QLabel(tr("test"), box));
    fractions->addWidget(m_test);
    fractions->addWidget(new QLabel(tr("seed"), box));
    fractions->addWidget(m_seed);
    fractions->addStretch();
    auto *grid = new QGridLayout(box);
    grid->addWidget(m_auto, 0, 0, 1, 2);
    grid->addLayout(fractions, 1, 1);
    grid->addWidget(m_named, 2, 0);
    grid->addWidget(m_split, 2, 1, Qt::AlignLeft);
    grid->addWidget(m_unlabeled, 3, 0, 1, 2);
    grid->addWidget(m_placementHint, 4, 0, 1, 2);
    grid->setColumnMinimumWidth(0, 24);
    return box;
}

void ImportDestinationPage::setLabelled(bool labelled)
{
    m_labelled = labelled;
    if (!labelled)
        m_unlabeled->setChecked(true);
    updatePlacement();
}

void ImportDestinationPage::suggestCorpus(const QString &name)
{
    if (m_corpus->currentText().trimmed().isEmpty())
        m_corpus->setCurrentText(name);
}

void ImportDestinationPage::setCorpus(const QString &name)
{
    m_corpus->setCurrentText(name);
}

void ImportDestinationPage::suggestSplit(ImportSplit split)
{
    if (!m_labelled)
        split = ImportSplit::Unlabeled; // nothing else is offered without labels
    if (split == ImportSplit::Auto) {
        m_auto->setChecked(true);
    } else if (split == ImportSplit::Unlabeled) {
        m_unlabeled->setChecked(true);
    } else {
        m_named->setChecked(true);
        m_split->setCurrentIndex(std::max(0, m_split->findData(int(split))));
    }
    updatePlacement();
}

SplitFractions ImportDestinationPage::fractions() const
{
    SplitFractions f;
    f.train = m_train->value();
    f.validation = m_validation->value();
    f.test = m_test->value();
    return f;
}

void ImportDestinationPage::updatePlacement()
{
    m_auto->setEnabled(m_labelled);
    m_named->setEnabled(m_labelled);
    for (QWidget *w : std::initializer_list<QWidget *>{m_train, m_validation, m_test, m_seed})
        w->setEnabled(m_labelled && m_auto->isChecked());
    m_split->setEnabled(m_labelled && m_named->isChecked());
    if (!m_labelled) {
        m_placementHint->setText(tr("No label column is chosen, so the documents go to the unlabelled pool."));
    } else if (m_auto->isChecked() && !fractions().valid()) {
        const double sum = m_train->value() + m_validation->value() + m_test->value();
        m_placementHint->setText(tr("The three fractions add up to %1; they must add up to 1.").arg(sum, 0, 'f', 2));
    } else {
        m_placementHint->clear();
    }
    Q_EMIT completeChanged();
}

bool ImportDestinationPage::isComplete() const
{
    if (m_corpus->currentText().trimmed().isEmpty())
        return false;
    return !m_labelled || !m_auto->isChecked() || fractions().valid();
}

void ImportDestinationPage::fillParams(ImportParams &params) const
{
    params.corpus = m_corpus->currentText().trimmed();
    params.removeDuplicates = m_dedup->isChecked();
    if (!m_labelled || m_unlabeled->isChecked())
        params.split = ImportSplit::Unlabeled;
    else if (m_named->isChecked())
        params.split = ImportSplit(m_split->currentData().toInt());
    else
        params.split = ImportSplit::Auto;
    params.fractions = fractions();
    params.seed = quint64(m_seed->value());
}

} // namespace ts::ui
