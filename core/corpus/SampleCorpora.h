#pragma once

#include "util/Result.h"

#include <QStringList>

namespace ts {

class Project;

/// The synthetic review corpora embedded in Transfer Studio (resources/samples: books,
/// electronics, restaurants; see its README for the shift they contain).
class SampleCorpora
{
public:
    /// The embedded domains.
    static QStringList domains();
    /// The embedded file of `domain` for `part` ("train", "test", "unlabeled"), a Qt resource path.
    static QString file(const QString &domain, const QString &part);
    /// Imports `domain` as a corpus of that name: train and test splits and the unlabelled pool.
    static Status importDomain(Project &project, const QString &domain);
};

} // namespace ts
