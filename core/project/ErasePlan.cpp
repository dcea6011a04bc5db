#include "project/ErasePlan.h"

#include <QStringList>

namespace ts {

QString ErasePlan::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Run:
        return QStringLiteral("run");
    case Kind::Group:
        return QStringLiteral("group");
    case Kind::Corpus:
        return QStringLiteral("corpus");
    case Kind::Model:
        return QStringLiteral("model");
    }
    return QString();
}

QString ErasePlan::describe() const
{
    const QString what = QStringLiteral("deleting %1").arg(name);
    if (kind == Kind::Run) {
        const QString run = QStringLiteral("%1 deletes its metrics, predictions and checkpoints").arg(what);
        // The last run of a group takes the group with it.
        return groups.isEmpty() ? run : QStringLiteral("%1, and group %2, which has no other run").arg(run).arg(groups.first());
    }
    if (runs.isEmpty())
        return QStringLiteral("%1 deletes no run").arg(what);
    QStringList ids;
    for (const qint64 run : runs)
        ids.append(QString::number(run));
    const QString count = runs.size() == 1 ? QStringLiteral("its 1 run") : QStringLiteral("its %1 runs").arg(runs.size());
    return QStringLiteral("%1 also deletes %2 (%3) with their metrics, predictions and checkpoints")
        .arg(what, count, ids.join(QStringLiteral(", ")));
}

} // namespace ts
