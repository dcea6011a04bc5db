#pragma once

// Helpers of the SIGKILL tests (tests/slow/tst_crash*, tests/gui/tst_crashgui): start the CLI, kill it after
// a delay drawn from a fixed-seed generator, and read the project back through connections of
// our own.

#include "project/Project.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStringList>
#include <QThread>
#include <QVariant>

namespace ts::test {

/// The seed of the kill delays: TS_CRASH_SEED in the environment, or `fallback`. Printed by the
/// tests so that a failing trial can be replayed.
inline quint32 crashSeed(quint32 fallback)
{
    bool ok = false;
    const quint32 seed = qEnvironmentVariable("TS_CRASH_SEED").toUInt(&ok);
    return ok ? seed : fallback;
}

/// How many kills a crash test aims for: TS_CRASH_KILLS in the environment (the on-demand
/// 100-kill mode: tests/reliability/run-kill-campaign.sh), or `fallback`.
inline int crashKills(int fallback)
{
    bool ok = false;
    const int kills = qEnvironmentVariable("TS_CRASH_KILLS").toInt(&ok);
    return ok && kills > 0 ? kills : fallback;
}

/// Copies a project (closed: the CLI that wrote it has exited) to `to`, replacing it.
inline bool copyProject(const QString &from, const QString &to)
{
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(to + QLatin1String(suffix));
    return QFile::copy(from, to);
}

/// Copies a closed project to p.tstudio in folder `folder`, which it creates; the copy's path, or
/// empty on failure.
inline QString copyIntoFolder(const QString &from, const QString &folder)
{
    const QString to = folder + QStringLiteral("/p.tstudio");
    return QDir().mkpath(folder) && copyProject(from, to) ? to : QString();
}

/// How one CLI process ended.
struct KillOutcome
{
    bool killed = false; // false: it had already exited when the delay was over
    int exitCode = -1;   // when not killed
    QString err;         // its stderr
};

/// Starts `program` (the CLI unless named) with `arguments` and `environment`, calls `beforeKill`
/// once `delayMs` have passed (to look at the project while the process still runs), then
/// SIGKILLs it (QProcess::kill).
template <typename BeforeKill>
KillOutcome runAndKill(const QStringList &arguments, int delayMs, BeforeKill beforeKill,
                       const QString &program = QStringLiteral(TS_CLI_PATH),
                       const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    KillOutcome outcome;
    if (!process.waitForStarted(30000))
        return outcome;
    const bool exited = process.waitForFinished(delayMs);
    if (!exited) {
        beforeKill();
        process.kill();
        process.waitForFinished(30000);
    }
    outcome.killed = !exited && process.exitStatus() == QProcess::CrashExit;
    outcome.exitCode = outcome.killed ? -1 : process.exitCode();
    outcome.err = QString::fromUtf8(process.readAllStandardError());
    return outcome;
}

/// The rows of `sql` on the project at `path`, each as its values joined by '\x1f', read through
/// a read-only connection of our own (the writer may be running). Empty on failure, with `error`.
inline QStringList readRows(const QString &path, const QString &sql, QString *error = nullptr)
{
    static int counter = 0;
    const QString name = QStringLiteral("crash-reader-%1").arg(++counter);
    QStringList rows;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=10000"));
        if (!db.open()) {
            if (error)
                *error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            if (!query.exec(sql) && error)
                *error = query.lastError().text();
            while (query.next()) {
                QStringList values;
                for (int i = 0; i < query.record().count(); ++i)
                    values << query.value(i).toString();
                rows << values.join(QLatin1Char('\x1f'));
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return rows;
}

/// Opens the project as the GUI and the CLI do (read-write: recovers its WAL after a crash) and
/// returns "ok" when it opens and SQLite's full integrity check passes, or what went wrong.
inline QString openAndCheck(const QString &path)
{
    auto project = Project::open(path);
    if (!project)
        return project.error();
    QSqlQuery query(project.value()->database());
    if (!query.exec(QStringLiteral("PRAGMA integrity_check")))
        return query.lastError().text();
    QStringList verdict;
    while (query.next())
        verdict << query.value(0).toString();
    return verdict.join(QLatin1Char('\n'));
}

} // namespace ts::test
