#include "model/GenerationParams.h"

#include <cmath>

namespace ts {

Status GenerationParams::validate() const
{
    if (maxNewTokens < 1 || maxNewTokens > kMaxNewTokens)
        return Status::failure(QStringLiteral("max-new-tokens is %1; it must be from 1 to %2")
                                   .arg(maxNewTokens).arg(kMaxNewTokens));
    if (!std::isfinite(temperature) || temperature < 0 || temperature > kMaxTemperature)
        return Status::failure(QStringLiteral("temperature is %1; it must be from 0 (greedy) to %2")
                                   .arg(temperature).arg(kMaxTemperature));
    if (topK < 0)
        return Status::failure(QStringLiteral("top-k is %1; it must be 0 (every token) or more").arg(topK));
    if (!std::isfinite(topP) || topP <= 0 || topP > 1)
        return Status::failure(QStringLiteral("top-p is %1; it must be above 0 and at most 1 (every token)").arg(topP));
    return {};
}

} // namespace ts
