#pragma once
// Encodings in the shape of the Hugging Face fixtures (JSON arrays of ints), for the tokenizer
// parity tests.

#include "text/Encoding.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QList>

namespace ts::test {

/// The ints of JSON array `value`.
inline QList<int> intList(const QJsonValue &value)
{
    QList<int> out;
    for (const QJsonValue v : value.toArray())
        out.append(v.toInt());
    return out;
}

/// The offsets of `e` flattened to start, end, start, end, ... as the fixtures store them.
inline QList<int> flatOffsets(const Encoding &e)
{
    QList<int> out;
    for (const auto &o : e.offsets)
        out << o.first << o.second;
    return out;
}

} // namespace ts::test
