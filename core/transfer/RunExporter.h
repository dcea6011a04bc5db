#pragma once

#include "util/Result.h"

#include <QString>

namespace ts {

/// Writes a trained run's model as a Hugging Face folder (config.json, model.safetensors and the
/// base model's tokenizer files) from the run's newest checkpoint, with the head its strategy's
/// descriptor names and what the strategy adds (TransferStrategy::exportExtras, e.g. an adapter in
/// PEFT's format). Torch-free header.
class RunExporter
{
public:
    static Status exportRun(const QString &projectPath, qint64 runId, const QString &outDir);
};

} // namespace ts
