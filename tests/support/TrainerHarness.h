#pragma once
// A throwaway project holding one recorded run, with the metric sink and checkpoint store a
// Trainer writes into: for tests that drive a Trainer directly on a model built in code.

#include "model/nn/PretrainedModel.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "train/Trainer.h"

#include <QTemporaryDir>

namespace ts::test {

class TrainerHarness
{
public:
    /// Creates project `fileName` in a temporary folder and records a source-only run in it.
    explicit TrainerHarness(const QString &fileName)
    {
        auto project = Project::create(m_dir.filePath(fileName));
        if (!project)
            qFatal("trainer harness: %s", qPrintable(project.error()));
        m_project = std::move(project.value());
        RunRecord record;
        record.strategy = QStringLiteral("source-only");
        m_runId = RunStore(m_project->database()).create(record).value();
        m_sink = std::make_unique<MetricSink>(m_project->database(), m_runId, m_callbacks);
        m_checkpoints = std::make_unique<CheckpointStore>(m_project->database(), m_runId);
    }
    TrainerHarness(const TrainerHarness &) = delete;
    TrainerHarness &operator=(const TrainerHarness &) = delete;

    /// A "fine-tuning" phase of `epochs` that trains every weight of `model` with `objective` on
    /// `train` (weight decay 0.01).
    static TrainingPhase fineTuning(TrainingObjective &objective, const std::shared_ptr<PretrainedModel> &model,
                                    const TokenizedSet &train, double epochs, double learningRate)
    {
        TrainingPhase phase;
        phase.name = QStringLiteral("fine-tuning");
        phase.objective = &objective;
        phase.model = model;
        phase.groups = {{model->parameters(), 1.0, 0.01}};
        phase.train = &train;
        phase.epochs = epochs;
        phase.learningRate = learningRate;
        return phase;
    }

    /// Trains `phase` under `config` on the CPU (pad id 0) from its start.
    Result<PhaseResult> run(const TrainingConfig &config, TrainingPhase &phase)
    {
        Trainer trainer(config, torch::kCPU, 0, *m_sink, *m_checkpoints, m_callbacks, m_runId);
        return trainer.run(phase, std::nullopt);
    }

    /// Writes the values the sink still buffers.
    Status flush() { return m_sink->flush(); }

    /// Every value the run has recorded.
    Result<MetricPoints> metrics() const { return RunStore(m_project->database()).metrics(m_runId); }

    /// The recorded values of `split`'s `metric` in step order; none when the metrics cannot be read.
    QList<double> values(const QString &split, const QString &metric) const
    {
        QList<double> values;
        const auto points = metrics();
        if (!points)
            return values;
        for (const MetricPoint &p : points.value()) {
            if (p.split == split && p.metric == metric)
                values.append(p.value);
        }
        return values;
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Project> m_project;
    qint64 m_runId = 0;
    TrainingCallbacks m_callbacks;
    std::unique_ptr<MetricSink> m_sink;
    std::unique_ptr<CheckpointStore> m_checkpoints;
};

} // namespace ts::test
