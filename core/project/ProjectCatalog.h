#pragma once

#include "util/Result.h"

#include <QList>
#include <QString>

class QSqlDatabase;

namespace ts {

/// One row of the project explorer's "Corpora" branch.
struct CorpusEntry
{
    qint64 id = 0;
    QString name;
    qint64 documents = 0;
};

/// One row of the "Models" branch.
struct ModelEntry
{
    qint64 id = 0;
    QString name;
    QString architecture;
    qint64 parameters = 0;
};

/// One row of the "Runs" branch.
struct RunEntry
{
    qint64 id = 0;
    QString name;
    QString strategy;
    QString status;
};

/// One group of runs (seeds, a label-budget sweep).
struct GroupEntry
{
    qint64 id = 0;
    QString name;
};

/// Read-only listings of a project's contents, for the explorer and the CLI.
class ProjectCatalog
{
public:
    static Result<QList<CorpusEntry>> corpora(const QSqlDatabase &db);
    static Result<QList<ModelEntry>> models(const QSqlDatabase &db);
    static Result<QList<RunEntry>> runs(const QSqlDatabase &db);
    /// Every group of runs, by id.
    static Result<QList<GroupEntry>> groups(const QSqlDatabase &db);
};

} // namespace ts
