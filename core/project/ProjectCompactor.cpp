#include "project/ProjectCompactor.h"

#include "project/Project.h"
#include "project/SchemaMigrator.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

#include <sqlite3.h>

#include <atomic>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace ts {

namespace {

// SQLite virtual-machine instructions between two calls of the progress handler: few, since copying
// one large stored value (a checkpoint chunk) takes only a handful of them.
constexpr int kProgressInstructions = 16;
// How often the copy's size is reported, in milliseconds.
constexpr int kProgressIntervalMs = 100;

QString nextConnectionName()
{
    static std::atomic<quint64> counter{0};
    return QStringLiteral("ts-compact-%1").arg(++counter);
}

/// A connection that is closed and removed when it goes out of scope.
class Connection
{
public:
    Connection(const QString &path, const QString &options) : m_name(nextConnectionName())
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(options);
        if (!db.open())
            m_error = db.lastError().text();
    }
    ~Connection()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    QString error() const { return m_error; }

private:
    QString m_name;
    QString m_error;
};

Result<QString> text(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return Result<QString>::failure(QStringLiteral("%1: %2").arg(sql, q.lastError().text()));
    return q.value(0).toString();
}

/// Table name -> row count, for comparing the copy with the original.
Result<QList<QPair<QString, qint64>>> rowCounts(const QSqlDatabase &db)
{
    using R = Result<QList<QPair<QString, qint64>>>;
    QSqlQuery tables(db);
    if (!tables.exec(QStringLiteral("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                    "ORDER BY name")))
        return R::failure(tables.lastError().text());
    QList<QPair<QString, qint64>> counts;
    while (tables.next()) {
        const QString table = tables.value(0).toString();
        const Result<QString> n = text(db, QStringLiteral("SELECT count(*) FROM \"%1\"").arg(table));
        if (!n)
            return R::failure(n.error());
        counts.append({table, n.value().toLongLong()});
    }
    return counts;
}

struct ProgressState
{
    const CompactParams *params = nullptr;
    QString copy;
    qint64 expected = 0;
    QElapsedTimer sinceReport;
    bool cancelled = false;
};

int onProgress(void *context)
{
    auto *state = static_cast<ProgressState *>(context);
    if (state->params->cancelled && state->params->cancelled()) {
        state->cancelled = true;
        return 1; // interrupts VACUUM INTO
    }
    if (state->params->progress && state->sinceReport.elapsed() >= kProgressIntervalMs) {
        state->params->progress(QFileInfo(state->copy).size(), state->expected);
        state->sinceReport.restart();
    }
    return 0;
}

/// Flushes `path` (a file or a folder) to the disk.
bool syncToDisk(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

/// Checks the copy against the original: integrity, schema version, every table's row count.
Status verify(QSqlDatabase &original, const QString &copyPath)
{
    const Connection copy(copyPath, QStringLiteral("QSQLITE_OPEN_READONLY"));
    if (!copy.error().isEmpty())
        return Status::failure(QStringLiteral("cannot read the compacted copy %1: %2").arg(copyPath, copy.error()));
    const Result<QString> integrity = text(copy.db(), QStringLiteral("PRAGMA integrity_check"));
    if (!integrity || integrity.value() != QLatin1String("ok"))
        return Status::failure(QStringLiteral("the compacted copy failed SQLite's integrity check (%1)")
                                   .arg(integrity ? integrity.value() : integrity.error()));
    QSqlDatabase copied = copy.db();
    const Result<int> version = SchemaMigrator::storedVersion(copied);
    const Result<int> expectedVersion = SchemaMigrator::storedVersion(original);
    if (!version || !expectedVersion || version.value() != expectedVersion.value())
        return Status::failure(QStringLiteral("the compacted copy has another schema version than the project"));
    const auto copiedRows = rowCounts(copied);
    const auto keptRows = rowCounts(original);
    if (!copiedRows || !keptRows)
        return Status::failure(copiedRows ? keptRows.error() : copiedRows.error());
    if (copiedRows.value() != keptRows.value())
        return Status::failure(QStringLiteral("the compacted copy's row counts differ from the project's"));
    return {};
}

} // namespace

QString ProjectCompactor::copyPath(const QString &path)
{
    return path + QStringLiteral(".compacting");
}

Result<CompactReport> ProjectCompactor::compact(const QString &path, const CompactParams &params)
{
    using R = Result<CompactReport>;
    {
        // Checks the file and upgrades an older format, as every writer does.
        const auto project = Project::open(path);
        if (!project)
            return R::failure(project.error());
    }
    CompactReport report;
    report.before = QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size();

    // Exclusive locking: holding the lock until closed, and refused while anyone has the file open
    // (in WAL mode every open connection holds a shared lock on it).
    const Connection owner(path, QStringLiteral("QSQLITE_BUSY_TIMEOUT=0"));
    if (!owner.error().isEmpty())
        return R::failure(QStringLiteral("cannot open %1: %2").arg(path, owner.error()));
    QSqlDatabase db = owner.db();
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA locking_mode = EXCLUSIVE")) || !q.exec(QStringLiteral("BEGIN EXCLUSIVE"))
        || !q.exec(QStringLiteral("COMMIT")))
        return R::failure(QStringLiteral("%1 is open in another program (the workbench, a run or another command); "
                                         "close it there and compact again")
                              .arg(path));
    // Out of WAL: the journal is folded into the file and removed, so that nothing beside the file
    // belongs to the old one when the copy replaces it.
    const Result<QString> mode = text(db, QStringLiteral("PRAGMA journal_mode = DELETE"));
    if (!mode || mode.value() != QLatin1String("delete"))
        return R::failure(QStringLiteral("cannot fold %1's journal into it: %2").arg(path, mode ? mode.value() : mode.error()));

    const QString copy = copyPath(path);
    QFile::remove(copy);
    const Result<QString> pages = text(db, QStringLiteral("SELECT (SELECT page_count FROM pragma_page_count()) - "
                                                          "(SELECT freelist_count FROM pragma_freelist_count())"));
    const Result<QString> pageSize = text(db, QStringLiteral("PRAGMA page_size"));
    ProgressState state;
    state.params = &params;
    state.copy = copy;
    state.expected = pages && pageSize ? pages.value().toLongLong() * pageSize.value().toLongLong() : 0;
    state.sinceReport.start();
    sqlite3 *handle = *static_cast<sqlite3 *const *>(db.driver()->handle().constData());
    sqlite3_progress_handler(handle, kProgressInstructions, &onProgress, &state);
    QSqlQuery vacuum(db);
    vacuum.prepare(QStringLiteral("VACUUM INTO ?"));
    vacuum.addBindValue(copy);
    const bool copied = vacuum.exec();
    sqlite3_progress_handler(handle, 0, nullptr, nullptr);
    if (!copied) {
        QFile::remove(copy);
        if (state.cancelled)
            return R::failure(QStringLiteral("compaction cancelled; %1 is unchanged").arg(path));
        return R::failure(QStringLiteral("cannot write the compacted copy %1 (%2); %3 is unchanged: free some disk "
                                         "space beside it and compact again")
                              .arg(copy, vacuum.lastError().text(), path));
    }
    if (params.progress)
        params.progress(QFileInfo(copy).size(), state.expected);
    if (const Status checked = verify(db, copy); !checked) {
        QFile::remove(copy);
        return R::failure(QStringLiteral("%1; %2 is unchanged").arg(checked.error(), path));
    }
    // The copy replaces the project with the project's permissions, not the umask's.
    QFile::setPermissions(copy, QFile::permissions(path));
    if (!syncToDisk(copy) || std::rename(QFile::encodeName(copy).constData(), QFile::encodeName(path).constData()) != 0) {
        QFile::remove(copy);
        return R::failure(QStringLiteral("cannot replace %1 with its compacted copy; it is unchanged").arg(path));
    }
    syncToDisk(QFileInfo(path).absolutePath());
    report.after = QFileInfo(path).size();
    return report;
}

} // namespace ts
