#include "cluster/SlurmStateParser.h"

#include <QRegularExpression>

namespace ts {

namespace {

/// The task numbers of "4-7,9": 4, 5, 6, 7, 9 (empty when a part is not a number or range).
QList<int> expandRange(const QString &text)
{
    // A pending array's tasks may also carry a throttle ("0-15%4"): the limit is not a task.
    const QString list = text.section(QLatin1Char('%'), 0, 0);
    QList<int> tasks;
    for (const QString &part : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool firstOk = false;
        bool lastOk = false;
        const int first = part.section(QLatin1Char('-'), 0, 0).toInt(&firstOk);
        const int last = part.contains(QLatin1Char('-')) ? part.section(QLatin1Char('-'), 1, 1).toInt(&lastOk) : first;
        if (!firstOk || (part.contains(QLatin1Char('-')) && !lastOk) || last < first)
            return {};
        for (int task = first; task <= last; ++task)
            tasks.append(task);
    }
    return tasks;
}

} // namespace

QMap<QString, JobState> SlurmStateParser::parse(const QString &output)
{
    static const QRegularExpression range(QStringLiteral("^(\\d+)_\\[([^\\]]+)\\]$"));
    QMap<QString, JobState> states;
    for (const QString &line : output.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QStringList fields = line.trimmed().split(QLatin1Char('|'));
        if (fields.size() < 2 || fields.at(0).isEmpty())
            continue;
        const QString id = fields.at(0).trimmed();
        const JobState state = JobStates::fromSlurm(fields.at(1));
        if (const QRegularExpressionMatch m = range.match(id); m.hasMatch()) {
            for (const int task : expandRange(m.captured(2)))
                states.insert(QStringLiteral("%1_%2").arg(m.captured(1)).arg(task), state);
        } else {
            states.insert(id, state);
        }
    }
    return states;
}

} // namespace ts
