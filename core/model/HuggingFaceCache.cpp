#include "model/HuggingFaceCache.h"

#include "model/ModelFolder.h"

#include "util/UserFile.h"

#include <QDir>
#include <QFileInfo>

namespace ts {

namespace {

const QString kRepoPrefix = QStringLiteral("models--"); // model repos; datasets--, spaces-- are skipped
const QString kSeparator = QStringLiteral("--");        // stands for "/" in cached repo names
constexpr qint64 kMaxRefBytes = 256;                    // refs/main holds one commit hash

QString repoIdOf(const QString &folderName)
{
    return folderName.mid(kRepoPrefix.size()).replace(kSeparator, QStringLiteral("/"));
}

/// The snapshot refs/main names, or empty when there is no usable ref.
QString referencedSnapshot(const QDir &repo)
{
    const Result<QByteArray> ref = UserFile::readAll(repo.filePath(QStringLiteral("refs/main")), kMaxRefBytes);
    if (!ref)
        return {};
    const QString hash = QString::fromLatin1(ref.value()).trimmed();
    if (hash.isEmpty() || hash.contains(QLatin1Char('/')) || hash.contains(QLatin1Char('\\')) || hash.startsWith(QLatin1Char('.')))
        return {};
    const QFileInfo snapshot(repo.filePath(QStringLiteral("snapshots/") + hash));
    return snapshot.isDir() ? snapshot.absoluteFilePath() : QString();
}

} // namespace

QString HuggingFaceCache::defaultHubDir()
{
    const QString hubCache = qEnvironmentVariable("HF_HUB_CACHE");
    if (!hubCache.isEmpty())
        return hubCache;
    const QString home = qEnvironmentVariable("HF_HOME");
    if (!home.isEmpty())
        return QDir(home).filePath(QStringLiteral("hub"));
    return QDir::home().filePath(QStringLiteral(".cache/huggingface/hub"));
}

HuggingFaceCache::Listing HuggingFaceCache::scan(const QString &hubDir)
{
    Listing listing;
    listing.hubDir = QFileInfo(hubDir).absoluteFilePath();
    const QDir hub(hubDir);
    const QStringList repos = hub.entryList({kRepoPrefix + QLatin1Char('*')}, QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &name : repos) {
        const QString repoId = repoIdOf(name);
        QString why;
        const QString snapshot = snapshotOf(hub.filePath(name), &why);
        if (snapshot.isEmpty()) {
            listing.skipped.append(QStringLiteral("%1: %2").arg(repoId, why));
            continue;
        }
        const auto folder = ModelFolder::inspect(snapshot);
        if (!folder) {
            listing.skipped.append(QStringLiteral("%1: %2").arg(repoId, folder.error()));
            continue;
        }
        listing.models.append(Entry{repoId, folder->path(), folder->config().modelType, folder->config().parameterCount(),
                                    !folder->tokenizerFile().isEmpty(), folder->config()});
    }
    return listing;
}

QString HuggingFaceCache::snapshotOf(const QString &repoDir, QString *why)
{
    const QDir repo(repoDir);
    const QString referenced = referencedSnapshot(repo);
    if (!referenced.isEmpty())
        return referenced;
    const QFileInfoList snapshots = QDir(repo.filePath(QStringLiteral("snapshots")))
                                        .entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Time);
    if (snapshots.isEmpty()) {
        *why = QStringLiteral("%1 has no snapshot (the download did not finish)").arg(repo.filePath(QStringLiteral("snapshots")));
        return {};
    }
    return snapshots.first().absoluteFilePath();
}

} // namespace ts
