#pragma once

#include "project/PredictionSet.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace ts::ui {

/// The texts of a run's result split with what the model predicted: filter by true and
/// predicted label or to the errors only, sort by confidence (or any column), open a text whole
/// (double-click or Return), export what is shown as CSV.
class PredictionBrowser : public QWidget
{
    Q_OBJECT

public:
    explicit PredictionBrowser(QWidget *parent = nullptr);

    /// Shows `set` with `texts` (one per prediction; "" when unknown).
    void setPredictions(const PredictionSet &set, const QStringList &texts);
    /// Filters: -1 for any label.
    void setFilter(int trueLabel, int predictedLabel, bool errorsOnly);
    /// Rows shown now.
    int shownCount() const;
    QTableWidget *table() const { return m_table; }
    /// Writes the rows shown to `path` (never over an existing file); false with `error`.
    bool exportCsv(const QString &path, QString *error = nullptr) const;

private:
    void refill();
    void openText(int row);
    void exportDialog();
    QList<int> shownIndices() const;

    PredictionSet m_set;
    QStringList m_texts;
    QLabel *m_caption = nullptr;
    QComboBox *m_trueLabel = nullptr;
    QComboBox *m_predicted = nullptr;
    QCheckBox *m_errorsOnly = nullptr;
    QPushButton *m_export = nullptr;
    QTableWidget *m_table = nullptr;
};

} // namespace ts::ui
