#pragma once
// The trials of a SIGKILL test (tests/slow/tst_crash*, tests/gui/tst_crashgui): kill delays drawn
// from a generator seeded by crashSeed(), until crashKills() kills have counted or four times as
// many trials have run (under load, start-up takes a larger share and more kills land before the
// work).

#include "CrashTrial.h"

#include <QRandomGenerator>

namespace ts::test {

class KillTrials
{
public:
    /// Prints the seed, so that a failing trial can be replayed.
    KillTrials(quint32 defaultSeed, int defaultKills)
        : m_seed(crashSeed(defaultSeed)), m_kills(crashKills(defaultKills)), m_delays(m_seed)
    {
        qInfo("kill delays drawn with seed %u (set TS_CRASH_SEED to replay)", m_seed);
    }

    /// The kills that must count.
    int kills() const { return m_kills; }
    /// Whether to run trial `trial` when `counted` kills have counted so far.
    bool goOn(int counted, int trial) const { return counted < m_kills && trial < 4 * m_kills; }
    /// The next delay, from 0 to `upToMs` milliseconds.
    int nextDelayMs(qint64 upToMs) { return int(m_delays.bounded(int(upToMs) + 1)); }

private:
    quint32 m_seed;
    int m_kills;
    QRandomGenerator m_delays;
};

} // namespace ts::test
