#pragma once

#include <QString>

namespace ts {

/// Learning rate over optimiser steps: linear warm-up from 0 to the peak, then linear or
/// cosine decay to `minRatio` x peak at the last step (the schedules of BERT and ULMFiT-style
/// fine-tuning, Hugging Face's get_linear/cosine_schedule_with_warmup).
class LearningRateSchedule
{
public:
    enum class Decay { Linear, Cosine, Constant };

    /// `totalSteps` >= 1; `warmupSteps` in [0, totalSteps].
    LearningRateSchedule(double peak, qint64 totalSteps, qint64 warmupSteps, Decay decay = Decay::Linear,
                         double minRatio = 0.0);

    /// The learning rate for the update made at `step` (0-based).
    double at(qint64 step) const;

    double peak() const { return m_peak; }
    qint64 totalSteps() const { return m_total; }

    /// "linear", "cosine", "constant".
    static QString decayName(Decay decay);
    /// Parses a decay name; false when unknown.
    static bool parseDecay(const QString &name, Decay *decay);

private:
    double m_peak;
    qint64 m_total;
    qint64 m_warmup;
    Decay m_decay;
    double m_minRatio;
};

} // namespace ts
