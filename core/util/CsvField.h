#pragma once

#include <QString>

namespace ts {

/// `text` as one RFC 4180 CSV field: quoted (inner quotes doubled) when it holds a comma, a quote
/// or a line break, as is otherwise. Every CSV the program writes goes through it.
QString csvField(const QString &text);

} // namespace ts
