#include "cluster/JobFolder.h"

#include "cluster/JobProjectWriter.h"
#include "cluster/SbatchScript.h"
#include "project/Project.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

namespace ts {

namespace {

Status writeFile(const QString &path, const QByteArray &data, bool executable = false)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
        return Status::failure(QStringLiteral("%1: cannot write: %2").arg(path, file.errorString()));
    if (executable)
        QFile::setPermissions(path, QFile::permissions(path) | QFileDevice::ExeOwner | QFileDevice::ExeUser);
    return {};
}

Result<QList<qint64>> writeCell(const QSqlDatabase &from, const QString &cellDir, const JobCell &cell)
{
    if (!QDir().mkpath(cellDir))
        return Result<QList<qint64>>::failure(QStringLiteral("%1: cannot create the folder").arg(cellDir));
    const QString path = cellDir + QStringLiteral("/job.tstudio");
    if (const Status s = JobProjectWriter::create(from, path, cell.corpora, cell.modelId); !s)
        return Result<QList<qint64>>::failure(s.error());
    Result<QList<qint64>> runs = QList<qint64>();
    {
        auto project = Project::open(path);
        if (!project)
            return Result<QList<qint64>>::failure(project.error());
        runs = cell.record(project.value()->database());
    }
    if (!runs)
        return runs;
    QByteArray list;
    for (const qint64 id : runs.value())
        list += QByteArray::number(id) + '\n';
    if (const Status s = writeFile(cellDir + QStringLiteral("/runs.txt"), list); !s)
        return Result<QList<qint64>>::failure(s.error());
    return runs;
}

} // namespace

QString JobFolder::defaultDir(const QString &projectPath)
{
    const QFileInfo project(projectPath);
    return QStringLiteral("%1/%2-jobs/job-%3")
        .arg(project.absolutePath(), project.completeBaseName(),
             QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")));
}

Result<JobFolder> JobFolder::write(const QSqlDatabase &from, const QString &dir, const QList<JobCell> &cells,
                                   const SbatchOptions &options, const QString &name, const QString &cliPath)
{
    JobFolder folder;
    folder.m_dir = QFileInfo(dir).absoluteFilePath();
    if (const Status s = SbatchScript::check(options, folder.m_dir); !s)
        return Result<JobFolder>::failure(s.error());
    if (QDir(folder.m_dir).exists() && !QDir(folder.m_dir).isEmpty())
        return Result<JobFolder>::failure(QStringLiteral("--job-dir %1: the folder exists and is not empty; give a new one")
                                              .arg(folder.m_dir));
    if (!QDir().mkpath(folder.m_dir))
        return Result<JobFolder>::failure(QStringLiteral("--job-dir %1: cannot create the folder").arg(folder.m_dir));
    for (int i = 0; i < cells.size(); ++i) {
        const auto runs = writeCell(from, SbatchScript::cellDir(folder.m_dir, i), cells.at(i));
        if (!runs) {
            folder.remove();
            return Result<JobFolder>::failure(runs.error());
        }
        folder.m_runs.append(runs.value());
    }
    const QString script = SbatchScript::generate(options, name, folder.m_dir, int(cells.size()), cliPath);
    if (const Status s = writeFile(folder.script(), script.toUtf8(), true); !s) {
        folder.remove();
        return Result<JobFolder>::failure(s.error());
    }
    return folder;
}

void JobFolder::remove() const
{
    QDir(m_dir).removeRecursively();
}

QString JobFolder::scriptIn(const QString &dir)
{
    return dir + QStringLiteral("/job.sbatch");
}

QString JobFolder::timeLimitIn(const QString &dir)
{
    return dir + QStringLiteral("/time-limit");
}

} // namespace ts
