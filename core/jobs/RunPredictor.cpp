#include "jobs/RunPredictor.h"

#include "corpus/CorpusImporter.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "train/PredictionRows.h"
#include "train/TokenizedSet.h"
#include "transfer/RunClassifier.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>

namespace ts {

namespace {

/// The texts to predict with their labels by name ("" when unknown) and their ids.
struct Inputs
{
    QList<LabelledText> texts;
    QStringList labels;
    QStringList ids;
    QStringList notes;
};

/// The documents of `corpus`'s `split`; `byLine` gives each the line of the file it came from as
/// its id (a file read through an import), else its document id.
Status readCorpus(const QSqlDatabase &db, const QString &corpus, const QString &split, bool byLine, Inputs &in)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT d.id, d.text, d.label, d.origin FROM documents d JOIN corpora c ON "
                             "c.id = d.corpus_id WHERE c.name = ? AND d.split = ? ORDER BY d.id"));
    q.addBindValue(corpus);
    q.addBindValue(split);
    if (!q.exec())
        return Status::failure(QStringLiteral("cannot read corpus \"%1\": %2").arg(corpus, q.lastError().text()));
    while (q.next()) {
        in.texts.append({q.value(1).toString(), -1, byLine ? 0 : q.value(0).toLongLong()});
        in.labels.append(q.value(2).toString());
        in.ids.append(byLine ? q.value(3).toString().section(QLatin1Char(':'), -1) : q.value(0).toString());
    }
    if (in.texts.isEmpty())
        return Status::failure(QStringLiteral("corpus \"%1\" has no %2 documents (see `corpora`)").arg(corpus, split));
    return {};
}

/// The records of a file, read by the importer (its format detection, columns, encoding and
/// bad-row checks) into a scratch project; every record is kept, duplicates too.
Status readFile(const ImportParams &file, Inputs &in)
{
    QTemporaryDir scratch;
    auto project = Project::create(scratch.filePath(QStringLiteral("predict.tstudio")));
    if (!project)
        return Status::failure(project.error());
    ImportParams params = file;
    params.corpus = QStringLiteral("predict");
    params.split = ImportSplit::Test;
    params.removeDuplicates = false;
    const auto report = CorpusImporter::run(*project.value(), params);
    if (!report)
        return Status::failure(report.error());
    for (const RowIssue &issue : report->issues)
        in.notes.append(QStringLiteral("skipped %1").arg(issue.toString()));
    if (report->rejected > report->issues.size())
        in.notes.append(QStringLiteral("and %1 more rows skipped").arg(report->rejected - report->issues.size()));
    return readCorpus(project.value()->database(), params.corpus, QStringLiteral("test"), true, in);
}

Status gather(const QSqlDatabase &db, const PredictParams &params, Inputs &in)
{
    if (!params.file.path.isEmpty())
        return readFile(params.file, in);
    if (!params.corpus.isEmpty())
        return readCorpus(db, params.corpus, params.split, false, in);
    in.texts = params.texts;
    in.labels = params.labels;
    for (int i = 0; i < in.texts.size(); ++i)
        in.ids.append(QString::number(i + 1));
    return {};
}

} // namespace

Result<PredictOutput> RunPredictor::predict(const PredictParams &params)
{
    using R = Result<PredictOutput>;
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
    QTemporaryDir scratch;
    auto classifier = RunClassifier::load(db, run.value(), scratch.path());
    if (!classifier)
        return R::failure(classifier.error());

    Inputs in;
    if (const Status s = gather(db, params, in); !s)
        return R::failure(s.error());
    for (int i = 0; i < in.texts.size(); ++i)
        in.texts[i].label = i < in.labels.size() ? int(classifier->classes().indexOf(in.labels[i])) : -1;
    const TokenizedSet set = TokenizedSet::build(QStringLiteral("predict"), classifier->tokenizer(), in.texts,
                                                 classifier->config().maxLength, 1, true);

    PredictOutput output;
    output.ids = in.ids;
    output.notes = in.notes;
    PredictionSet &out = output.predictions;
    out.split = QStringLiteral("predict");
    out.classes = classifier->classes();
    out.available = set.size();
    const int chunk = std::max(1, params.batchSize) * 8; // texts between progress reports
    for (int start = 0; start < set.size(); start += chunk) {
        if (params.abort && params.abort())
            return R::failure(QStringLiteral("cancelled"));
        TokenizedSet part;
        const int end = std::min(set.size(), start + chunk);
        part.name = set.name;
        part.ids.assign(set.ids.begin() + start, set.ids.begin() + end);
        part.labels = set.labels.mid(start, end - start);
        part.domains = set.domains.mid(start, end - start);
        part.texts = set.texts.mid(start, end - start); // a prompt is made of the text
        const auto probabilities = classifier->probabilities(part, std::max(1, params.batchSize)); // (n, C)
        if (!probabilities)
            return R::failure(probabilities.error());
        out.predictions.append(PredictionRows::from(set, start, probabilities.value()));
        if (params.progress)
            params.progress(end, set.size());
    }
    return output;
}

} // namespace ts
