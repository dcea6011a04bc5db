#include "model/ModelFolder.h"

#include "util/UserFile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace ts {

namespace {

const QString kConfigFile = QStringLiteral("config.json");
const QString kWeightsFile = QStringLiteral("model.safetensors");
const QString kIndexFile = QStringLiteral("model.safetensors.index.json");
constexpr qint64 kMaxIndexBytes = 64 * 1024 * 1024; // index files list tensor names: a few MB at most

// Tokenizer files Hugging Face folders carry, in order of preference for tokenizerFile().
const QStringList kTokenizerFiles{
    QStringLiteral("tokenizer.json"), QStringLiteral("vocab.txt"), QStringLiteral("vocab.json"),
    QStringLiteral("merges.txt"), QStringLiteral("tokenizer_config.json"), QStringLiteral("special_tokens_map.json"),
    QStringLiteral("tokenizer.model"), QStringLiteral("sentencepiece.bpe.model"), QStringLiteral("spiece.model"),
    QStringLiteral("added_tokens.json")};

// Pickle checkpoints: never unpickled (they can run arbitrary code).
const QStringList kPickleGlobs{QStringLiteral("*.bin"), QStringLiteral("*.pt"), QStringLiteral("*.pth"),
                               QStringLiteral("*.ckpt"), QStringLiteral("*.pkl")};

/// Whether a path written in an index could leave the folder.
bool escapes(const QString &reference)
{
    if (reference.isEmpty() || QDir::isAbsolutePath(reference) || reference.startsWith(QLatin1Char('/'))
        || reference.startsWith(QLatin1Char('\\')) || reference.contains(QLatin1Char(':')))
        return true;
    const QStringList parts = QString(reference).replace(QLatin1Char('\\'), QLatin1Char('/')).split(QLatin1Char('/'));
    return parts.contains(QStringLiteral(".."));
}

} // namespace

Result<ModelFolder> ModelFolder::inspect(const QString &dir)
{
    const QFileInfo info(dir);
    if (!info.isDir())
        return Result<ModelFolder>::failure(QStringLiteral("%1 is not a folder").arg(dir));
    ModelFolder folder;
    folder.m_path = info.absoluteFilePath();
    const QDir qdir(folder.m_path);
    if (!qdir.exists(kConfigFile))
        return Result<ModelFolder>::failure(
            QStringLiteral("%1 has no config.json: not a Hugging Face model folder").arg(folder.m_path));
    auto config = ModelConfig::fromFile(qdir.filePath(kConfigFile));
    if (!config)
        return Result<ModelFolder>::failure(config.error());
    folder.m_config = std::move(config).value();
    if (Status weights = folder.findWeights(); !weights)
        return Result<ModelFolder>::failure(weights.error());
    for (const QString &name : kTokenizerFiles) {
        if (qdir.exists(name))
            folder.m_tokenizerFiles.append(qdir.filePath(name));
    }
    return folder;
}

QString ModelFolder::conversionHint(const QString &dir)
{
    return QStringLiteral("python -c \"from transformers import AutoModel; "
                          "AutoModel.from_pretrained('%1').save_pretrained('%1', safe_serialization=True)\"")
        .arg(dir);
}

QString ModelFolder::tokenizerFile() const
{
    for (const QString &name : {QStringLiteral("tokenizer.json"), QStringLiteral("vocab.txt"),
                                QStringLiteral("vocab.json")}) {
        for (const QString &file : m_tokenizerFiles) {
            if (QFileInfo(file).fileName() == name)
                return file;
        }
    }
    return {};
}

Status ModelFolder::findWeights()
{
    const QDir dir(m_path);
    for (const QString &name : {kIndexFile, kWeightsFile}) {
        const QFileInfo file(dir.filePath(name));
        if (!file.isSymLink() && !file.exists())
            continue;
        if (!file.exists())
            return Status::failure(QStringLiteral("%1 is a link to %2, which does not exist (an unfinished download?)")
                                       .arg(file.absoluteFilePath(), file.symLinkTarget()));
        if (!insideFolder(file.canonicalFilePath()))
            return Status::failure(QStringLiteral("%1 links to %2, outside the model folder (and outside its Hugging "
                                                  "Face cache repository's blobs); refused")
                                       .arg(file.absoluteFilePath(), file.canonicalFilePath()));
        if (name == kIndexFile)
            return readIndex(file.absoluteFilePath());
        m_weightFiles.append(file.absoluteFilePath());
        return {};
    }
    const QStringList pickles = dir.entryList(kPickleGlobs, QDir::Files, QDir::Name);
    if (!pickles.isEmpty())
        return Status::failure(
            QStringLiteral("%1 holds only pickle weights (%2), which Transfer Studio never opens because loading them "
                           "can run arbitrary code. Convert them to safetensors once, with Python: %3")
                .arg(m_path, pickles.join(QStringLiteral(", ")), conversionHint(m_path)));
    return Status::failure(QStringLiteral("%1 has no model.safetensors or model.safetensors.index.json").arg(m_path));
}

Status ModelFolder::readIndex(const QString &indexPath)
{
    const Result<QByteArray> bytes = UserFile::readAll(indexPath, kMaxIndexBytes);
    if (!bytes)
        return Status::failure(bytes.error());
    const QJsonObject weightMap =
        QJsonDocument::fromJson(bytes.value()).object().value(QStringLiteral("weight_map")).toObject();
    if (weightMap.isEmpty())
        return Status::failure(QStringLiteral("%1: field \"weight_map\" is missing or empty").arg(indexPath));
    for (auto it = weightMap.begin(); it != weightMap.end(); ++it) {
        QString absolute;
        if (Status added = addShard(it.value().toString(), indexPath, &absolute); !added)
            return Status::failure(QStringLiteral("%1 (tensor \"%2\")").arg(added.error(), it.key()));
        m_weightMap.insert(it.key(), absolute);
    }
    m_weightFiles.sort();
    return {};
}

bool ModelFolder::insideFolder(const QString &canonicalPath) const
{
    const QDir folder(QFileInfo(m_path).canonicalFilePath());
    if (canonicalPath.startsWith(folder.path() + QLatin1Char('/')))
        return true;
    // A Hugging Face cache snapshot (models--org--name/snapshots/<revision>) links its files to
    // the repository's blobs: models--org--name/blobs/<hash>.
    QDir repository = folder;
    const bool snapshot = repository.cdUp() && repository.dirName() == QLatin1String("snapshots") && repository.cdUp()
        && repository.dirName().startsWith(QLatin1String("models--"));
    return snapshot && canonicalPath.startsWith(repository.filePath(QStringLiteral("blobs")) + QLatin1Char('/'));
}

Status ModelFolder::addShard(const QString &reference, const QString &indexPath, QString *absolute)
{
    if (escapes(reference))
        return Status::failure(QStringLiteral("%1 refers to \"%2\", outside the model folder; refused")
                                   .arg(indexPath, reference));
    if (QDir::match(kPickleGlobs, QFileInfo(reference).fileName()))
        return Status::failure(QStringLiteral("%1 refers to the pickle shard \"%2\", which Transfer Studio never opens "
                                              "because loading it can run arbitrary code. Convert the model to "
                                              "safetensors once, with Python: %3")
                                   .arg(indexPath, reference, conversionHint(m_path)));
    const QFileInfo shard(QDir(m_path).filePath(reference));
    if (!shard.exists())
        return Status::failure(QStringLiteral("%1 refers to shard \"%2\", which does not exist%3")
                                   .arg(indexPath, reference,
                                        shard.isSymLink() ? QStringLiteral(" (a link to the missing %1: an unfinished "
                                                                           "download?)").arg(shard.symLinkTarget())
                                                          : QString()));
    if (!insideFolder(shard.canonicalFilePath()))
        return Status::failure(QStringLiteral("%1 refers to \"%2\", which links outside the model folder (to %3, "
                                              "outside its Hugging Face cache repository's blobs too); refused")
                                   .arg(indexPath, reference, shard.canonicalFilePath()));
    *absolute = shard.absoluteFilePath();
    if (!m_weightFiles.contains(*absolute))
        m_weightFiles.append(*absolute);
    return {};
}

} // namespace ts
