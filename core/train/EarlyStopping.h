#pragma once

namespace ts {

/// Stops training when a monitored value has not improved for `patience` evaluations.
class EarlyStopping
{
public:
    enum class Goal { Maximize, Minimize };

    /// `patience` <= 0 disables stopping (the best value is still tracked).
    EarlyStopping(int patience, Goal goal, double minDelta = 0.0);

    /// Records an evaluation at `step`; returns true when it is a new best.
    bool update(double value, long long step);
    /// True once `patience` evaluations in a row brought no improvement.
    bool shouldStop() const;
    bool hasBest() const { return m_hasBest; }
    double best() const { return m_best; }
    long long bestStep() const { return m_bestStep; }
    int evaluationsWithoutImprovement() const { return m_stale; }

    /// Restores the state saved with a checkpoint.
    void restore(double best, long long bestStep, int stale, bool hasBest);

private:
    int m_patience;
    Goal m_goal;
    double m_minDelta;
    bool m_hasBest = false;
    double m_best = 0.0;
    long long m_bestStep = -1;
    int m_stale = 0;
};

} // namespace ts
