#pragma once
// A project of the embedded sample corpora in a temporary folder, in which engine tests record
// and execute runs end to end (TransferRunner), usually on the built-in tiny encoder.

#include "corpus/SampleCorpora.h"
#include "model/BuiltinModels.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "train/RunControl.h"
#include "transfer/TransferRunner.h"

#include <QTemporaryDir>

namespace ts::test {

class SampleRunProject
{
public:
    /// Creates project `fileName` and imports the sample corpora of `domains`.
    Status create(const QString &fileName, const QStringList &domains = SampleCorpora::domains())
    {
        m_path = m_dir.filePath(fileName);
        auto project = Project::create(m_path);
        if (!project)
            return Status::failure(project.error());
        m_project = std::move(project.value());
        for (const QString &domain : domains) {
            const Status s = SampleCorpora::importDomain(*m_project, domain);
            if (!s.ok())
                return s;
        }
        return {};
    }

    /// Registers built-in model `builtin` (tiny-encoder, tiny-decoder) as `name`, built with seed 7
    /// and its vocabulary from books and electronics.
    Status addBuiltin(const QString &builtin, const QString &name)
    {
        BuiltinBuildParams params;
        params.seed = 7;
        return Status::from(BuiltinModels::addToProject(database(), builtin, name,
                                                        {QStringLiteral("books"), QStringLiteral("electronics")}, params));
    }

    /// A run of `strategy` on `model` from books to electronics: batches of 16 texts of at most 32
    /// tokens, learning rate 1e-3 (the tiny models' from-scratch rate).
    static RunRequest booksToElectronics(const QString &strategy, const QString &model)
    {
        RunRequest request;
        request.sourceCorpus = QStringLiteral("books");
        request.targetCorpus = QStringLiteral("electronics");
        request.model = model;
        request.config.strategy = strategy;
        request.config.learningRate = 1e-3;
        request.config.batchSize = 16;
        request.config.maxLength = 32;
        return request;
    }

    /// Records and executes `request`; the run id, or 0 (with a warning) on failure. The run's log
    /// lines replace log().
    qint64 execute(const RunRequest &request, TrainingCallbacks callbacks = {})
    {
        const auto id = TransferRunner::createRun(database(), request);
        if (!id.ok()) {
            qWarning("%s", qPrintable(id.error()));
            return 0;
        }
        const Status s = TransferRunner::execute(m_path, id.value(), withLog(callbacks));
        if (!s.ok()) {
            qWarning("%s", qPrintable(s.error()));
            return 0;
        }
        return id.value();
    }

    /// Records `request` and runs it until step `cancelAtStep`; the cancelled (resumable) run's id,
    /// or 0. Its log lines replace log().
    qint64 cancelledRun(const RunRequest &request, int64_t cancelAtStep)
    {
        const auto id = TransferRunner::createRun(database(), request);
        if (!id.ok())
            return 0;
        RunControl control;
        TrainingCallbacks callbacks;
        callbacks.control = &control;
        callbacks.progress = [&control, cancelAtStep](const TrainingProgress &p) {
            if (p.step == cancelAtStep)
                control.requestCancel();
        };
        if (!TransferRunner::execute(m_path, id.value(), withLog(callbacks)).ok())
            return 0;
        return RunStore(database()).load(id.value())->status == RunRecord::Status::Cancelled ? id.value() : 0;
    }

    Project &project() { return *m_project; }
    QSqlDatabase database() const { return m_project->database(); }
    /// The project file's path.
    const QString &path() const { return m_path; }
    /// `name` in the project's temporary folder.
    QString filePath(const QString &name) const { return m_dir.filePath(name); }
    /// The log lines of the last run executed here, joined by newlines.
    QString log() const { return m_log.join(QLatin1Char('\n')); }

private:
    TrainingCallbacks withLog(TrainingCallbacks callbacks)
    {
        m_log.clear();
        callbacks.log = [this](const QString &line) { m_log.append(line); };
        return callbacks;
    }

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Project> m_project;
    QStringList m_log;
};

} // namespace ts::test
