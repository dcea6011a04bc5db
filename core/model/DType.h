#pragma once

#include <QString>

#include <optional>

namespace ts {

/// Element types a safetensors file may hold (the subset Transfer Studio reads and writes).
enum class DType { F32, F16, BF16, F64, I64, I32, I16, I8, U8, Bool };

/// The safetensors spelling of `dtype` ("F32", "BF16", ...).
QString dtypeName(DType dtype);

/// Parses a safetensors dtype name; empty for names outside the supported set.
std::optional<DType> dtypeFromName(const QString &name);

/// Bytes per element of `dtype`.
int dtypeSize(DType dtype);

} // namespace ts
