#include "jobs/RunPredictor.h"

#include "project/Project.h"
#include "project/RunStore.h"
#include "text/Tokenizer.h"
#include "train/ClassificationObjective.h"
#include "train/PredictionRows.h"
#include "train/TokenizedSet.h"
#include "train/TrainingConfig.h"
#include "transfer/TrainedModel.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>

namespace ts {

namespace {

/// The documents of `corpus`'s `split`, with their labels by name ("" when unlabelled).
Status readCorpus(const QSqlDatabase &db, const QString &corpus, const QString &split, QList<LabelledText> &texts,
                  QStringList &labels)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT d.id, d.text, d.label FROM documents d JOIN corpora c ON c.id = d.corpus_id "
                             "WHERE c.name = ? AND d.split = ? ORDER BY d.id"));
    q.addBindValue(corpus);
    q.addBindValue(split);
    if (!q.exec())
        return Status::failure(QStringLiteral("cannot read corpus \"%1\": %2").arg(corpus, q.lastError().text()));
    while (q.next()) {
        texts.append({q.value(1).toString(), -1, q.value(0).toLongLong()});
        labels.append(q.value(2).toString());
    }
    if (texts.isEmpty())
        return Status::failure(QStringLiteral("corpus \"%1\" has no %2 documents (see `corpora`)").arg(corpus, split));
    return {};
}

} // namespace

Result<PredictionSet> RunPredictor::predict(const PredictParams &params)
{
    using R = Result<PredictionSet>;
    auto project = Project::open(params.projectPath, Project::Access::ReadOnly);
    if (!project)
        return R::failure(project.error());
    const QSqlDatabase db = project.value()->database();
    const auto run = RunStore(db).load(params.runId);
    if (!run)
        return R::failure(run.error());
    if (run->status != RunRecord::Status::Finished)
        return R::failure(QStringLiteral("run %1 is %2; only a finished run's model can predict")
                              .arg(params.runId)
                              .arg(RunRecord::statusName(run->status)));
    const auto config = TrainingConfig::fromJson(QJsonDocument::fromJson(run->configJson.toUtf8()).object());
    if (!config)
        return R::failure(config.error());
    QTemporaryDir scratch;
    auto trained = TrainedModel::load(db, run.value(), scratch.path());
    if (!trained)
        return R::failure(trained.error());
    if (trained->task != ModelTask::SequenceClassification)
        return R::failure(QStringLiteral("run %1 (%2) trains a language model, not a classifier: it predicts no labels")
                              .arg(params.runId)
                              .arg(run->strategy));
    auto tokenizer = Tokenizer::fromFile(trained->loaded.folder.tokenizerFile());
    if (!tokenizer)
        return R::failure(tokenizer.error());

    QList<LabelledText> texts = params.texts;
    QStringList labels = params.labels;
    if (!params.corpus.isEmpty()) {
        if (const Status s = readCorpus(db, params.corpus, params.split, texts, labels); !s)
            return R::failure(s.error());
    }
    for (int i = 0; i < texts.size(); ++i)
        texts[i].label = i < labels.size() ? int(trained->classes.indexOf(labels[i])) : -1;
    const TokenizedSet set = TokenizedSet::build(QStringLiteral("predict"), tokenizer.value(), texts,
                                                 config->maxLength, 1, true);
    const torch::Device device(torch::kCPU);
    ClassificationObjective objective(trained->loaded.model, int(trained->classes.size()), tokenizer->padId(), device);

    PredictionSet out;
    out.split = QStringLiteral("predict");
    out.classes = trained->classes;
    out.available = set.size();
    const int chunk = std::max(1, params.batchSize) * 8; // texts between progress reports
    for (int start = 0; start < set.size(); start += chunk) {
        if (params.abort && params.abort())
            return R::failure(QStringLiteral("cancelled"));
        TokenizedSet part;
        const int end = std::min(set.size(), start + chunk);
        part.ids.assign(set.ids.begin() + start, set.ids.begin() + end);
        part.labels = set.labels.mid(start, end - start);
        part.domains = set.domains.mid(start, end - start);
        const torch::Tensor probabilities = objective.classProbabilities(part, std::max(1, params.batchSize)); // (n, C)
        out.predictions.append(PredictionRows::from(set, start, probabilities));
        if (params.progress)
            params.progress(end, set.size());
    }
    return out;
}

} // namespace ts
