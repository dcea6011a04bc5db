#pragma once

#include "model/ModelRecord.h"
#include "util/Result.h"

#include <QMap>
#include <QSqlDatabase>

namespace ts {

/// The base models of a project (the `models` table and their stored files). Torch-free.
class ModelRegistry
{
public:
    /// Registers the Hugging Face folder `dir` (inspected and validated, weights not read) as `name`.
    static Result<qint64> addFolder(const QSqlDatabase &db, const QString &name, const QString &dir);

    /// Registers a model whose files (config.json, model.safetensors, tokenizer.json, ...) are
    /// stored inside the project, in one transaction.
    static Result<qint64> addStored(const QSqlDatabase &db, const QString &name, const QMap<QString, QByteArray> &files);

    /// Every registered model, by name.
    static Result<QList<ModelRecord>> list(const QSqlDatabase &db);
    /// The model with `id`; fails naming it when absent.
    static Result<ModelRecord> load(const QSqlDatabase &db, qint64 id);
    /// The model called `name` (or with that numeric id).
    static Result<ModelRecord> find(const QSqlDatabase &db, const QString &nameOrId);

    /// A folder holding the model's files: its own folder for Hugging Face models (checked to
    /// still exist), else the stored files written into `scratchDir`.
    static Result<QString> materialize(const QSqlDatabase &db, const ModelRecord &model, const QString &scratchDir);

private:
    static Result<ModelRecord> readRow(const QSqlDatabase &db, const QString &where, const QVariant &value);
};

} // namespace ts
