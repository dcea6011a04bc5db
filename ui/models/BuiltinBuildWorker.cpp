#include "models/BuiltinBuildWorker.h"

#include "model/BuiltinModels.h"
#include "project/Project.h"

#include <QThread>

namespace ts::ui {

BuiltinBuildWorker::BuiltinBuildWorker(Request request) : m_request(std::move(request)) {}

void BuiltinBuildWorker::run()
{
    BuiltinBuildParams params;
    params.seed = m_request.seed;
    params.abort = [] { return QThread::currentThread()->isInterruptionRequested(); };
    params.progress = [this](const QString &stage, int done, int total) { Q_EMIT progress(stage, done, total); };
    qint64 id = 0;
    QString error;
    {
        // The connection is opened and closed on this thread.
        const auto project = Project::open(m_request.projectPath);
        const auto added = project ? BuiltinModels::addToProject(project.value()->database(), m_request.builtinName,
                                                                 m_request.modelName, m_request.corpora, params)
                                   : Result<qint64>::failure(project.error());
        if (added)
            id = added.value();
        else
            error = added.error();
    }
    Q_EMIT finished(id, error);
}

} // namespace ts::ui
