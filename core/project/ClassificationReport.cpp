#include "project/ClassificationReport.h"

#include <algorithm>
#include <cmath>

namespace ts {

ClassificationReport::ClassificationReport(int numClasses)
    : m_classes(std::max(0, numClasses)), m_confusion(m_classes, QList<int>(m_classes, 0)), m_bins(kCalibrationBins),
      m_binConfidence(kCalibrationBins, 0.0), m_binCorrect(kCalibrationBins, 0)
{
}

void ClassificationReport::add(int label, int predicted, double confidence)
{
    if (label < 0 || label >= m_classes || predicted < 0 || predicted >= m_classes)
        return;
    ++m_count;
    ++m_confusion[label][predicted];
    const bool correct = label == predicted;
    m_correct += correct ? 1 : 0;
    // Bin b holds confidences in (b/15, (b+1)/15]; 0 goes to the first bin.
    const double c = std::clamp(std::isfinite(confidence) ? confidence : 0.0, 0.0, 1.0);
    const int bin = std::clamp(int(std::ceil(c * kCalibrationBins)) - 1, 0, kCalibrationBins - 1);
    ++m_bins[bin].count;
    m_binConfidence[bin] += c;
    m_binCorrect[bin] += correct ? 1 : 0;
    m_bins[bin].confidence = m_binConfidence[bin] / m_bins[bin].count;
    m_bins[bin].accuracy = double(m_binCorrect[bin]) / m_bins[bin].count;
}

double ClassificationReport::accuracy() const
{
    return m_count > 0 ? double(m_correct) / m_count : 0.0;
}

double ClassificationReport::f1(double precision, double recall)
{
    return precision + recall > 0 ? 2.0 * precision * recall / (precision + recall) : 0.0;
}

ClassificationReport::ClassFigures ClassificationReport::figures(int cls) const
{
    ClassFigures f;
    if (cls < 0 || cls >= m_classes)
        return f;
    for (int other = 0; other < m_classes; ++other) {
        f.support += m_confusion[cls][other];
        f.predicted += m_confusion[other][cls];
    }
    const int hits = m_confusion[cls][cls];
    f.precision = f.predicted > 0 ? double(hits) / f.predicted : 0.0;
    f.recall = f.support > 0 ? double(hits) / f.support : 0.0;
    f.f1 = f1(f.precision, f.recall);
    return f;
}

double ClassificationReport::macroF1() const
{
    double sum = 0.0;
    int present = 0;
    for (int c = 0; c < m_classes; ++c) {
        const ClassFigures f = figures(c);
        if (f.support == 0 && f.predicted == 0)
            continue;
        sum += f.f1;
        ++present;
    }
    return present > 0 ? sum / present : 0.0;
}

double ClassificationReport::expectedCalibrationError() const
{
    if (m_count == 0)
        return 0.0;
    double ece = 0.0;
    for (const CalibrationBin &b : m_bins)
        ece += std::abs(b.accuracy - b.confidence) * double(b.count) / m_count;
    return ece;
}

int ClassificationReport::majorityClass() const
{
    int best = -1;
    int bestSupport = 0;
    for (int c = 0; c < m_classes; ++c) {
        const int support = figures(c).support;
        if (support > bestSupport) {
            best = c;
            bestSupport = support;
        }
    }
    return best;
}

double ClassificationReport::majorityAccuracy() const
{
    const int majority = majorityClass();
    return majority >= 0 ? double(figures(majority).support) / m_count : 0.0;
}

double ClassificationReport::majorityMacroF1() const
{
    const int majority = majorityClass();
    if (majority < 0)
        return 0.0;
    // Every text predicted as the majority class: its precision is its share, its recall 1; the
    // other present classes score 0.
    int present = 0;
    for (int c = 0; c < m_classes; ++c)
        present += figures(c).support > 0 || c == majority ? 1 : 0;
    return f1(majorityAccuracy(), 1.0) / std::max(1, present);
}

} // namespace ts
