#pragma once

#include "model/ModelConfig.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace ts {

/// The models Hugging Face libraries downloaded into their cache (`hub/models--ORG--NAME/snapshots/<hash>/`),
/// each inspected with ModelFolder::inspect without reading weights. Torch-free; reads only the file system.
class HuggingFaceCache
{
public:
    /// One usable cached model.
    struct Entry
    {
        QString repoId;       // "sentence-transformers/all-MiniLM-L6-v2"
        QString folder;       // absolute path of the snapshot folder
        QString architecture; // config.json model_type
        qint64 parameters = 0; // backbone parameters
        bool hasTokenizer = false; // the folder holds tokenizer.json, vocab.txt or vocab.json
        ModelConfig config;
    };

    /// What a scan found: the usable models by repo id, and one line per cached repo that is not usable.
    struct Listing
    {
        QString hubDir;       // the folder scanned
        QList<Entry> models;
        QStringList skipped;  // "ORG/NAME: why", e.g. pickle-only weights with the conversion command
    };

    /// The hub folder: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub.
    static QString defaultHubDir();

    /// Scans `hubDir` (a missing folder gives an empty listing). Per repo it inspects the snapshot that
    /// refs/main names, else the most recently modified snapshot.
    static Listing scan(const QString &hubDir);

private:
    static QString snapshotOf(const QString &repoDir, QString *why);
};

} // namespace ts
