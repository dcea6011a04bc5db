#include "jobs/BaselineRun.h"

#include "model/ModelRegistry.h"
#include "project/RunStore.h"
#include "transfer/StrategyRegistry.h"

#include <QJsonDocument>
#include <QSqlQuery>

namespace ts {

namespace {

QString corpusName(const QSqlDatabase &db, qint64 id)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT name FROM corpora WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

} // namespace

Result<RunRequest> BaselineRun::requestFor(const QSqlDatabase &db, qint64 runId)
{
    using R = Result<RunRequest>;
    const auto run = RunStore(db).load(runId);
    if (!run)
        return R::failure(run.error());
    const auto config = TrainingConfig::fromJson(QJsonDocument::fromJson(run->configJson.toUtf8()).object());
    if (!config)
        return R::failure(QStringLiteral("run %1: %2").arg(runId).arg(config.error()));
    const auto model = ModelRegistry::load(db, run->modelId);
    if (!model)
        return R::failure(QStringLiteral("run %1's model is no longer in the project").arg(runId));
    RunRequest request;
    request.sourceCorpus = corpusName(db, run->sourceCorpusId);
    request.targetCorpus = corpusName(db, run->targetCorpusId);
    if (request.sourceCorpus.isEmpty() || request.targetCorpus.isEmpty())
        return R::failure(QStringLiteral("run %1's corpora are no longer in the project").arg(runId));
    request.model = model->name;
    request.config = config.value();
    request.config.strategy = StrategyRegistry::fineTuningBaseline();
    request.config.options = {};
    request.name = QStringLiteral("%1 %2 -> %3 (baseline of run %4)")
                       .arg(request.config.strategy, request.sourceCorpus, request.targetCorpus)
                       .arg(runId);
    return request;
}

} // namespace ts
