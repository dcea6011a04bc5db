#include "project/RunGrouping.h"

#include "project/RunSettingsKey.h"

#include <QJsonArray>

namespace ts {

namespace {

QJsonObject estimateJson(const SeedEstimate &e)
{
    return QJsonObject{{QStringLiteral("n"), e.n},
                       {QStringLiteral("mean"), e.mean},
                       {QStringLiteral("std"), e.std},
                       {QStringLiteral("ci95"), QJsonArray{e.ciLow, e.ciHigh}}};
}

SeedEstimate over(const QList<RunSummary> &runs, double (*value)(const RunSummary &))
{
    QList<double> values;
    for (const RunSummary &r : runs)
        values.append(value(r));
    return SeedStatistics::of(values);
}

} // namespace

QJsonObject RunGroupResult::toJson() const
{
    QJsonArray ids;
    for (const RunSummary &r : runs)
        ids.append(r.run.id);
    return QJsonObject{{QStringLiteral("key"), key},
                       {QStringLiteral("strategy"), strategy},
                       {QStringLiteral("runs"), ids},
                       {QStringLiteral("n"), int(runs.size())},
                       {QStringLiteral("selection"), selection.toJson()},
                       {QStringLiteral("target"), QJsonObject{{QStringLiteral("split"), targetSplit},
                                                              {QStringLiteral("examples"), targetExamples},
                                                              {QStringLiteral("accuracy"), estimateJson(targetAccuracy)},
                                                              {QStringLiteral("macro_f1"), estimateJson(targetMacroF1)}}},
                       {QStringLiteral("source"), QJsonObject{{QStringLiteral("split"), sourceSplit},
                                                              {QStringLiteral("examples"), sourceExamples},
                                                              {QStringLiteral("accuracy"), estimateJson(sourceAccuracy)}}},
                       {QStringLiteral("gap"), estimateJson(gap)},
                       {QStringLiteral("differences"), QJsonArray::fromStringList(differences)}};
}

QJsonObject PairedDifference::toJson() const
{
    return QJsonObject{{QStringLiteral("first"), first},
                       {QStringLiteral("second"), second},
                       {QStringLiteral("target_accuracy"), estimateJson(targetAccuracy)},
                       {QStringLiteral("target_macro_f1"), estimateJson(targetMacroF1)}};
}

QList<RunGroupResult> RunGrouping::group(const QList<RunSummary> &runs)
{
    QList<RunGroupResult> groups;
    for (const RunSummary &r : runs) {
        if (r.run.status != RunRecord::Status::Finished || !r.target.isValid())
            continue;
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&r](const RunGroupResult &g) { return g.key == r.settingsKey; });
        if (it == groups.end()) {
            RunGroupResult g;
            g.key = r.settingsKey;
            g.strategy = r.run.strategy;
            groups.append(g);
            it = groups.end() - 1;
        }
        it->runs.append(r);
    }
    for (RunGroupResult &g : groups) {
        const RunSummary &first = g.runs.first();
        g.targetSplit = first.target.split;
        // Equal in every run of the group (the key holds it); the selected step is each run's own.
        g.selection.criterion = first.selection.criterion;
        g.selection.usesTargetLabels = first.selection.usesTargetLabels;
        g.targetExamples = first.target.examples;
        g.sourceSplit = first.source.split;
        g.sourceExamples = first.source.examples;
        g.targetAccuracy = over(g.runs, [](const RunSummary &r) { return r.target.accuracy; });
        g.targetMacroF1 = over(g.runs, [](const RunSummary &r) { return r.target.macroF1; });
        g.sourceAccuracy = over(g.runs, [](const RunSummary &r) { return r.source.accuracy; });
        g.gap = over(g.runs, [](const RunSummary &r) { return r.source.isValid() ? r.gap() : 0.0; });
    }
    for (RunGroupResult &g : groups) {
        QList<RunRecord> sameStrategy;
        qsizetype index = 0;
        for (const RunGroupResult &other : std::as_const(groups)) {
            if (other.strategy != g.strategy)
                continue;
            if (&other == &g)
                index = sameStrategy.size();
            sameStrategy.append(other.runs.first().run);
        }
        if (sameStrategy.size() > 1)
            g.differences = RunSettingsKey::differences(sameStrategy, index);
    }
    return groups;
}

QList<PairedDifference> RunGrouping::paired(const QList<RunGroupResult> &groups)
{
    QList<PairedDifference> result;
    for (int a = 0; a < groups.size(); ++a) {
        for (int b = a + 1; b < groups.size(); ++b) {
            const RunGroupResult &first = groups[a];
            const RunGroupResult &second = groups[b];
            if (first.strategy == second.strategy ||
                RunSettingsKey::withoutStrategy(first.runs.first().run) !=
                    RunSettingsKey::withoutStrategy(second.runs.first().run))
                continue;
            QList<double> accuracy;
            QList<double> macroF1;
            for (const RunSummary &x : first.runs) {
                for (const RunSummary &y : second.runs) {
                    if (x.run.initSeed != y.run.initSeed || x.run.dataSeed != y.run.dataSeed)
                        continue;
                    accuracy.append(x.target.accuracy - y.target.accuracy);
                    macroF1.append(x.target.macroF1 - y.target.macroF1);
                }
            }
            if (accuracy.isEmpty())
                continue;
            result.append({first.strategy, second.strategy, SeedStatistics::of(accuracy), SeedStatistics::of(macroF1)});
        }
    }
    return result;
}

} // namespace ts
