#pragma once
// Includes torch: ui/ and the CLI must not include this header.

#include "model/nn/NamedTensors.h"
#include "util/Result.h"

#include <QMap>
#include <QString>

namespace ts {

/// Writes any named tensor map as a safetensors file that Hugging Face's `safetensors` loads: a
/// little-endian u64 header length, a JSON header padded to 8 bytes, then each tensor's bytes in name
/// order. Used for model export and (later) LoRA adapters. The file is replaced atomically.
class SafeTensorsWriter
{
public:
    /// Writes `tensors` (any device, contiguous or not) to `path`; `metadata` goes into __metadata__,
    /// with "format": "pt" added unless given (transformers requires it).
    static Status write(const QString &path, const NamedTensors &tensors, QMap<QString, QString> metadata = {});
    /// The same file image in memory (a checkpoint blob); `what` names it in errors.
    static Result<QByteArray> toBytes(const QString &what, const NamedTensors &tensors,
                                      QMap<QString, QString> metadata = {});

private:
    /// The 8-byte length and the padded JSON header; `contiguous` receives the CPU tensors in file order.
    static Result<QByteArray> header(const QString &what, const NamedTensors &tensors, QMap<QString, QString> metadata,
                                     std::vector<torch::Tensor> &contiguous);
};

} // namespace ts
