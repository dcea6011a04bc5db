#pragma once

#include "project/RunSummary.h"

#include <QWidget>

class QCPTextElement;
class QCustomPlot;
class QLabel;
class QPushButton;
class QTableWidget;

namespace ts::ui {

/// A run's result as RunSummary defines it: both domains' split, number of texts, accuracy,
/// macro-F1, calibration error and majority baseline, the gap, the source-only baseline (or a
/// button that adds it), warnings, each domain's confusion matrix with per-class precision and
/// recall, and the target's reliability diagram.
class RunResultsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit RunResultsPanel(QWidget *parent = nullptr);

    /// Shows `summary` (a run without results shows why there are none).
    void setSummary(const RunSummary &summary);
    const RunSummary &summary() const { return m_summary; }

    QTableWidget *resultsTable() const { return m_results; }
    QTableWidget *confusionTable(Domain domain) const;
    QLabel *warningLabel() const { return m_warnings; }

Q_SIGNALS:
    /// The user asks for a source-only run with this run's settings.
    void baselineRequested(qint64 runId);

protected:
    void changeEvent(QEvent *event) override;

private:
    void fillResults();
    void fillConfusion(QTableWidget *table, QLabel *caption, const DomainResult &result);
    void fillReliability();
    void applyPalette();

    RunSummary m_summary;
    QLabel *m_headline = nullptr;
    QLabel *m_warnings = nullptr;
    QLabel *m_baseline = nullptr;
    QPushButton *m_addBaseline = nullptr;
    QTableWidget *m_results = nullptr;
    QLabel *m_sourceCaption = nullptr;
    QLabel *m_targetCaption = nullptr;
    QTableWidget *m_sourceConfusion = nullptr;
    QTableWidget *m_targetConfusion = nullptr;
    QCustomPlot *m_reliability = nullptr;
    QCPTextElement *m_reliabilityTitle = nullptr;
};

} // namespace ts::ui
