#pragma once

#include <QMap>
#include <QString>

namespace ts {

/// A corpus's contents at a glance: what `transfer-studio-cli corpora` and the explorer show.
struct CorpusSummary
{
    qint64 id = 0;
    QString name;
    qint64 documents = 0;          ///< in all splits
    qint64 unlabeled = 0;          ///< in the unlabelled pool
    QMap<QString, qint64> splits;  ///< documents per split ("train", "validation", "test", "unlabeled")
    QMap<QString, qint64> labels;  ///< labelled documents per label, all splits together
};

} // namespace ts
