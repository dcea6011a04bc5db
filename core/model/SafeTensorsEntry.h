#pragma once

#include "model/DType.h"

#include <QString>
#include <QVector>

namespace ts {

/// One tensor described by a safetensors header.
struct SafeTensorsEntry
{
    QString name;          // tensor name, e.g. "bert.encoder.layer.0.attention.self.query.weight"
    DType dtype = DType::F32;
    QVector<qint64> shape; // dimensions, outermost first; empty for a scalar
    qint64 begin = 0;      // first byte, relative to the start of the data section
    qint64 end = 0;        // one past the last byte

    /// Number of elements (product of the shape; 1 for a scalar).
    qint64 elementCount() const
    {
        qint64 count = 1;
        for (qint64 dim : shape)
            count *= dim;
        return count;
    }
};

} // namespace ts
