#include "train/RunControl.h"

namespace ts {

namespace {
// How often a paused worker re-checks for a cancel made without waking it (from a signal
// handler, which must not touch the mutex), in milliseconds.
constexpr unsigned long kPausePollMs = 200;
} // namespace

void RunControl::requestCancel()
{
    m_cancel.store(true);
}

void RunControl::requestPause()
{
    m_pause.store(true);
}

void RunControl::resume()
{
    QMutexLocker lock(&m_mutex);
    m_pause.store(false);
    m_resumed.wakeAll();
}

bool RunControl::proceed()
{
    if (m_pause.load()) {
        QMutexLocker lock(&m_mutex);
        while (m_pause.load() && !m_cancel.load())
            m_resumed.wait(&m_mutex, kPausePollMs);
    }
    return !m_cancel.load();
}

} // namespace ts
