#pragma once

#include "project/ProjectSummary.h"
#include "util/Result.h"

#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <memory>

namespace ts {

/// An open project file (`*.tstudio`, SQLite): corpora, models, runs, metrics and artifacts.
///
/// Each Project owns one SQLite connection and is not thread-safe: a thread that needs the
/// project (a training worker, an importer) opens its own Project on the same path. SQLite's
/// WAL mode lets one writer and any number of readers work at once.
class Project
{
public:
    enum class Access { ReadOnly, ReadWrite };

    /// The suffix the GUI and the CLI give new project files.
    static constexpr const char *kSuffix = "tstudio";

    /// Creates a new, empty project at `path`. Fails when the file already exists.
    static Result<std::unique_ptr<Project>> create(const QString &path);

    /// Opens an existing project. The file is checked before anything is written to it:
    /// a file that is not SQLite, an SQLite file that is not a project, a project written by a
    /// newer version, or a damaged file each give a message and leave the file untouched.
    /// A ReadWrite open of an older project upgrades its schema in one transaction; it fails with
    /// a clear message when the user may not write the file or its folder.
    static Result<std::unique_ptr<Project>> open(const QString &path, Access access = Access::ReadWrite);

    ~Project();
    Project(const Project &) = delete;
    Project &operator=(const Project &) = delete;

    QString path() const { return m_path; }
    Access access() const { return m_access; }

    /// This project's connection. Use it only on the thread that opened the project.
    QSqlDatabase database() const;

    /// Schema version, row counts of the main tables.
    Result<ProjectSummary> summary() const;

    /// Runs `work` inside one transaction: committed when it returns ok, rolled back otherwise
    /// (also when the commit itself fails). Imports and run records use this to be all-or-nothing.
    Status transaction(const std::function<Status(QSqlDatabase &)> &work);

private:
    Project(QString path, QString connectionName, Access access);

    static Status checkHeader(const QString &path);
    /// Fails with a message naming the file when the user may not write it or its folder.
    static Status checkWritable(const QString &path);
    static Result<QString> openConnection(const QString &path, Access access);
    static Status validate(QSqlDatabase &db, const QString &path);
    static Status configure(QSqlDatabase &db, Access access);

    QString m_path;
    QString m_connectionName;
    Access m_access;
};

} // namespace ts
