#include "train/MetricSink.h"

#include "project/RunStore.h"

#include <QDateTime>

namespace ts {

MetricSink::MetricSink(QSqlDatabase db, qint64 runId, const TrainingCallbacks &callbacks, Mode mode)
    : m_db(std::move(db)), m_runId(runId), m_callbacks(callbacks), m_mode(mode)
{
}

Status MetricSink::add(qint64 step, double epoch, const QString &split, const QString &metric, double value)
{
    if (m_mode == Mode::Discard)
        return {};
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    m_pending.append({m_runId, step, epoch, split, metric, value, now});
    if (m_pending.size() >= kFlushThreshold || now - m_pending.first().time >= kFlushSeconds)
        return flush();
    return {};
}

Status MetricSink::flush()
{
    if (m_pending.isEmpty())
        return {};
    if (const Status s = RunStore(m_db).appendMetrics(m_pending); !s)
        return s;
    if (m_callbacks.metrics)
        m_callbacks.metrics(m_pending);
    m_pending.clear();
    return {};
}

} // namespace ts
