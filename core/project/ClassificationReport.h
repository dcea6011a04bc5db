#pragma once

#include <QList>

namespace ts {

/// What a classifier's predictions on one split say: accuracy, macro-F1, per-class precision and
/// recall, the confusion matrix, expected calibration error and the majority-class baseline. Built
/// from stored predictions, so the CLI, the GUI and the demo show the same numbers. Torch-free.
class ClassificationReport
{
public:
    /// Bins of the expected calibration error (Guo et al. 2017 use 15).
    static constexpr int kCalibrationBins = 15;

    /// Per-class figures; precision and recall are 0 when undefined (nothing predicted / present).
    struct ClassFigures
    {
        double precision = 0.0;
        double recall = 0.0;
        double f1 = 0.0;
        int support = 0;   // texts whose true label is this class
        int predicted = 0; // texts predicted as this class
    };

    /// One reliability bin: texts whose confidence fell in it, their mean confidence and accuracy.
    struct CalibrationBin
    {
        int count = 0;
        double confidence = 0.0;
        double accuracy = 0.0;
    };

    explicit ClassificationReport(int numClasses);

    /// Adds one prediction: true class `label` (ignored when outside [0, classes)), `predicted`
    /// class and its probability `confidence` (0..1).
    void add(int label, int predicted, double confidence);

    int classes() const { return m_classes; }
    /// Labelled texts counted.
    int count() const { return m_count; }
    double accuracy() const;
    /// Unweighted mean of per-class F1 over the classes present in the labels or the predictions
    /// (scikit-learn's convention).
    double macroF1() const;
    /// Expected calibration error: sum over bins of |accuracy - confidence| x share of texts.
    double expectedCalibrationError() const;
    /// Accuracy of always answering the split's most frequent true class.
    double majorityAccuracy() const;
    /// Macro-F1 of that constant answer (the floor "learned nothing" is judged against).
    double majorityMacroF1() const;
    /// The split's most frequent true class (-1 when empty).
    int majorityClass() const;
    ClassFigures figures(int cls) const;
    /// confusion()[true][predicted] = count.
    const QList<QList<int>> &confusion() const { return m_confusion; }
    const QList<CalibrationBin> &calibration() const { return m_bins; }

private:
    static double f1(double precision, double recall);

    int m_classes;
    int m_count = 0;
    int m_correct = 0;
    QList<QList<int>> m_confusion;
    QList<CalibrationBin> m_bins; // sums while adding: confidence and accuracy are totals until read
    QList<double> m_binConfidence;
    QList<int> m_binCorrect;
};

} // namespace ts
