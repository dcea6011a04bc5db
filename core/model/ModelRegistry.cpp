#include "model/ModelRegistry.h"

#include "model/ModelFolder.h"
#include "model/SafeTensorsFile.h"
#include "project/ArtifactBlob.h"
#include "project/ProjectCheck.h"
#include "project/RunStore.h"
#include "project/WriteTransaction.h"
#include "util/UserFile.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSqlError>
#include <QSqlQuery>

namespace ts {

namespace {

const QString kColumns = QStringLiteral("id, name, kind, architecture, location, config_json, parameters, created_at");

Result<qint64> insertModel(QSqlDatabase &db, const QString &name, const QString &kind, const ModelConfig &config,
                           const QString &location)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO models(name, kind, architecture, location, config_json, parameters, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(name);
    q.addBindValue(kind);
    q.addBindValue(config.modelType);
    q.addBindValue(location);
    q.addBindValue(QString::fromUtf8(QJsonDocument(config.raw).toJson(QJsonDocument::Compact)));
    q.addBindValue(config.parameterCount());
    q.addBindValue(RunStore::now());
    if (!q.exec()) {
        if (q.lastError().text().contains(QLatin1String("UNIQUE")))
            return Result<qint64>::failure(QStringLiteral("a model called \"%1\" already exists in the project").arg(name));
        return Result<qint64>::failure(QStringLiteral("cannot register model \"%1\": %2").arg(name, q.lastError().text()));
    }
    return q.lastInsertId().toLongLong();
}

} // namespace

Result<qint64> ModelRegistry::addFolder(const QSqlDatabase &db, const QString &name, const QString &dir)
{
    const auto folder = ModelFolder::inspect(dir);
    if (!folder)
        return Result<qint64>::failure(folder.error());
    if (folder->tokenizerFile().isEmpty())
        return Result<qint64>::failure(QStringLiteral("%1 has no tokenizer (tokenizer.json or vocab.txt)").arg(dir));
    for (const QString &file : folder->tokenizerFiles()) {
        if (const Status regular = UserFile::checkRegular(file); !regular)
            return Result<qint64>::failure(regular.error());
    }
    // Checked now rather than when a run first loads them: offsets past the end of the file,
    // overlapping tensors, a header that is not JSON. Only the headers are read.
    for (const QString &file : folder->weightFiles()) {
        if (const auto weights = SafeTensorsFile::open(file); !weights)
            return Result<qint64>::failure(weights.error());
    }
    QSqlDatabase connection = db;
    return insertModel(connection, name, QStringLiteral("huggingface"), folder->config(), folder->path());
}

Result<qint64> ModelRegistry::addStored(const QSqlDatabase &db, const QString &name,
                                        const QMap<QString, QByteArray> &files)
{
    const auto config = ModelConfig::fromJson(files.value(QStringLiteral("config.json")), name + QStringLiteral("/config.json"));
    if (!config)
        return Result<qint64>::failure(config.error());
    qint64 id = 0;
    QSqlDatabase connection = db;
    const Status s = WriteTransaction::run(connection, QStringLiteral("storing model \"%1\"").arg(name), [&](QSqlDatabase &tx) {
        const auto inserted = insertModel(tx, name, QStringLiteral("builtin"), config.value(), QStringLiteral(""));
        if (!inserted)
            return Status::failure(inserted.error());
        id = inserted.value();
        QSqlQuery q(tx);
        q.prepare(QStringLiteral("INSERT INTO artifacts(model_id, kind, name, bytes, sha256, created_at) "
                                 "VALUES (?, 'model-file', ?, ?, ?, ?)"));
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            q.addBindValue(id);
            q.addBindValue(it.key());
            q.addBindValue(qint64(it.value().size()));
            q.addBindValue(ProjectCheck::sha256(it.value()));
            q.addBindValue(RunStore::now());
            if (!q.exec())
                return Status::failure(q.lastError().text());
            if (const Status s = ArtifactBlob::write(tx, q.lastInsertId().toLongLong(), it.value()); !s)
                return s;
        }
        return Status();
    });
    if (!s)
        return Result<qint64>::failure(s.error());
    return id;
}

Result<ModelRecord> ModelRegistry::readRow(const QSqlDatabase &db, const QString &where, const QVariant &value)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT %1 FROM models WHERE %2").arg(kColumns, where));
    q.addBindValue(value);
    if (!q.exec())
        return Result<ModelRecord>::failure(QStringLiteral("cannot read models: %1").arg(q.lastError().text()));
    if (!q.next())
        return Result<ModelRecord>::failure(QStringLiteral("no model %1 in the project").arg(value.toString()));
    ModelRecord record;
    record.id = q.value(0).toLongLong();
    record.name = q.value(1).toString();
    record.kind = q.value(2).toString() == QLatin1String("builtin") ? ModelRecord::Kind::Builtin
                                                                   : ModelRecord::Kind::HuggingFace;
    record.architecture = q.value(3).toString();
    record.location = q.value(4).toString();
    record.parameters = q.value(6).toLongLong();
    record.createdAt = q.value(7).toString();
    const auto config = ModelConfig::fromJson(q.value(5).toString().toUtf8(), record.name + QStringLiteral("/config.json"));
    if (!config)
        return Result<ModelRecord>::failure(config.error());
    record.config = config.value();
    return record;
}

Result<QList<ModelRecord>> ModelRegistry::list(const QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT id FROM models ORDER BY name")))
        return Result<QList<ModelRecord>>::failure(QStringLiteral("cannot read models: %1").arg(q.lastError().text()));
    QList<ModelRecord> models;
    while (q.next()) {
        const auto record = load(db, q.value(0).toLongLong());
        if (!record)
            return Result<QList<ModelRecord>>::failure(record.error());
        models.append(record.value());
    }
    return models;
}

Result<ModelRecord> ModelRegistry::load(const QSqlDatabase &db, qint64 id)
{
    return readRow(db, QStringLiteral("id = ?"), id);
}

Result<ModelRecord> ModelRegistry::find(const QSqlDatabase &db, const QString &nameOrId)
{
    const auto byName = readRow(db, QStringLiteral("name = ?"), nameOrId);
    if (byName)
        return byName;
    bool isNumber = false;
    const qint64 id = nameOrId.toLongLong(&isNumber);
    if (isNumber)
        return load(db, id);
    return Result<ModelRecord>::failure(QStringLiteral("no model called \"%1\" in the project").arg(nameOrId));
}

Result<QString> ModelRegistry::materialize(const QSqlDatabase &db, const ModelRecord &model, const QString &scratchDir)
{
    if (model.kind == ModelRecord::Kind::HuggingFace) {
        if (!QFileInfo::exists(model.location))
            return Result<QString>::failure(QStringLiteral("model \"%1\": its folder %2 is gone; register it again "
                                                           "with add-model --hf-dir")
                                                .arg(model.name, model.location));
        return model.location;
    }
    const QString dir = QDir(scratchDir).filePath(QStringLiteral("model-%1").arg(model.id));
    if (!QDir().mkpath(dir))
        return Result<QString>::failure(QStringLiteral("cannot create %1").arg(dir));
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT name, data, id, sha256 FROM artifacts WHERE model_id = ? AND kind = 'model-file'"));
    q.addBindValue(model.id);
    if (!q.exec())
        return Result<QString>::failure(QStringLiteral("cannot read model \"%1\": %2").arg(model.name, q.lastError().text()));
    int files = 0;
    while (q.next()) {
        // Stored names are plain file names written by addStored; anything else is refused.
        const QString name = q.value(0).toString();
        if (name.contains(QLatin1Char('/')) || name.contains(QLatin1Char('\\')) || name.startsWith(QLatin1Char('.')))
            return Result<QString>::failure(QStringLiteral("model \"%1\" stores a file with an unsafe name: %2").arg(model.name, name));
        const auto bytes = ArtifactBlob::read(db, q.value(2).toLongLong(), q.value(1));
        if (!bytes)
            return Result<QString>::failure(QStringLiteral("cannot read model \"%1\": %2").arg(model.name, bytes.error()));
        // Files stored by older versions have no hash to compare with.
        const QString stored = q.value(3).toString();
        if (!stored.isEmpty() && ProjectCheck::sha256(bytes.value()) != stored)
            return Result<QString>::failure(QStringLiteral("model \"%1\": its stored file %2 does not match its SHA-256; "
                                                           "the project is damaged (`transfer-studio-cli info --check` "
                                                           "lists what else is); add the model again under another name")
                                                .arg(model.name, name));
        QSaveFile file(QDir(dir).filePath(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes.value()) < 0 || !file.commit())
            return Result<QString>::failure(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
        ++files;
    }
    if (files == 0)
        return Result<QString>::failure(QStringLiteral("model \"%1\" has no stored files").arg(model.name));
    return dir;
}

} // namespace ts
