#pragma once

#include "util/Result.h"

#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace ts {

/// One setting of a transfer strategy: its schema (type, default, range, help), as the experiment
/// dialog shows it, `strategies --json` lists it and `--set name=value` accepts it. Every front end
/// checks values through parse() and check(), so that NaN, infinities and out-of-range values are
/// refused the same way everywhere. Torch-free value type.
struct StrategyOption
{
    enum class Kind {
        Integer,
        Real,
        Text,
        Choice,
        Flag,
        Prompt,     // text with {text} and optionally {mask} (PromptTemplate)
        LabelWords, // "label=word,label=word" (Verbalizer; labels are checked against the corpus later)
    };

    QString name;            // key in the run's config "options"
    QString label;           // short label for the form
    Kind kind = Kind::Real;
    QJsonValue defaultValue; // a number, string or bool, by kind
    double minimum = 0;      // Integer / Real, inclusive
    double maximum = 0;
    QStringList choices;     // Choice
    QString help;            // plain-words tooltip

    /// Reads `text` (the VALUE of --set KEY=VALUE) as this option's type: numbers must be finite and
    /// within the range (whole for Integer), flags one of true/false/1/0/yes/no, choices one of the
    /// choices, prompts and label words well-formed (PromptTemplate, Verbalizer). The error names the option, the value and what is allowed.
    Result<QJsonValue> parse(const QString &text) const;

    /// Checks a value as stored in a run's config (the same rules as parse()).
    Status check(const QJsonValue &value) const;

    /// What values are allowed, in words: "a whole number from 1 to 1024", "true or false", ...
    QString allowed() const;

    /// The kind as `strategies --json` names it: "integer", "real", "text", "choice", "flag",
    /// "prompt", "label_words".
    QString kindName() const;

    /// The default as text, as `--set` would take it.
    QString defaultText() const;
};

} // namespace ts
