#include "train/TrainingProgress.h"

#include <algorithm>
#include <cmath>

namespace ts {

double TrainingProgress::fraction() const
{
    if (totalSteps <= 0)
        return 0.0;
    return std::clamp(double(step) / double(totalSteps), 0.0, 1.0);
}

QString TrainingProgress::formatDuration(double seconds)
{
    if (seconds < 0 || !std::isfinite(seconds))
        return {};
    const qint64 total = qint64(std::llround(seconds));
    const qint64 hours = total / 3600;
    const qint64 minutes = (total % 3600) / 60;
    const qint64 secs = total % 60;
    if (hours > 0)
        return QStringLiteral("%1 h %2 min").arg(hours).arg(minutes, 2, 10, QLatin1Char('0'));
    if (minutes > 0)
        return QStringLiteral("%1 min %2 s").arg(minutes).arg(secs, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 s").arg(secs);
}

QString TrainingProgress::formatBytes(qint64 bytes)
{
    if (bytes < 0)
        return {};
    constexpr double kMiB = 1024.0 * 1024.0;
    constexpr double kGiB = kMiB * 1024.0;
    if (bytes >= kGiB)
        return QStringLiteral("%1 GiB").arg(bytes / kGiB, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(qint64(std::llround(bytes / kMiB)));
}

} // namespace ts
