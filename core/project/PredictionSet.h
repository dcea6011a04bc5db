#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace ts {

/// One text's prediction: its true class, the predicted one and every class's probability.
struct Prediction
{
    qint64 documentId = 0;     // the project document (0: a text from a file, see `ordinal`)
    int label = -1;            // true class index; -1: none or a label the classifier does not know
    int predicted = -1;        // class index with the highest probability
    QList<float> probabilities; // one per class, summing to 1
    bool truncated = false;    // the text was longer than the run's maximum length and was cut

    /// Probability of the predicted class.
    float confidence() const { return predicted >= 0 && predicted < probabilities.size() ? probabilities[predicted] : 0.f; }
};

/// A run's predictions on one split at the end of training: every text of the split, in the
/// order they were evaluated. A plain value, safe to pass between threads.
struct PredictionSet
{
    QString split;        // RunVocabulary's Splits, e.g. "target/test"
    qint64 step = 0;      // global step of the model that predicted
    QStringList classes;  // class index -> label
    int available = 0;    // texts the split has (examples() equals it for final evaluations)
    QList<Prediction> predictions;

    int examples() const { return int(predictions.size()); }
};

} // namespace ts
