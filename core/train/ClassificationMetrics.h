#pragma once

#include <QList>

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

private:
    int m_classes;
    int m_count = 0;
    int m_correct = 0;
    QList<int> m_truePositives;
    QList<int> m_predicted;
    QList<int> m_actual;
};

} // namespace ts
