#include "train/ClassificationMetrics.h"

namespace ts {

ClassificationMetrics::ClassificationMetrics(int numClasses)
    : m_classes(numClasses), m_truePositives(numClasses, 0), m_predicted(numClasses, 0), m_actual(numClasses, 0)
{
}

void ClassificationMetrics::add(int predicted, int label)
{
    if (label < 0 || label >= m_classes)
        return;
    ++m_count;
    ++m_actual[label];
    if (predicted >= 0 && predicted < m_classes)
        ++m_predicted[predicted];
    if (predicted == label) {
        ++m_correct;
        ++m_truePositives[label];
    }
}

double ClassificationMetrics::accuracy() const
{
    return m_count == 0 ? 0.0 : double(m_correct) / double(m_count);
}

double ClassificationMetrics::macroF1() const
{
    double sum = 0.0;
    int classes = 0;
    for (int c = 0; c < m_classes; ++c) {
        if (m_actual[c] == 0 && m_predicted[c] == 0)
            continue;
        ++classes;
        // F1 = 2TP / (2TP + FP + FN) = 2TP / (predicted + actual); 0 when TP is 0.
        sum += 2.0 * m_truePositives[c] / double(m_predicted[c] + m_actual[c]);
    }
    return classes == 0 ? 0.0 : sum / classes;
}

std::vector<double> ClassificationMetrics::totals() const
{
    std::vector<double> values{double(m_count), double(m_correct)};
    for (const QList<int> *perClass : {&m_truePositives, &m_predicted, &m_actual}) {
        for (int n : *perClass)
            values.push_back(double(n));
    }
    return values;
}

ClassificationMetrics ClassificationMetrics::fromTotals(int numClasses, const std::vector<double> &totals, size_t offset)
{
    ClassificationMetrics metrics(numClasses);
    // Counts of texts: whole numbers, exact in a double.
    const auto at = [&](int i) { return int(totals.at(offset + size_t(i))); };
    metrics.m_count = at(0);
    metrics.m_correct = at(1);
    for (int c = 0; c < numClasses; ++c) {
        metrics.m_truePositives[c] = at(2 + c);
        metrics.m_predicted[c] = at(2 + numClasses + c);
        metrics.m_actual[c] = at(2 + 2 * numClasses + c);
    }
    return metrics;
}

} // namespace ts
