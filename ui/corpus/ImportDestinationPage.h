#pragma once

#include "corpus/ImportParams.h"

#include <QWizardPage>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QRadioButton;
class QSpinBox;

namespace ts::ui {

/// Second page of the import wizard: the corpus the documents go to (new or existing) and where
/// in it: an automatic stratified split, one named split, or the unlabelled pool.
class ImportDestinationPage : public QWizardPage
{
    Q_OBJECT

public:
    /// `corpora`: the project's corpora, offered in the corpus picker.
    explicit ImportDestinationPage(const QStringList &corpora, QWidget *parent = nullptr);

    /// Whether the documents carry labels; without them only the unlabelled pool is offered.
    void setLabelled(bool labelled);
    /// Proposes `name` for the corpus unless one is typed already.
    void suggestCorpus(const QString &name);
    /// Sets the corpus name.
    void setCorpus(const QString &name);
    /// Puts every document in `split` (the unlabelled pool, or one named split of labelled
    /// documents), as a file named NAME.test suggests; Auto brings back the automatic split.
    void suggestSplit(ImportSplit split);
    /// Fills what this page decides in `params`: corpus, split, fractions, seed, duplicates.
    void fillParams(ImportParams &params) const;

    bool isComplete() const override;

private:
    QWidget *createPlacementBox();
    void updatePlacement();
    SplitFractions fractions() const;

    QStringList m_corpora;
    QComboBox *m_corpus = nullptr;
    QLabel *m_corpusHint = nullptr;
    QRadioButton *m_auto = nullptr;
    QRadioButton *m_named = nullptr;
    QRadioButton *m_unlabeled = nullptr;
    QComboBox *m_split = nullptr;
    QDoubleSpinBox *m_train = nullptr;
    QDoubleSpinBox *m_validation = nullptr;
    QDoubleSpinBox *m_test = nullptr;
    QSpinBox *m_seed = nullptr;
    QCheckBox *m_dedup = nullptr;
    QLabel *m_placementHint = nullptr;
    bool m_labelled = true;
};

} // namespace ts::ui
