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
