#pragma once

#include <QString>

namespace ts::ui {

/// "1 model" / "3 models": `one` when `n` is 1, otherwise `many` with `n` (in the user's locale)
/// for %1. The workbench has no translations, so Qt's "%n model(s)" would show the "(s)".
QString plural(qint64 n, const QString &one, const QString &many);

} // namespace ts::ui
