#pragma once

#include "model/ModelConfig.h"
#include "util/Result.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace ts {

/// A Hugging Face model folder on disk, inspected without loading weights: config.json (parsed and
/// validated), model.safetensors or a sharded model.safetensors.index.json (every shard inside the
/// folder), and tokenizer files. Weight files and the index may be symbolic links only when they resolve
/// inside the folder or, for a Hugging Face cache snapshot, inside its repository's blobs/. Pickle checkpoints (pytorch_model.bin, *.pt, *.pth, *.ckpt) are never
/// opened: a folder that has only those is refused with a conversion command. Torch-free value type.
class ModelFolder
{
public:
    /// Inspects `dir`; the error says what is missing or unsafe and how to fix it.
    static Result<ModelFolder> inspect(const QString &dir);

    /// The python command that converts a pickle checkpoint in `dir` to safetensors.
    static QString conversionHint(const QString &dir);

    /// Absolute path of the folder.
    const QString &path() const { return m_path; }

    /// The parsed config.json.
    const ModelConfig &config() const { return m_config; }

    /// Absolute paths of the safetensors file(s), one per shard, sorted.
    const QStringList &weightFiles() const { return m_weightFiles; }

    /// For sharded checkpoints, the index's tensor name -> absolute shard path; empty otherwise.
    const QHash<QString, QString> &weightMap() const { return m_weightMap; }

    /// The main tokenizer file (tokenizer.json, else vocab.txt, else vocab.json); empty when none.
    QString tokenizerFile() const;

    /// Every tokenizer-related file present (absolute paths), for copying next to an export.
    const QStringList &tokenizerFiles() const { return m_tokenizerFiles; }

private:
    Status findWeights();
    Status readIndex(const QString &indexPath);
    Status addShard(const QString &reference, const QString &indexPath, QString *absolute);
    /// Whether a resolved (canonical) path is inside this folder, or inside the blobs of the
    /// Hugging Face cache repository this folder is a snapshot of.
    bool insideFolder(const QString &canonicalPath) const;

    QString m_path;
    ModelConfig m_config;
    QStringList m_weightFiles;
    QHash<QString, QString> m_weightMap;
    QStringList m_tokenizerFiles;
};

} // namespace ts
