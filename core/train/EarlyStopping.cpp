#include "train/EarlyStopping.h"

namespace ts {

EarlyStopping::EarlyStopping(int patience, Goal goal, double minDelta)
    : m_patience(patience), m_goal(goal), m_minDelta(minDelta)
{
}

bool EarlyStopping::update(double value, long long step)
{
    const bool better = !m_hasBest || (m_goal == Goal::Maximize ? value > m_best + m_minDelta
                                                                 : value < m_best - m_minDelta);
    if (better) {
        m_hasBest = true;
        m_best = value;
        m_bestStep = step;
        m_stale = 0;
        return true;
    }
    ++m_stale;
    return false;
}

bool EarlyStopping::shouldStop() const
{
    return m_patience > 0 && m_stale >= m_patience;
}

void EarlyStopping::restore(double best, long long bestStep, int stale, bool hasBest)
{
    m_best = best;
    m_bestStep = bestStep;
    m_stale = stale;
    m_hasBest = hasBest;
}

} // namespace ts
