#pragma once

#include <QList>
#include <QString>
#include <QVariant>

namespace ts {

/// One setting of a transfer strategy, as the experiment dialog shows it and the CLI accepts it
/// (`--set name=value`).
struct StrategyOption
{
    enum class Kind { Integer, Real, Text, Choice, Flag };

    QString name;        // key in the run's config "options"
    QString label;       // short label for the form
    Kind kind = Kind::Real;
    QVariant defaultValue;
    double minimum = 0;  // Integer / Real
    double maximum = 0;
    QStringList choices; // Choice
    QString help;        // plain-words tooltip
};

/// A transfer strategy a user can pick: its name, a plain-words description and its settings.
struct StrategyInfo
{
    QString name;        // "source-only", "dann", ...
    QString title;       // "Source only (fine-tune)"
    QString description; // what it does and when it helps, for domain experts
    bool trains = true;  // false for zero-shot
    QList<StrategyOption> options;
};

/// The strategies Transfer Studio offers, in the order the GUI lists them. Torch-free: the GUI
/// and the CLI build their forms and flags from it; the engine builds strategies by name.
class StrategyCatalog
{
public:
    static const QList<StrategyInfo> &all();
    /// The strategy called `name`, or nullptr.
    static const StrategyInfo *find(const QString &name);
    /// The names, for messages ("use one of: ...").
    static QStringList names();
};

} // namespace ts
