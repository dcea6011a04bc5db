#include "project/RunRecord.h"

#include <array>
#include <utility>

namespace ts {

namespace {
const std::array<std::pair<RunRecord::Status, const char *>, 6> kStatusNames = {{
    {RunRecord::Status::Queued, "queued"},
    {RunRecord::Status::Running, "running"},
    {RunRecord::Status::Finished, "finished"},
    {RunRecord::Status::Failed, "failed"},
    {RunRecord::Status::Cancelled, "cancelled"},
    {RunRecord::Status::Interrupted, "interrupted"},
}};
} // namespace

QString RunRecord::statusName(Status status)
{
    for (const auto &[value, name] : kStatusNames) {
        if (value == status)
            return QString::fromLatin1(name);
    }
    return {};
}

QString RunRecord::displayName(Status status, bool paused)
{
    switch (status) {
    case Status::Queued:
        return QStringLiteral("queued");
    case Status::Running:
        return paused ? QStringLiteral("paused") : QStringLiteral("running");
    case Status::Finished:
        return QStringLiteral("finished");
    case Status::Failed:
        return QStringLiteral("failed");
    case Status::Cancelled:
        return QStringLiteral("stopped");
    case Status::Interrupted:
        return QStringLiteral("interrupted");
    }
    return {};
}

QString RunRecord::describe(Status status, bool paused, const QString &error)
{
    switch (status) {
    case Status::Queued:
        return QStringLiteral("Queued: starts when the runs before it are done.");
    case Status::Running:
        return paused ? QStringLiteral("Paused after the current batch: Resume continues training.")
                      : QStringLiteral("Running.");
    case Status::Finished:
        return QStringLiteral("Finished.");
    case Status::Failed:
        return error.isEmpty() ? QStringLiteral("Failed.") : QStringLiteral("Failed: %1").arg(error);
    case Status::Cancelled:
        return QStringLiteral("Stopped: Resume continues it from its last checkpoint (from the start when it "
                              "stopped before its first).");
    case Status::Interrupted:
        return QStringLiteral("Interrupted: the program training it ended. Resume continues from the last "
                              "checkpoint.");
    }
    return {};
}

bool RunRecord::parseStatus(const QString &name, Status *status)
{
    for (const auto &[value, text] : kStatusNames) {
        if (name == QLatin1String(text)) {
            *status = value;
            return true;
        }
    }
    return false;
}

} // namespace ts
