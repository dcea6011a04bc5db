#pragma once

#include "util/Result.h"

#include <QSqlDatabase>
#include <QStringList>

namespace ts {

/// What a finished run keeps besides its metrics and predictions (issue 15): its result weights
/// ("final", the default), those and the last step's when model selection chose earlier ones
/// ("best-and-final"), or no weights at all ("none"). Unfinished runs always keep their newest
/// checkpoint, for resume. A project stores its default in the meta table; each run records the
/// choice it was created with (TrainingConfig::keep).
class WeightRetention
{
public:
    static constexpr const char *kFinal = "final";
    static constexpr const char *kBestAndFinal = "best-and-final";
    static constexpr const char *kNone = "none";

    /// The choices, in the order the GUI and the CLI offer them.
    static QStringList choices();
    /// Whether `keep` is one of choices().
    static bool isChoice(const QString &keep);
    /// A choice in words, for the dialogs ("final weights", ...).
    static QString describe(const QString &keep);

    /// The project's default (kFinal when it never set one).
    static Result<QString> projectDefault(const QSqlDatabase &db);
    /// Makes `keep` the project's default; fails naming the allowed choices when it is not one.
    static Status setProjectDefault(QSqlDatabase db, const QString &keep);
};

} // namespace ts
