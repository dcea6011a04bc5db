#include "runs/RunComparison.h"

#include "corpus/CorpusStore.h"
#include "model/ModelRegistry.h"
#include "project/MetricSeries.h"
#include "project/RunGrouping.h"
#include "project/RunSettingsKey.h"
#include "project/RunStore.h"
#include "project/RunVocabulary.h"
#include "project/SeedStatistics.h"
#include "train/TrainingConfig.h"
#include "transfer/StrategyRegistry.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace ts::ui {

namespace {

const QString kPerplexity = Metrics::kPerplexity;
constexpr double kMaxStepGapSeconds = 60; // longer gaps between steps (a stopped run) are not training

QString tr(const char *text)
{
    return QCoreApplication::translate("ts::ui::RunComparison", text);
}

/// Training samples per second over the recorded training steps.
double throughput(const MetricPoints &points, int samplesPerStep)
{
    const MetricPoint *previous = nullptr;
    double samples = 0;
    double seconds = 0;
    for (const MetricPoint &p : points) {
        if (p.split != Splits::kTrain || p.metric != Metrics::kLoss)
            continue;
        if (previous) {
            const double dt = p.time - previous->time;
            if (dt > 0 && dt < kMaxStepGapSeconds && p.step > previous->step) {
                seconds += dt;
                samples += double(p.step - previous->step) * samplesPerStep;
            }
        }
        previous = &p;
    }
    return seconds > 0 ? samples / seconds : -1;
}

double secondsBetween(const QString &from, const QString &to)
{
    const QDateTime start = QDateTime::fromString(from, Qt::ISODateWithMs);
    const QDateTime end = QDateTime::fromString(to, Qt::ISODateWithMs);
    return start.isValid() && end.isValid() ? start.msecsTo(end) / 1000.0 : -1;
}

QString budgetText(int budget)
{
    return budget < 0 ? tr("all") : QString::number(budget);
}

} // namespace

Result<QList<RunComparison::Run>> RunComparison::load(const QSqlDatabase &db)
{
    using R = Result<QList<Run>>;
    const RunStore store(db);
    const auto records = store.list();
    const auto corpora = CorpusStore::summaries(db);
    const auto models = ModelRegistry::list(db);
    for (const QString &problem : {records.error(), corpora.error(), models.error()}) {
        if (!problem.isEmpty())
            return R::failure(problem);
    }
    QHash<qint64, QString> corpusNames;
    for (const CorpusSummary &c : corpora.value())
        corpusNames.insert(c.id, c.name);
    QHash<qint64, QString> modelNames;
    for (const ModelRecord &m : models.value())
        modelNames.insert(m.id, m.name);
    const auto summaries = RunSummary::loadAll(db, StrategyRegistry::fineTuningBaseline());
    if (!summaries)
        return R::failure(summaries.error());
    QList<Run> runs;
    for (const RunRecord &record : records.value()) {
        Run run;
        run.record = record;
        for (const RunSummary &s : summaries.value()) {
            if (s.run.id == record.id)
                run.summary = s;
        }
        run.source = corpusNames.value(record.sourceCorpusId);
        run.target = corpusNames.value(record.targetCorpusId);
        run.model = modelNames.value(record.modelId);
        const auto config = TrainingConfig::fromJson(QJsonDocument::fromJson(record.configJson.toUtf8()).object());
        const TrainingConfig c = config ? config.value() : TrainingConfig();
        run.budget = c.targetLabels;
        run.seconds = secondsBetween(record.startedAt, record.finishedAt);
        if (auto final = store.finalMetrics(record.id))
            run.final = std::move(final.value());
        if (auto points = store.metrics(record.id))
            run.points = std::move(points.value());
        run.fineTuneStart = MetricSeries::fineTuningStart(run.points);
        run.samplesPerSecond = throughput(run.points, c.batchSize);
        runs.append(std::move(run));
    }
    return runs;
}

RunComparison::RunComparison(QList<Run> runs, const QString &metric) : m_runs(std::move(runs)), m_metric(metric) {}

bool RunComparison::higherIsBetter(const QString &metric)
{
    return !Metrics::lowerIsBetter(metric);
}

RunComparison::Stat RunComparison::stat(const QList<double> &values)
{
    const SeedEstimate e = SeedStatistics::of(values);
    return Stat{e.mean, e.std, e.n, e.ciLow, e.ciHigh};
}

QString RunComparison::finalSplit(const Run &run, const QString &domain, int *examples)
{
    const DomainResult &r = run.summary.result(domain == QLatin1String("source") ? Domain::Source : Domain::Target);
    *examples = r.examples;
    return r.split;
}

double RunComparison::finalValue(const Run &run, const QString &domain, bool *ok) const
{
    // Accuracy and macro-F1 as the run's summary defines them (every text of the result split).
    const DomainResult &r = run.summary.result(domain == QLatin1String("source") ? Domain::Source : Domain::Target);
    if (r.isValid() && (m_metric == Metrics::kAccuracy || m_metric == Metrics::kMacroF1)) {
        *ok = true;
        return m_metric == Metrics::kAccuracy ? r.accuracy : r.macroF1;
    }
    for (const QString &split : {domain + QStringLiteral("/test"), domain + QStringLiteral("/validation")}) {
        const auto metrics = run.final.value(split);
        if (metrics.contains(m_metric)) {
            *ok = true;
            return metrics.value(m_metric);
        }
    }
    *ok = false;
    return 0;
}

QList<const RunComparison::Run *> RunComparison::selected(const QList<qint64> &ids) const
{
    QList<const Run *> runs;
    for (const Run &run : m_runs) {
        if (ids.contains(run.record.id))
            runs.append(&run);
    }
    return runs;
}

QList<qint64> RunComparison::allIds() const
{
    QList<qint64> ids;
    for (const Run &run : m_runs)
        ids.append(run.record.id);
    return ids;
}

QList<QList<const RunComparison::Run *>> RunComparison::experiments(const QList<qint64> &ids) const
{
    QList<QList<const Run *>> groups;
    QHash<QString, qsizetype> index;
    for (const Run *run : selected(ids)) {
        if (run->record.status != RunRecord::Status::Finished)
            continue;
        const QString key = RunSettingsKey::of(run->record);
        if (!index.contains(key)) {
            index.insert(key, groups.size());
            groups.append(QList<const Run *>());
        }
        groups[index.value(key)].append(run);
    }
    return groups;
}

QList<QStringList> RunComparison::differencesOf(const QList<QList<const Run *>> &groups)
{
    QMap<QString, QList<qsizetype>> alike; // what a row shows of itself -> the groups showing it
    for (qsizetype i = 0; i < groups.size(); ++i) {
        const Run &first = *groups.at(i).first();
        alike[QStringList{strategyLabel(first.record.strategy, first.budget), first.source, first.target, first.model}
                  .join(QChar(0))]
            .append(i);
    }
    QList<QStringList> differences(groups.size());
    for (const QList<qsizetype> &members : std::as_const(alike)) {
        if (members.size() < 2)
            continue;
        QList<RunRecord> records;
        for (const qsizetype i : members)
            records.append(groups.at(i).first()->record);
        for (qsizetype k = 0; k < members.size(); ++k)
            differences[members.at(k)] = RunSettingsKey::differences(records, k);
    }
    return differences;
}

QList<RunComparison::Row> RunComparison::rows(const QList<qint64> &ids) const
{
    const QList<QList<const Run *>> groups = experiments(ids);
    const QList<QStringList> differences = differencesOf(groups);
    QList<Row> rows;
    for (qsizetype i = 0; i < groups.size(); ++i) {
        rows.append(aggregate(groups.at(i)));
        rows.last().differences = differences.at(i);
    }
    return rows;
}

RunComparison::Row RunComparison::aggregate(const QList<const Run *> &group) const
{
    const Run &first = *group.first();
    Row row;
    row.key = RunSettingsKey::of(first.record);
    row.sourceSplit = finalSplit(first, QStringLiteral("source"), &row.sourceExamples);
    row.targetSplit = finalSplit(first, QStringLiteral("target"), &row.targetExamples);
    row.strategy = first.record.strategy;
    row.source = first.source;
    row.target = first.target;
    row.model = first.model;
    row.budget = first.budget;
    row.groupId = first.record.groupId;
    row.selection.criterion = first.summary.selection.criterion;
    row.selection.usesTargetLabels = first.summary.selection.usesTargetLabels;
    QList<double> source, target, gap, seconds, speed;
    for (const Run *run : group) {
        row.runIds.append(run->record.id);
        bool hasSource = false;
        bool hasTarget = false;
        const double s = finalValue(*run, QStringLiteral("source"), &hasSource);
        const double t = finalValue(*run, QStringLiteral("target"), &hasTarget);
        if (hasSource)
            source.append(s);
        if (hasTarget)
            target.append(t);
        if (hasSource && hasTarget)
            gap.append(s - t);
        if (run->seconds >= 0)
            seconds.append(run->seconds);
        if (run->samplesPerSecond > 0)
            speed.append(run->samplesPerSecond);
    }
    row.sourceValue = stat(source);
    row.targetValue = stat(target);
    row.gap = stat(gap);
    row.seconds = stat(seconds);
    row.samplesPerSecond = stat(speed);
    return row;
}

QMap<QString, QMap<QString, RunComparison::Stat>> RunComparison::matrix(const QList<qint64> &ids,
                                                                         QMap<QString, QString> *scopes) const
{
    // Runs of one strategy with other settings are rows of their own, named as in rows() (without
    // its statistics: no bootstrap here).
    const QList<QList<const Run *>> groups = experiments(ids);
    const QList<QStringList> groupDifferences = differencesOf(groups);
    QHash<qint64, QStringList> differences;
    for (qsizetype i = 0; i < groups.size(); ++i) {
        for (const Run *run : groups.at(i))
            differences.insert(run->record.id, groupDifferences.at(i));
    }
    QMap<QString, QMap<QString, QList<double>>> values;
    QMap<QString, QList<const Run *>> byPair;
    for (const Run *run : selected(ids)) {
        bool ok = false;
        const double t = finalValue(*run, QStringLiteral("target"), &ok);
        if (!ok || run->record.status != RunRecord::Status::Finished)
            continue;
        const QString pair = QStringLiteral("%1 → %2").arg(run->source, run->target);
        values[rowLabel(run->record.strategy, run->budget, differences.value(run->record.id))][pair].append(t);
        byPair[pair].append(run);
    }
    QMap<QString, QMap<QString, Stat>> cells;
    for (auto s = values.cbegin(); s != values.cend(); ++s) {
        for (auto p = s->cbegin(); p != s->cend(); ++p)
            cells[s.key()][p.key()] = stat(p.value());
    }
    if (scopes) {
        scopes->clear();
        for (auto p = byPair.cbegin(); p != byPair.cend(); ++p)
            scopes->insert(p.key(), scopeOf(p.value()));
    }
    return cells;
}

QMap<QString, QMap<int, RunComparison::Stat>> RunComparison::budgetCurves(const QList<qint64> &ids, QString *scope) const
{
    QMap<QString, QMap<int, QList<double>>> values;
    QMap<QString, QList<const Run *>> members;
    for (const Run *run : selected(ids)) {
        bool ok = false;
        const double t = finalValue(*run, QStringLiteral("target"), &ok);
        if (!ok || run->record.status != RunRecord::Status::Finished)
            continue;
        const QString series = QStringLiteral("%1 · %2 → %3 · %4").arg(run->record.strategy, run->source, run->target, run->model);
        values[series][run->budget].append(t);
        members[series].append(run);
    }
    QMap<QString, QMap<int, Stat>> curves;
    QList<const Run *> drawn;
    for (auto s = values.cbegin(); s != values.cend(); ++s) {
        if (s->size() < 2)
            continue;
        for (auto b = s->cbegin(); b != s->cend(); ++b)
            curves[s.key()][b.key()] = stat(b.value());
        drawn += members.value(s.key());
    }
    if (scope)
        *scope = scopeOf(drawn);
    return curves;
}

QString RunComparison::strategyLabel(const QString &strategy, int budget)
{
    if (budget == 0)
        return strategy;
    return budget < 0 ? tr("%1 · all target labels").arg(strategy)
                      : tr("%1 · %2 target labels per class").arg(strategy).arg(budget);
}

QString RunComparison::rowLabel(const QString &strategy, int budget, const QStringList &differences)
{
    const QString label = strategyLabel(strategy, budget);
    return differences.isEmpty() ? label : QStringLiteral("%1 · %2").arg(label, differences.join(QStringLiteral(", ")));
}

QString RunComparison::scopeOf(const QList<const Run *> &runs)
{
    QStringList splits;
    QList<int> counts;
    for (const Run *run : runs) {
        int examples = 0;
        const QString split = finalSplit(*run, QStringLiteral("target"), &examples).section(QLatin1Char('/'), 1);
        if (!split.isEmpty() && !splits.contains(split))
            splits.append(split);
        counts.append(examples);
    }
    std::sort(splits.begin(), splits.end()); // "test or validation"
    const QString texts = textsRange(counts);
    return texts.isEmpty() ? splits.join(tr(" or ")) : tr("%1, %2").arg(splits.join(tr(" or ")), texts);
}

QString RunComparison::textsRange(const QList<int> &counts)
{
    int fewest = 0, most = 0;
    for (const int count : counts) {
        if (count <= 0)
            continue;
        fewest = fewest == 0 ? count : std::min(fewest, count);
        most = std::max(most, count);
    }
    if (most == 0)
        return {};
    return fewest == most ? tr("%1 texts").arg(most) : tr("%1–%2 texts").arg(fewest).arg(most);
}

QStringList RunComparison::pairedDifferences(const QList<qint64> &ids) const
{
    QList<RunSummary> chosen;
    for (const Run *run : selected(ids))
        chosen.append(run->summary);
    QStringList lines;
    for (const PairedDifference &d : RunGrouping::paired(RunGrouping::group(chosen))) {
        const SeedEstimate &e = d.targetAccuracy;
        lines.append(tr("%1 − %2: target accuracy %3 over %4 common seed(s)%5")
                         .arg(d.first, d.second)
                         .arg(e.mean, 0, 'f', 3)
                         .arg(e.n)
                         .arg(e.n > 1 ? tr(", 95% interval [%1, %2]").arg(e.ciLow, 0, 'f', 3).arg(e.ciHigh, 0, 'f', 3)
                                      : QString()));
    }
    return lines;
}

QStringList RunComparison::warnings(const QList<qint64> &ids) const
{
    QStringList messages = negativeTransfer(rows(ids));
    for (const Run *run : selected(ids)) {
        if (const QString message = forgetting(*run); !message.isEmpty())
            messages.append(message);
    }
    return messages;
}

bool RunComparison::clearlyWorse(double value, double baseline) const
{
    return higherIsBetter(m_metric) ? value < baseline - kNegativeTransferMargin
                                    : value > baseline + kNegativeTransferMargin;
}

QStringList RunComparison::negativeTransfer(const QList<Row> &selectedRows) const
{
    const QList<Row> all = rows(allIds());
    QStringList messages;
    // The registry's baselines: the untrained one is compared at any label budget, fine-tuning at the same.
    using Baseline = StrategyDescriptor::Baseline;
    for (const Row &row : selectedRows) {
        const StrategyDescriptor *strategy = StrategyRegistry::find(row.strategy);
        if ((strategy && strategy->baseline == Baseline::Untrained) || row.targetValue.n == 0)
            continue;
        for (const StrategyDescriptor &reference : StrategyRegistry::all()) {
            const QString &baseline = reference.name;
            if (reference.baseline == Baseline::None || baseline == row.strategy)
                continue;
            const bool anyBudget = reference.baseline == Baseline::Untrained;
            const auto match = std::find_if(all.cbegin(), all.cend(), [&](const Row &other) {
                return other.strategy == baseline && other.source == row.source && other.target == row.target
                    && other.model == row.model && other.targetValue.n > 0
                    && (anyBudget || other.budget == row.budget);
            });
            if (match == all.cend() || !clearlyWorse(row.targetValue.mean, match->targetValue.mean))
                continue;
            messages.append(tr("Negative transfer: %1 on %2 → %3 (%4, %5 target labels per class) reaches a target "
                               "%6 of %7, worse than the %8 run's %9.")
                                .arg(row.strategy, row.source, row.target, row.model, budgetText(row.budget), m_metric)
                                .arg(row.targetValue.mean, 0, 'f', 3)
                                .arg(baseline)
                                .arg(match->targetValue.mean, 0, 'f', 3));
        }
    }
    return messages;
}

QString RunComparison::forgetting(const Run &run) const
{
    for (const QString &metric : {m_metric, kPerplexity}) {
        QList<double> series;
        for (const MetricPoint &p : run.points) {
            if (p.split == Splits::kSourceValidation && p.metric == metric)
                series.append(p.value);
        }
        if (series.size() < 2)
            continue;
        const bool higher = higherIsBetter(metric);
        const double best = higher ? *std::max_element(series.cbegin(), series.cend())
                                   : *std::min_element(series.cbegin(), series.cend());
        const double last = series.last();
        const bool forgot = higher ? best - last > kForgettingDrop : last > best * (1 + kForgettingRise);
        if (!forgot)
            return {};
        return tr("Forgetting: run %1 (%2) ends with a source %3 of %4 after reaching %5: the model is losing "
                  "what it knew about the source domain.")
            .arg(run.record.id)
            .arg(run.record.strategy, metric)
            .arg(last, 0, 'f', 3)
            .arg(best, 0, 'f', 3);
    }
    return {};
}

} // namespace ts::ui
