#include "project/Project.h"

#include "project/ProjectError.h"
#include "project/SchemaMigrator.h"
#include "project/WriteTransaction.h"
#include "util/UserFile.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

#include <atomic>

namespace ts {

namespace {

// Bytes 0..15 of every SQLite 3 database file.
constexpr char kSqliteMagic[] = "SQLite format 3";
// SQLite's header is 100 bytes; `PRAGMA application_id` is stored big-endian at offset 68.
constexpr int kSqliteHeaderBytes = 100;
constexpr int kApplicationIdOffset = 68;
// "TSTD": marks a file as a Transfer Studio project (SQLite's application_id).
constexpr quint32 kApplicationId = 0x54535444;
// How long a connection waits for another writer before giving up, in milliseconds.
constexpr int kBusyTimeoutMs = 10000;

QString nextConnectionName()
{
    static std::atomic<quint64> counter{0};
    return QStringLiteral("ts-project-%1").arg(++counter);
}

void dropConnection(const QString &name)
{
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

Status execPragma(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        return Status::failure(query.lastError().text());
    return {};
}

} // namespace

Project::Project(QString path, QString connectionName, Access access)
    : m_path(std::move(path)), m_connectionName(std::move(connectionName)), m_access(access)
{
}

Project::~Project()
{
    dropConnection(m_connectionName);
}

QSqlDatabase Project::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

Result<std::unique_ptr<Project>> Project::create(const QString &path)
{
    using R = Result<std::unique_ptr<Project>>;
    if (QFileInfo::exists(path))
        return R::failure(QStringLiteral("%1 already exists; choose another name or open it").arg(path));

    const QString name = nextConnectionName();
    Status status;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
        if (!db.open()) {
            status = Status::failure(db.lastError().text());
        } else {
            status = execPragma(db, QStringLiteral("PRAGMA application_id = %1").arg(kApplicationId));
            if (status)
                status = configure(db, Access::ReadWrite);
            if (status)
                status = SchemaMigrator::migrate(db, 0);
        }
    }
    if (!status) {
        dropConnection(name);
        for (const char *suffix : {"", "-wal", "-shm", "-journal"})
            QFile::remove(path + QLatin1String(suffix));
        return R::failure(QStringLiteral("cannot create %1: %2").arg(path, status.error()));
    }
    return std::unique_ptr<Project>(new Project(path, name, Access::ReadWrite));
}

Result<std::unique_ptr<Project>> Project::open(const QString &path, Access access)
{
    using R = Result<std::unique_ptr<Project>>;
    if (const Status header = checkHeader(path); !header)
        return R::failure(header.error());
    if (access == Access::ReadWrite) {
        if (const Status writable = checkWritable(path); !writable)
            return R::failure(writable.error());
    }

    // Inspect through a read-only connection first, so that nothing is written to a file that
    // turns out to be damaged or from a newer version.
    const Result<QString> inspector = openConnection(path, Access::ReadOnly);
    if (!inspector)
        return R::failure(inspector.error());
    int version = 0;
    Status status;
    {
        QSqlDatabase db = QSqlDatabase::database(inspector.value(), false);
        status = validate(db, path);
        if (status)
            version = SchemaMigrator::storedVersion(db).value();
        if (status && access == Access::ReadOnly) {
            if (version < SchemaMigrator::kCurrentVersion) {
                status = Status::failure(QStringLiteral("%1 uses the older project format %2; open it once for "
                                                        "writing to upgrade it to format %3")
                                             .arg(path)
                                             .arg(version)
                                             .arg(SchemaMigrator::kCurrentVersion));
            } else if (const Status s = configure(db, Access::ReadOnly); !s) {
                status = Status::failure(QStringLiteral("cannot open %1: %2").arg(path, s.error()));
            }
        }
    }
    if (!status || access == Access::ReadOnly) {
        if (!status) {
            dropConnection(inspector.value());
            return R::failure(status.error());
        }
        return std::unique_ptr<Project>(new Project(path, inspector.value(), Access::ReadOnly));
    }
    dropConnection(inspector.value());

    const Result<QString> writer = openConnection(path, Access::ReadWrite);
    if (!writer)
        return R::failure(writer.error());
    {
        // Upgrade before switching to WAL: a failed upgrade then leaves every byte as it was.
        QSqlDatabase db = QSqlDatabase::database(writer.value(), false);
        status = execPragma(db, QStringLiteral("PRAGMA foreign_keys = ON"));
        if (status)
            status = SchemaMigrator::migrate(db, version);
        if (status)
            status = configure(db, Access::ReadWrite);
    }
    if (!status) {
        dropConnection(writer.value());
        return R::failure(ProjectError::explain(QStringLiteral("cannot open %1: %2").arg(path, status.error()), path));
    }
    return std::unique_ptr<Project>(new Project(path, writer.value(), Access::ReadWrite));
}

Status Project::checkHeader(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return Status::failure(QStringLiteral("%1: no such file").arg(path));
    const Result<int> fd = UserFile::openRegular(path);
    if (!fd)
        return Status::failure(fd.error());
    if (!file.open(fd.value(), QIODevice::ReadOnly, QFileDevice::AutoCloseHandle))
        return Status::failure(QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
    // SQLite keeps its journal beside the project in files with these suffixes; anything else
    // there (a folder, a FIFO) would make SQLite fail with a message that reads like damage.
    for (const char *suffix : {"-wal", "-shm", "-journal"}) {
        const QString journal = path + QLatin1String(suffix);
        if (const QString kind = UserFile::kindOf(journal); !kind.isEmpty())
            return Status::failure(QStringLiteral("%1 is %2, where SQLite keeps the project's journal file; the "
                                                  "project is not damaged: move %1 away and open it again")
                                       .arg(journal, kind));
    }
    const QByteArray header = file.read(kSqliteHeaderBytes);
    if (header.size() < kSqliteHeaderBytes || !header.startsWith(QByteArray(kSqliteMagic, sizeof kSqliteMagic)))
        return Status::failure(QStringLiteral("%1 is not a Transfer Studio project (not an SQLite database)").arg(path));
    const auto *bytes = reinterpret_cast<const uchar *>(header.constData()) + kApplicationIdOffset;
    const quint32 applicationId = (quint32(bytes[0]) << 24) | (quint32(bytes[1]) << 16) | (quint32(bytes[2]) << 8) | bytes[3];
    if (applicationId != kApplicationId)
        return Status::failure(QStringLiteral("%1 is an SQLite database but not a Transfer Studio project").arg(path));
    return {};
}

Status Project::checkWritable(const QString &path)
{
    const QFileInfo file(path);
    if (!file.isWritable())
        return Status::failure(ProjectError::readOnly(path, QStringLiteral("you have no permission to change the file")));
    // WAL mode keeps PATH-wal and PATH-shm beside the project while it is open for writing.
    if (!QFileInfo(file.absolutePath()).isWritable())
        return Status::failure(ProjectError::readOnly(
            path, QStringLiteral("you have no permission to create files in its folder %1, where its journal is kept")
                      .arg(file.absolutePath())));
    return {};
}

Result<QString> Project::openConnection(const QString &path, Access access)
{
    const QString name = nextConnectionName();
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs);
        if (access == Access::ReadOnly)
            options += QStringLiteral(";QSQLITE_OPEN_READONLY");
        // A reader of a WAL project needs PATH-shm beside it. Where nobody can create it (a folder
        // the user may not write: a read-only share) and no writer left a journal, the file can
        // only be as it is: read it as immutable.
        if (access == Access::ReadOnly && !QFileInfo(QFileInfo(path).absolutePath()).isWritable()
            && !QFileInfo::exists(path + QStringLiteral("-wal"))) {
            db.setDatabaseName(QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()).toString(QUrl::FullyEncoded)
                               + QStringLiteral("?immutable=1"));
            options += QStringLiteral(";QSQLITE_OPEN_URI");
        }
        db.setConnectOptions(options);
        if (!db.open())
            error = db.lastError().text();
    }
    if (!error.isEmpty()) {
        dropConnection(name);
        return Result<QString>::failure(QStringLiteral("cannot open %1: %2").arg(path, error));
    }
    return name;
}

Status Project::validate(QSqlDatabase &db, const QString &path)
{
    const auto damaged = [&](const QString &detail) {
        // A file that cannot be read for another reason (locked, unreadable journal) is not damaged.
        if (ProjectError::classify(detail) != ProjectError::Kind::Other)
            return Status::failure(ProjectError::explain(detail, path));
        return Status::failure(QStringLiteral("%1 is damaged and cannot be opened (%2)").arg(path, detail));
    };
    QSqlQuery check(db);
    if (!check.exec(QStringLiteral("PRAGMA quick_check(1)")))
        return damaged(check.lastError().text());
    if (!check.next())
        return damaged(QStringLiteral("the integrity check returned nothing"));
    if (const QString verdict = check.value(0).toString(); verdict != QLatin1String("ok"))
        return damaged(verdict);
    check.finish();

    const Result<int> version = SchemaMigrator::storedVersion(db);
    if (!version)
        return damaged(version.error());
    if (version.value() > SchemaMigrator::kCurrentVersion) {
        return Status::failure(QStringLiteral("%1 was written by a newer Transfer Studio (project format %2; this "
                                              "version reads formats up to %3); update Transfer Studio to open it")
                                   .arg(path)
                                   .arg(version.value())
                                   .arg(SchemaMigrator::kCurrentVersion));
    }
    return {};
}

Status Project::configure(QSqlDatabase &db, Access access)
{
    if (const Status s = execPragma(db, QStringLiteral("PRAGMA foreign_keys = ON")); !s)
        return s;
    if (access == Access::ReadOnly)
        return {};
    // WAL: readers (GUI, CLI) keep reading while a training worker writes metrics.
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !query.next())
        return Status::failure(query.lastError().text());
    if (query.value(0).toString() != QLatin1String("wal"))
        return Status::failure(QStringLiteral("the file system does not support SQLite's WAL journal"));
    return execPragma(db, QStringLiteral("PRAGMA synchronous = NORMAL"));
}

Result<ProjectSummary> Project::summary() const
{
    QSqlDatabase db = database();
    ProjectSummary summary;
    summary.path = m_path;
    const Result<int> version = SchemaMigrator::storedVersion(db);
    if (!version)
        return Result<ProjectSummary>::failure(version.error());
    summary.schemaVersion = version.value();

    const struct
    {
        const char *table;
        qint64 *count;
    } counts[] = {
        {"corpora", &summary.corpora}, {"documents", &summary.documents}, {"models", &summary.models},
        {"runs", &summary.runs},       {"metrics", &summary.metrics},
    };
    QSqlQuery query(db);
    for (const auto &c : counts) {
        if (!query.exec(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(c.table))) || !query.next())
            return Result<ProjectSummary>::failure(
                QStringLiteral("%1: cannot count %2: %3").arg(m_path, QLatin1String(c.table), query.lastError().text()));
        *c.count = query.value(0).toLongLong();
    }
    return summary;
}

Status Project::transaction(const std::function<Status(QSqlDatabase &)> &work)
{
    QSqlDatabase db = database();
    return WriteTransaction::run(db, m_path, work);
}

} // namespace ts
