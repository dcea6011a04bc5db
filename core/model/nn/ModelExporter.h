#pragma once
// Includes torch: ui/ and the CLI must not include this header.

#include "model/nn/NamedTensors.h"
#include "model/nn/PretrainedModel.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QString>

namespace ts {

/// Writes a PretrainedModel as a Hugging Face folder (config.json + model.safetensors) that
/// transformers loads with the class named in "architectures". Tokenizer files are copied by the caller.
class ModelExporter
{
public:
    /// Creates `dir` if needed and writes config.json and model.safetensors into it.
    static Status exportFolder(const PretrainedModel &model, const QString &dir);

    /// The tensors under the names HF uses for the model's task class (base-model names, without
    /// prefix, for ModelTask::Embedding). Tied weights appear once.
    static NamedTensors exportTensors(const PretrainedModel &model);

    /// The original config.json with "architectures", the labels and "torch_dtype" updated.
    static QJsonObject exportConfig(const PretrainedModel &model);
};

} // namespace ts
