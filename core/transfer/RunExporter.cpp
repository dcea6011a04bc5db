#include "transfer/RunExporter.h"

#include "model/nn/ModelExporter.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "transfer/TrainedModel.h"

#include "util/UserFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

namespace ts {

Status RunExporter::exportRun(const QString &projectPath, qint64 runId, const QString &outDir, bool replace)
{
    const QFileInfo target(outDir);
    if (target.exists() && !target.isDir())
        return Status::failure(QStringLiteral("%1 exists and is not a folder; choose a folder to export to").arg(outDir));
    if (target.isDir()) {
        const QStringList held = QDir(outDir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                                                         QDir::Name);
        if (!held.isEmpty() && !replace)
            return Status::failure(QStringLiteral("%1 already holds %2 file(s) or folder(s) (%3); choose a new or empty "
                                                  "folder, or pass --force to replace it as a whole")
                                       .arg(outDir)
                                       .arg(held.size())
                                       .arg(held.mid(0, 3).join(QStringLiteral(", "))));
    }
    const QString parent = target.absolutePath();
    if (!QDir().mkpath(parent))
        return Status::failure(QStringLiteral("cannot create the folder %1").arg(parent));
    // Beside the target, so that the final rename stays on one file system.
    QTemporaryDir staging(QDir(parent).filePath(QStringLiteral(".%1.export-XXXXXX").arg(target.fileName())));
    if (!staging.isValid())
        return Status::failure(QStringLiteral("cannot create a temporary folder in %1: %2").arg(parent, staging.errorString()));
    // A folder made inside it gets the permissions a new folder gets (QTemporaryDir's are private).
    const QString written = staging.filePath(target.fileName());
    if (!QDir().mkdir(written))
        return Status::failure(QStringLiteral("cannot create a temporary folder in %1").arg(staging.path()));
    if (const Status complete = writeFolder(projectPath, runId, written); !complete)
        return complete;
    return moveIntoPlace(written, target.absoluteFilePath());
}

// Renames the complete folder `written` to `outDir`; an `outDir` already there (empty, or to be
// replaced) is moved aside first and put back if the rename fails.
Status RunExporter::moveIntoPlace(const QString &written, const QString &outDir)
{
    QString aside;
    if (QFileInfo(outDir).isDir()) {
        aside = QStringLiteral("%1/.%2.replaced-%3")
                    .arg(QFileInfo(outDir).absolutePath(), QFileInfo(outDir).fileName())
                    .arg(QCoreApplication::applicationPid());
        if (!QDir().rename(outDir, aside))
            return Status::failure(QStringLiteral("cannot move %1 aside to replace it; nothing was changed").arg(outDir));
    }
    if (!QDir().rename(written, outDir)) {
        if (!aside.isEmpty())
            QDir().rename(aside, outDir);
        return Status::failure(QStringLiteral("cannot rename the exported folder %1 to %2; %2 is as it was")
                                   .arg(written, outDir));
    }
    if (!aside.isEmpty())
        QDir(aside).removeRecursively();
    return {};
}

Status RunExporter::writeFolder(const QString &projectPath, qint64 runId, const QString &outDir)
{
    auto project = Project::open(projectPath, Project::Access::ReadOnly);
    if (!project)
        return Status::failure(project.error());
    const QSqlDatabase db = project.value()->database();
    const auto run = RunStore(db).load(runId);
    if (!run)
        return Status::failure(run.error());
    QTemporaryDir scratch;
    const auto trained = TrainedModel::load(db, run.value(), scratch.path());
    if (!trained)
        return Status::failure(trained.error());
    const ModelLoader::Loaded *loaded = &trained->loaded;
    if (const Status s = ModelExporter::exportFolder(*loaded->model, outDir); !s)
        return s;
    if (const Status s = trained->strategy->exportExtras(*loaded->model, trained->config, outDir); !s)
        return s;
    for (const QString &file : loaded->folder.tokenizerFiles()) {
        const QString destination = QDir(outDir).filePath(QFileInfo(file).fileName());
        if (const Status regular = UserFile::checkRegular(file); !regular)
            return regular;
        if (!QFile::copy(file, destination))
            return Status::failure(QStringLiteral("cannot copy %1 to %2").arg(file, outDir));
    }
    return {};
}

} // namespace ts
