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

    /// The status as stored in the project file and printed by `runs --json` ("cancelled", ...).
    static QString statusName(Status status);
    /// The status as people read it, the same word in the project panel, the run monitor and the
    /// CLI's tables: "queued", "running", "paused" (running but held), "stopped" (cancelled: Resume
    /// continues it from its last checkpoint), "interrupted", "failed", "finished".
    static QString displayName(Status status, bool paused = false);
    /// One sentence on what the status means and what can be done, for the run monitor and tooltips:
    /// "Stopped: Resume continues from the last checkpoint." `error` is shown for a failed run.
    static QString describe(Status status, bool paused = false, const QString &error = QString());
    /// Parses a status name; false when `name` is not one.
    static bool parseStatus(const QString &name, Status *status);
};

} // namespace ts
