#include "project/RunSummary.h"

#include "project/PredictionStore.h"
#include "project/RunSettingsKey.h"
#include "project/RunStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ts {

namespace {

// Target accuracy this far below the source-only baseline's is negative transfer.
constexpr double kNegativeTransferMargin = 0.01;

/// The split a domain's result comes from: test when predicted or measured, else validation.
QString chooseSplit(const QStringList &available, Domain domain)
{
    const QString test = domain == Domain::Source ? QString(Splits::kSourceTest) : QString(Splits::kTargetTest);
    const QString validation =
        domain == Domain::Source ? QString(Splits::kSourceValidation) : QString(Splits::kTargetValidation);
    if (available.contains(test))
        return test;
    return available.contains(validation) ? validation : QString();
}

DomainResult fromPredictions(const PredictionSet &set)
{
    ClassificationReport report(int(set.classes.size()));
    for (const Prediction &p : set.predictions)
        report.add(p.label, p.predicted, p.confidence());
    DomainResult r;
    r.split = set.split;
    r.examples = report.count();
    r.available = set.available;
    r.classes = set.classes;
    r.accuracy = report.accuracy();
    r.macroF1 = report.macroF1();
    r.ece = report.expectedCalibrationError();
    r.majorityAccuracy = report.majorityAccuracy();
    r.majorityMacroF1 = report.majorityMacroF1();
    for (int c = 0; c < report.classes(); ++c)
        r.perClass.append(report.figures(c));
    r.confusion = report.confusion();
    r.calibration = report.calibration();
    r.fromPredictions = true;
    return r;
}

Result<DomainResult> domainResult(const QSqlDatabase &db, qint64 runId, Domain domain,
                                  const QMap<QString, QMap<QString, double>> &finalMetrics)
{
    PredictionStore predictions(db);
    const auto splits = predictions.splits(runId);
    if (!splits)
        return Result<DomainResult>::failure(splits.error());
    if (const QString split = chooseSplit(splits.value(), domain); !split.isEmpty()) {
        const auto set = predictions.load(runId, split);
        if (!set)
            return Result<DomainResult>::failure(set.error());
        return fromPredictions(set.value());
    }
    // A run stored before predictions existed (or one that does not classify): its last metric rows.
    QStringList measured;
    for (auto it = finalMetrics.cbegin(); it != finalMetrics.cend(); ++it) {
        if (it.value().contains(QString(Metrics::kAccuracy)))
            measured.append(it.key());
    }
    DomainResult r;
    r.split = chooseSplit(measured, domain);
    if (r.split.isEmpty())
        return r;
    const QMap<QString, double> &values = finalMetrics[r.split];
    r.accuracy = values.value(QString(Metrics::kAccuracy));
    r.macroF1 = values.value(QString(Metrics::kMacroF1));
    r.examples = int(values.value(QString(Metrics::kExamples), 0));
    r.available = r.examples;
    return r;
}

/// Mean of `values[from, to)`.
double mean(const QList<double> &values, qsizetype from, qsizetype to)
{
    double sum = 0.0;
    for (qsizetype i = from; i < to; ++i)
        sum += values[i];
    return to > from ? sum / double(to - from) : 0.0;
}

void warn(RunSummary &summary, const char *code, const QString &text)
{
    summary.warnings.append(QLatin1String(code));
    summary.warningTexts.append(text);
}

/// The values of training metric `metric` of run `runId`, in step order.
Result<QList<double>> trainingSeries(const QSqlDatabase &db, qint64 runId, const QString &metric)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT value FROM metrics WHERE run_id = ? AND split = ? AND metric = ? ORDER BY step"));
    q.addBindValue(runId);
    q.addBindValue(QString(Splits::kTrain));
    q.addBindValue(metric);
    if (!q.exec())
        return Result<QList<double>>::failure(
            QStringLiteral("cannot read the training %1 of run %2: %3").arg(metric).arg(runId).arg(q.lastError().text()));
    QList<double> values;
    while (q.next())
        values.append(q.value(0).toDouble());
    return values;
}

/// Whether the training loss never fell below kLossDropRatio of where it started. Single steps
/// are noisy, so the loss is averaged over windows of a tenth of the steps: the first window
/// against the lowest later one.
Result<bool> lossNeverFell(const QSqlDatabase &db, qint64 runId)
{
    const auto series = trainingSeries(db, runId, QString(Metrics::kLoss));
    if (!series)
        return Result<bool>::failure(series.error());
    const QList<double> &losses = series.value();
    if (losses.size() < 2)
        return false;
    const qsizetype window = std::max<qsizetype>(1, losses.size() / 10);
    const double first = mean(losses, 0, window);
    double lowest = first;
    for (qsizetype start = window; start + window <= losses.size(); start += window)
        lowest = std::min(lowest, mean(losses, start, start + window));
    return lowest > RunSummary::kLossDropRatio * first;
}

/// Warns when a domain classifier (Metrics::kDomainAccuracy on training batches) was pinned near 0
/// or 1 over the second half of the run; runs without one get no warning.
Status warnAboutDomainGame(const QSqlDatabase &db, RunSummary &summary)
{
    const auto series = trainingSeries(db, summary.run.id, QString(Metrics::kDomainAccuracy));
    if (!series)
        return Status::failure(series.error());
    const QList<double> &accuracy = series.value();
    if (accuracy.size() < RunSummary::kDomainGameMinSteps)
        return {};
    const double late = mean(accuracy, accuracy.size() / 2, accuracy.size());
    if (late < RunSummary::kDomainBeatenBelow)
        warn(summary, RunSummary::kDomainGameBroken,
             QStringLiteral("the domain classifier was beaten outright: its accuracy on training batches averaged "
                            "%1 over the second half of training, where 0.5 is a coin toss. The model learned to "
                            "flip its features past the classifier instead of making source and target look alike, "
                            "which can take the classes with it. Raise the domain classifier's learning rate or "
                            "lower the adversarial weight.")
                 .arg(late, 0, 'f', 2));
    else if (late > RunSummary::kDomainUnfooledAbove)
        warn(summary, RunSummary::kDomainGameBroken,
             QStringLiteral("the domain classifier was never fooled: its accuracy on training batches averaged %1 "
                            "over the second half of training, so source and target features stayed apart. Raise "
                            "the adversarial weight to make them alike.")
                 .arg(late, 0, 'f', 2));
    return {};
}

/// The run's selection criterion (its config's "selection", TrainingConfig) and the selected step:
/// the one the trainer recorded, else (last) the run's final step.
Result<RunSummary::Selection> selectionOf(const QSqlDatabase &db, const RunRecord &run)
{
    using R = Result<RunSummary::Selection>;
    RunSummary::Selection selection;
    const QJsonObject config = QJsonDocument::fromJson(run.configJson.toUtf8()).object();
    selection.criterion = config.value(QLatin1String("selection")).toString(QStringLiteral("last"));
    selection.usesTargetLabels = selection.criterion == QLatin1String("best-target");
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT value FROM metrics WHERE run_id = ? AND split = ? AND metric = ? "
                             "ORDER BY step DESC LIMIT 1"));
    q.addBindValue(run.id);
    q.addBindValue(QString(Splits::kTrain));
    q.addBindValue(QString(Metrics::kSelectedStep));
    if (!q.exec())
        return R::failure(QStringLiteral("cannot read the selected step of run %1: %2").arg(run.id).arg(q.lastError().text()));
    if (q.next()) {
        selection.step = qint64(q.value(0).toDouble());
        return selection;
    }
    q.prepare(QStringLiteral("SELECT MAX(step) FROM metrics WHERE run_id = ?"));
    q.addBindValue(run.id);
    if (!q.exec())
        return R::failure(QStringLiteral("cannot read the steps of run %1: %2").arg(run.id).arg(q.lastError().text()));
    if (q.next() && !q.value(0).isNull())
        selection.step = q.value(0).toLongLong();
    return selection;
}

/// Results and the warnings that need no other run.
Status fill(const QSqlDatabase &db, RunSummary &summary)
{
    const auto finalMetrics = RunStore(db).finalMetrics(summary.run.id);
    if (!finalMetrics)
        return Status::failure(finalMetrics.error());
    for (Domain domain : {Domain::Source, Domain::Target}) {
        const auto r = domainResult(db, summary.run.id, domain, finalMetrics.value());
        if (!r)
            return Status::failure(r.error());
        (domain == Domain::Source ? summary.source : summary.target) = r.value();
    }
    summary.settingsKey = RunSettingsKey::of(summary.run);
    const auto selection = selectionOf(db, summary.run);
    if (!selection)
        return Status::failure(selection.error());
    summary.selection = selection.value();
    for (const DomainResult *r : {&summary.source, &summary.target}) {
        if (r->isValid() && r->fromPredictions && r->examples < r->available)
            warn(summary, RunSummary::kPartialEvaluation,
                 QStringLiteral("%1 is measured on %2 of %3 texts").arg(r->split).arg(r->examples).arg(r->available));
    }
    const DomainResult &judged = summary.target.isValid() ? summary.target : summary.source;
    const bool atMajority = judged.isValid() && judged.majorityMacroF1 >= 0 &&
                            judged.macroF1 <= judged.majorityMacroF1 + RunSummary::kLearnedNothingMargin;
    if (const Status s = warnAboutDomainGame(db, summary); !s)
        return s;
    const auto flat = lossNeverFell(db, summary.run.id);
    if (!flat)
        return Status::failure(flat.error());
    if (atMajority)
        warn(summary, RunSummary::kLearnedNothing,
             QStringLiteral("learned nothing: %1 macro-F1 %2 is no better than always answering the most frequent "
                            "class (%3)")
                 .arg(judged.split)
                 .arg(judged.macroF1, 0, 'f', 3)
                 .arg(judged.majorityMacroF1, 0, 'f', 3));
    else if (flat.value())
        warn(summary, RunSummary::kLearnedNothing,
             QStringLiteral("learned nothing: the training loss never fell below %1% of its first value")
                 .arg(int(std::lround(RunSummary::kLossDropRatio * 100))));
    return {};
}

/// The source-only run `summary` is compared with, and negative transfer against it.
void attachBaseline(RunSummary &summary, const QList<RunSummary> &all)
{
    if (summary.isBaseline())
        return;
    const QString key = RunSettingsKey::withoutStrategy(summary.run);
    const RunSummary *best = nullptr;
    for (const RunSummary &other : all) {
        if (other.run.strategy != summary.baselineStrategy || other.run.status != RunRecord::Status::Finished ||
            !other.target.isValid() || RunSettingsKey::withoutStrategy(other.run) != key)
            continue;
        const bool sameSeeds = other.run.initSeed == summary.run.initSeed && other.run.dataSeed == summary.run.dataSeed;
        if (!best || sameSeeds)
            best = &other;
        if (sameSeeds)
            break;
    }
    if (!best)
        return;
    summary.baselineRunId = best->run.id;
    summary.baselineTargetAccuracy = best->target.accuracy;
    if (summary.target.isValid() && summary.target.accuracy < best->target.accuracy - kNegativeTransferMargin)
        warn(summary, RunSummary::kNegativeTransfer,
             QStringLiteral("negative transfer: target accuracy %1 is below the source-only run %2 (%3)")
                 .arg(summary.target.accuracy, 0, 'f', 3)
                 .arg(best->run.id)
                 .arg(best->target.accuracy, 0, 'f', 3));
}

QJsonArray matrixJson(const QList<QList<int>> &matrix)
{
    QJsonArray rows;
    for (const QList<int> &row : matrix) {
        QJsonArray cells;
        for (int v : row)
            cells.append(v);
        rows.append(cells);
    }
    return rows;
}

} // namespace

QString DomainResult::describe() const
{
    if (!isValid())
        return QStringLiteral("no result");
    QString where = split;
    where.replace(QLatin1Char('/'), QLatin1Char(' '));
    if (examples <= 0)
        return QStringLiteral("%1, number of texts not recorded").arg(where);
    if (examples < available)
        return QStringLiteral("%1, %2 of %3 texts").arg(where).arg(examples).arg(available);
    return QStringLiteral("%1, %2 texts").arg(where).arg(examples);
}

QJsonObject DomainResult::toJson() const
{
    const auto orNull = [](double v) { return v < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(v); };
    QJsonObject json{{QStringLiteral("split"), split},
                     {QStringLiteral("examples"), examples},
                     {QStringLiteral("available"), available},
                     {QStringLiteral("accuracy"), accuracy},
                     {QStringLiteral("macro_f1"), macroF1},
                     {QStringLiteral("ece"), orNull(ece)},
                     {QStringLiteral("majority_accuracy"), orNull(majorityAccuracy)},
                     {QStringLiteral("majority_macro_f1"), orNull(majorityMacroF1)},
                     {QStringLiteral("classes"), QJsonArray::fromStringList(classes)},
                     {QStringLiteral("confusion"), matrixJson(confusion)}};
    QJsonArray perClassJson;
    for (int c = 0; c < perClass.size(); ++c)
        perClassJson.append(QJsonObject{{QStringLiteral("label"), classes.value(c)},
                                        {QStringLiteral("precision"), perClass[c].precision},
                                        {QStringLiteral("recall"), perClass[c].recall},
                                        {QStringLiteral("f1"), perClass[c].f1},
                                        {QStringLiteral("support"), perClass[c].support}});
    json.insert(QStringLiteral("per_class"), perClassJson);
    return json;
}

double RunSummary::gap() const
{
    if (!source.isValid() || !target.isValid())
        return std::numeric_limits<double>::quiet_NaN();
    return source.accuracy - target.accuracy;
}

Result<QList<RunSummary>> RunSummary::loadAll(const QSqlDatabase &db, const QString &baselineStrategy)
{
    using R = Result<QList<RunSummary>>;
    const auto runs = RunStore(db).list();
    if (!runs)
        return R::failure(runs.error());
    QList<RunSummary> all;
    for (const RunRecord &run : runs.value()) {
        RunSummary summary;
        summary.run = run;
        summary.baselineStrategy = baselineStrategy;
        if (const Status s = fill(db, summary); !s)
            return R::failure(s.error());
        all.append(summary);
    }
    for (RunSummary &summary : all)
        attachBaseline(summary, all);
    return all;
}

Result<RunSummary> RunSummary::load(const QSqlDatabase &db, qint64 runId, const QString &baselineStrategy)
{
    using R = Result<RunSummary>;
    RunStore store(db);
    const auto run = store.load(runId);
    if (!run)
        return R::failure(run.error());
    const auto runs = store.list();
    if (!runs)
        return R::failure(runs.error());
    RunSummary summary;
    summary.run = run.value();
    summary.baselineStrategy = baselineStrategy;
    if (const Status s = fill(db, summary); !s)
        return R::failure(s.error());
    QList<RunSummary> candidates;
    const QString key = RunSettingsKey::withoutStrategy(summary.run);
    for (const RunRecord &other : runs.value()) {
        if (other.strategy != baselineStrategy || other.id == runId || RunSettingsKey::withoutStrategy(other) != key)
            continue;
        RunSummary candidate;
        candidate.run = other;
        candidate.baselineStrategy = baselineStrategy;
        if (const Status s = fill(db, candidate); !s)
            return R::failure(s.error());
        candidates.append(candidate);
    }
    attachBaseline(summary, candidates);
    return summary;
}

QJsonObject RunSummary::Selection::toJson() const
{
    return QJsonObject{{QStringLiteral("criterion"), criterion},
                       {QStringLiteral("step"), step >= 0 ? QJsonValue(step) : QJsonValue()},
                       {QStringLiteral("uses_target_labels"), usesTargetLabels}};
}

QString RunSummary::Selection::describe() const
{
    QString text = criterion == QLatin1String("last") ? QStringLiteral("last step")
                                                      : QString(criterion).replace(QStringLiteral("-"), QStringLiteral(" ")) +
                                                            QStringLiteral(" validation");
    if (usesTargetLabels)
        text += QStringLiteral(" (uses target labels)");
    return text;
}

QJsonObject RunSummary::toJson() const
{
    const double g = gap();
    return QJsonObject{
        {QStringLiteral("id"), run.id},
        {QStringLiteral("name"), run.name},
        {QStringLiteral("strategy"), run.strategy},
        {QStringLiteral("status"), RunRecord::statusName(run.status)},
        {QStringLiteral("group"), run.groupId > 0 ? QJsonValue(run.groupId) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("init_seed"), run.initSeed},
        {QStringLiteral("data_seed"), run.dataSeed},
        {QStringLiteral("settings_key"), settingsKey},
        {QStringLiteral("final"),
         QJsonObject{{QStringLiteral("source"), source.isValid() ? QJsonValue(source.toJson()) : QJsonValue()},
                     {QStringLiteral("target"), target.isValid() ? QJsonValue(target.toJson()) : QJsonValue()},
                     {QStringLiteral("gap"), std::isnan(g) ? QJsonValue() : QJsonValue(g)}}},
        {QStringLiteral("selection"), selection.toJson()},
        {QStringLiteral("warnings"), QJsonArray::fromStringList(warnings)},
        {QStringLiteral("warning_texts"), QJsonArray::fromStringList(warningTexts)},
        {QStringLiteral("baseline"),
         baselineRunId > 0 ? QJsonValue(QJsonObject{{QStringLiteral("run"), baselineRunId},
                                                    {QStringLiteral("target_accuracy"), baselineTargetAccuracy}})
                           : QJsonValue()},
    };
}

} // namespace ts
