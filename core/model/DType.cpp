#include "model/DType.h"

#include <array>
#include <utility>

namespace ts {

namespace {

struct DTypeInfo
{
    DType dtype;
    const char *name;
    int size;
};

// Every supported dtype with its safetensors name and element size in bytes.
constexpr std::array<DTypeInfo, 10> kDTypes{{
    {DType::F32, "F32", 4},
    {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2},
    {DType::F64, "F64", 8},
    {DType::I64, "I64", 8},
    {DType::I32, "I32", 4},
    {DType::I16, "I16", 2},
    {DType::I8, "I8", 1},
    {DType::U8, "U8", 1},
    {DType::Bool, "BOOL", 1},
}};

const DTypeInfo &info(DType dtype)
{
    for (const DTypeInfo &entry : kDTypes) {
        if (entry.dtype == dtype)
            return entry;
    }
    return kDTypes.front();
}

} // namespace

QString dtypeName(DType dtype)
{
    return QString::fromLatin1(info(dtype).name);
}

std::optional<DType> dtypeFromName(const QString &name)
{
    for (const DTypeInfo &entry : kDTypes) {
        if (name == QLatin1String(entry.name))
            return entry.dtype;
    }
    return std::nullopt;
}

int dtypeSize(DType dtype)
{
    return info(dtype).size;
}

} // namespace ts
