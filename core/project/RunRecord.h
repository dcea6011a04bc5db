#pragma once

#include <QString>

namespace ts {

/// A run's row in the `runs` table.
struct RunRecord
{
    /// Life cycle: queued -> running -> finished | failed | cancelled | interrupted
    /// (interrupted: the process died while running; the run can resume from a checkpoint).
    enum class Status { Queued, Running, Finished, Failed, Cancelled, Interrupted };

    qint64 id = 0;
    QString name;
    QString strategy;          // "source-only", "dann", ... (see the transfer strategies)
    qint64 sourceCorpusId = 0; // 0: none
    qint64 targetCorpusId = 0;
    qint64 modelId = 0;
    qint64 groupId = 0;        // 0: not part of a group (seeds, label-budget sweep)
    QString configJson = QStringLiteral("{}");
    qint64 initSeed = 0;       // weight initialisation seed
    qint64 dataSeed = 0;       // data order / sampling seed (Dodge et al. 2020 keep them apart)
    QString device = QStringLiteral("cpu");
    Status status = Status::Queued;
    QString createdAt;         // ISO 8601, UTC
    QString startedAt;
    QString finishedAt;
    QString errorText;

    static QString statusName(Status status);
    /// Parses a status name; false when `name` is not one.
    static bool parseStatus(const QString &name, Status *status);
};

} // namespace ts
