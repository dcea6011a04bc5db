#pragma once

#include "model/ModelConfig.h"

#include <QString>

namespace ts {

/// A base model registered in a project: a Hugging Face folder on disk (referenced by path) or a
/// built-in / saved model whose files live inside the project file.
struct ModelRecord
{
    enum class Kind { HuggingFace, Builtin };

    qint64 id = 0;
    QString name;
    Kind kind = Kind::HuggingFace;
    QString architecture;  // config.json model_type
    QString location;      // the folder (HuggingFace); empty for models stored in the project
    qint64 parameters = 0; // backbone parameters
    ModelConfig config;
    QString createdAt;
};

} // namespace ts
