#pragma once

#include <QList>

#include <vector>

namespace ts {

/// Accuracy and macro-averaged F1 of class predictions, accumulated batch by batch.
class ClassificationMetrics
{
public:
    explicit ClassificationMetrics(int numClasses);

    /// Adds one prediction; labels outside [0, numClasses) are ignored.
    void add(int predicted, int label);
    int count() const { return m_count; }
    /// Fraction of correct predictions (0 when empty).
    double accuracy() const;
    /// Unweighted mean over classes of F1 = 2PR/(P+R); a class that never occurs and is never
    /// predicted is left out of the mean (scikit-learn's "labels present" convention).
    double macroF1() const;

    /// The counts as numbers to add up over batches or processes: the texts counted, the correct
    /// ones, then per class the true positives, the predictions and the labels
    /// (totalsSize(numClasses) values).
    std::vector<double> totals() const;
    /// How many values totals() has.
    static int totalsSize(int numClasses) { return 2 + 3 * numClasses; }
    /// The metrics of `totals` (totals() of several added up), read from `offset` on.
    static ClassificationMetrics fromTotals(int numClasses, const std::vector<double> &totals, size_t offset = 0);

private:
    int m_classes;
    int m_count = 0;
    int m_correct = 0;
    QList<int> m_truePositives;
    QList<int> m_predicted;
    QList<int> m_actual;
};

} // namespace ts
