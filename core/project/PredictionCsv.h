#pragma once

#include "project/PredictionSet.h"
#include "util/Result.h"

#include <QStringList>

class QIODevice;

namespace ts {

/// Predictions as CSV (RFC 4180): `id`, `label` (the true one, when known), `predicted`,
/// `confidence`, one `p_<label>` column per class, `truncated`, and `text` when texts are given.
/// What `predict`, `predictions --csv` and the GUI's error browser write.
class PredictionCsv
{
public:
    /// Which rows to write.
    struct Options
    {
        QStringList ids;       // per prediction (line numbers, document ids); empty: 1, 2, ...
        QStringList texts;     // per prediction; empty: no text column
        bool onlyErrors = false; // only labelled texts predicted wrongly
    };

    /// Writes `set` to `device` (open for writing).
    static Status write(QIODevice &device, const PredictionSet &set, const Options &options);
    /// Writes `set` to a new file `path`, all or nothing; an existing file is refused unless `overwrite`.
    static Status save(const QString &path, const PredictionSet &set, const Options &options, bool overwrite);
};

} // namespace ts
