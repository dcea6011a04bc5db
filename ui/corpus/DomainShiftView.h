#pragma once

#include "corpus/DomainShiftReport.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace ts::ui {

class CategoryChart;
class WorkerThread;

/// Compares a source and a target corpus: how different their words are (Jensen-Shannon
/// divergence, vocabulary overlap, out-of-vocabulary rate), how easily a classifier tells them
/// apart (proxy A-distance), how finely a chosen model's tokenizer cuts each corpus's words
/// (sub-word fragmentation), and their label and length distributions side by side. The
/// analysis runs on a worker thread.
class DomainShiftView : public QWidget
{
    Q_OBJECT

public:
    /// Rows of the measures table, in order.
    enum Measure {
        DocumentsRow,
        VocabularyRow,
        MeanLengthRow,
        SharedVocabularyRow,
        JaccardRow,
        CoveredRow,
        OovRow,
        JensenShannonRow,
        ClassifierErrorRow,
        ProxyADistanceRow,
        TokensPerWordRow,
        SplitWordsRow,
        MeasureCount
    };

    /// Compares corpora of the project file `projectPath`; `corpora` fill the two pickers, the
    /// project's registered models the tokenizer picker.
    DomainShiftView(const QString &projectPath, const QStringList &corpora, QWidget *parent = nullptr);
    ~DomainShiftView() override;

    /// Picks the source and the target corpus (names from the list given).
    void setCorpora(const QString &source, const QString &target);
    /// Picks the model whose tokenizer measures fragmentation; an empty name measures none.
    void setModel(const QString &model);
    /// Starts the analysis of the picked corpora; does nothing while one runs.
    void compute();
    /// Whether an analysis is running.
    bool isComputing() const;

    QTableWidget *measures() const { return m_table; }
    CategoryChart *labelChart() const { return m_labels; }
    CategoryChart *lengthChart() const { return m_lengths; }

Q_SIGNALS:
    /// An analysis ended; `error` is empty on success.
    void computed(const QString &error);

private:
    QWidget *createPickers(const QStringList &corpora);
    QComboBox *createModelPicker(QWidget *parent);
    void showFragmentation(const ts::DomainShiftReport &report);
    void createTable();
    void updateButtons();
    void showReport(const ts::DomainShiftReport &report, const QString &error);
    void fitTableWidth();
    void setMeasure(int row, const QString &value);

    QString m_projectPath;
    QComboBox *m_source = nullptr;
    QComboBox *m_target = nullptr;
    QComboBox *m_model = nullptr; // item data: the model's name; empty for none
    QPushButton *m_compute = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_status = nullptr;
    QTableWidget *m_table = nullptr;
    QLabel *m_warnings = nullptr;
    CategoryChart *m_labels = nullptr;
    CategoryChart *m_lengths = nullptr;
    WorkerThread *m_worker = nullptr;
    bool m_computing = false;
};

} // namespace ts::ui
