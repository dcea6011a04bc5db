#pragma once

#include "corpus/ImportSplit.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace ts::ui {

/// What an import file's name says about where its documents go: "music.task.test" or
/// "music.test.tsv" are the test split of corpus "music" when the project has one. Data sets
/// are often shipped as NAME.train / NAME.dev / NAME.test files.
class ImportFileName
{
public:
    /// Reads the name of `path`; `corpora` are the project's corpus names.
    ImportFileName(const QString &path, const QStringList &corpora);

    /// An existing corpus whose name the file name starts with (the longest such), else the
    /// file name without its extension and split word.
    QString corpus() const { return m_corpus; }
    /// Whether corpus() names a corpus the project has.
    bool existingCorpus() const { return m_existing; }
    /// The split its last word names (train, dev/valid/validation, test, unlabeled/unlabelled);
    /// nullopt when it names none.
    std::optional<ImportSplit> split() const { return m_split; }

private:
    QString m_corpus;
    bool m_existing = false;
    std::optional<ImportSplit> m_split;
};

} // namespace ts::ui
