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
    /// Exports run `runId` of the project at `projectPath` to the folder `outDir`. Everything is
    /// written into a temporary folder beside `outDir`, which takes its place only when complete,
    /// so a failure (a full disk) leaves `outDir` as it was. A non-empty `outDir` is refused
    /// unless `replace` is true; it is then replaced as a whole.
    static Status exportRun(const QString &projectPath, qint64 runId, const QString &outDir, bool replace = false);

private:
    static Status writeFolder(const QString &projectPath, qint64 runId, const QString &outDir);
    static Status moveIntoPlace(const QString &written, const QString &outDir);
};

} // namespace ts
