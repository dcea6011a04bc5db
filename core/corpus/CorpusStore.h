#pragma once

#include "corpus/CorpusSummary.h"
#include "util/Result.h"

#include <QList>
#include <QStringList>

#include <optional>

class QSqlDatabase;

namespace ts {

/// Corpora of a project: looking them up, creating them, summarising them, and the project-wide
/// label set they share. Works on the connection it is given (one per thread).
class CorpusStore
{
public:
    /// The id of the corpus called `name`, or nullopt when there is none.
    static Result<std::optional<qint64>> find(const QSqlDatabase &db, const QString &name);

    /// The id of the corpus called `name`, created (empty) when missing.
    static Result<qint64> ensure(const QSqlDatabase &db, const QString &name);

    /// Every corpus with its counts per split and per label, by name.
    static Result<QList<CorpusSummary>> summaries(const QSqlDatabase &db);

    /// The distinct labels of the corpus `corpusId`, sorted.
    static Result<QStringList> labels(const QSqlDatabase &db, qint64 corpusId);

    /// The distinct labels of every corpus but `corpusId`, sorted.
    static Result<QStringList> labelsOutside(const QSqlDatabase &db, qint64 corpusId);

    /// Adds `labels` to the project-wide label set (those already in it are kept as they are).
    static Status registerLabels(const QSqlDatabase &db, const QStringList &labels);

    /// The project-wide label set in class-index order (first registered first).
    static Result<QStringList> labelSet(const QSqlDatabase &db);
};

} // namespace ts
