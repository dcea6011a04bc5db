#include "train/LearningRateSchedule.h"

#include <algorithm>
#include <cmath>

namespace ts {

LearningRateSchedule::LearningRateSchedule(double peak, qint64 totalSteps, qint64 warmupSteps, Decay decay,
                                           double minRatio)
    : m_peak(peak), m_total(std::max<qint64>(1, totalSteps)),
      m_warmup(std::clamp<qint64>(warmupSteps, 0, std::max<qint64>(1, totalSteps))), m_decay(decay),
      m_minRatio(std::clamp(minRatio, 0.0, 1.0))
{
}

double LearningRateSchedule::at(qint64 step) const
{
    if (step < m_warmup)
        return m_peak * double(step + 1) / double(m_warmup + 1);
    if (m_decay == Decay::Constant)
        return m_peak;
    const qint64 decaySteps = std::max<qint64>(1, m_total - m_warmup);
    const double progress = std::clamp(double(step - m_warmup) / double(decaySteps), 0.0, 1.0);
    const double factor = m_decay == Decay::Linear ? 1.0 - progress : 0.5 * (1.0 + std::cos(M_PI * progress));
    return m_peak * (m_minRatio + (1.0 - m_minRatio) * factor);
}

QString LearningRateSchedule::decayName(Decay decay)
{
    switch (decay) {
    case Decay::Linear:
        return QStringLiteral("linear");
    case Decay::Cosine:
        return QStringLiteral("cosine");
    case Decay::Constant:
        return QStringLiteral("constant");
    }
    return {};
}

bool LearningRateSchedule::parseDecay(const QString &name, Decay *decay)
{
    for (const Decay d : {Decay::Linear, Decay::Cosine, Decay::Constant}) {
        if (name == decayName(d)) {
            *decay = d;
            return true;
        }
    }
    return false;
}

} // namespace ts
