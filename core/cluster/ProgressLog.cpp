#include "cluster/ProgressLog.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace ts {

namespace {

Status appendLines(const QString &path, const QByteArray &lines)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        return Status::failure(QStringLiteral("%1: cannot append progress: %2").arg(path, file.errorString()));
    // One write per call: lines of a call land together even on filesystems without locks.
    if (file.write(lines) != lines.size() || !file.flush())
        return Status::failure(QStringLiteral("%1: cannot append progress: %2").arg(path, file.errorString()));
    return {};
}

QByteArray line(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

QString ProgressLog::pathFromEnvironment()
{
    const QByteArray rank = qgetenv("TS_DIST_RANK");
    if (!rank.isEmpty() && rank != "0")
        return {};
    return QString::fromLocal8Bit(qgetenv(kEnvironmentVariable));
}

Status ProgressLog::appendProgress(const QString &path, qint64 run, const QString &phase, qint64 step, qint64 totalSteps,
                                   double epoch, double samplesPerSecond)
{
    return appendLines(path, line({{QStringLiteral("type"), QStringLiteral("progress")},
                                   {QStringLiteral("run"), run},
                                   {QStringLiteral("phase"), phase},
                                   {QStringLiteral("step"), step},
                                   {QStringLiteral("total_steps"), totalSteps},
                                   {QStringLiteral("epoch"), epoch},
                                   {QStringLiteral("samples_per_second"), samplesPerSecond}}));
}

Status ProgressLog::appendMetrics(const QString &path, const MetricPoints &points)
{
    QByteArray lines;
    for (const MetricPoint &p : points) {
        lines += line({{QStringLiteral("type"), QStringLiteral("metric")},
                       {QStringLiteral("run"), p.runId},
                       {QStringLiteral("step"), p.step},
                       {QStringLiteral("epoch"), p.epoch},
                       {QStringLiteral("split"), p.split},
                       {QStringLiteral("metric"), p.metric},
                       {QStringLiteral("value"), p.value}});
    }
    return lines.isEmpty() ? Status() : appendLines(path, lines);
}

Result<ProgressLog::Contents> ProgressLog::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<Contents>::failure(QStringLiteral("%1: cannot read progress: %2").arg(path, file.errorString()));
    const QByteArray data = file.readAll();
    Contents contents;
    // Only complete lines: the writer may be half-way through the last one.
    const qsizetype end = data.lastIndexOf('\n');
    for (const QByteArray &text : data.left(end + 1).split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(text).object();
        const QString type = o.value(QLatin1String("type")).toString();
        if (type == QLatin1String("metric")) {
            MetricPoint p;
            p.runId = o.value(QLatin1String("run")).toInteger();
            p.step = o.value(QLatin1String("step")).toInteger();
            p.epoch = o.value(QLatin1String("epoch")).toDouble();
            p.split = o.value(QLatin1String("split")).toString();
            p.metric = o.value(QLatin1String("metric")).toString();
            p.value = o.value(QLatin1String("value")).toDouble();
            contents.metrics.append(p);
        } else if (type == QLatin1String("progress")) {
            contents.run = o.value(QLatin1String("run")).toInteger();
            contents.phase = o.value(QLatin1String("phase")).toString();
            contents.step = o.value(QLatin1String("step")).toInteger();
            contents.totalSteps = o.value(QLatin1String("total_steps")).toInteger();
            contents.epoch = o.value(QLatin1String("epoch")).toDouble();
        }
    }
    return contents;
}

} // namespace ts
