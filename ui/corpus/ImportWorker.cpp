#include "corpus/ImportWorker.h"

#include "corpus/CorpusImporter.h"
#include "project/Project.h"

namespace ts::ui {

ImportWorker::ImportWorker(QString projectPath, ImportParams params)
    : m_projectPath(std::move(projectPath)), m_params(std::move(params))
{
}

void ImportWorker::work()
{
    ImportParams params = m_params;
    params.abort = [this] { return cancelled(); };
    params.progress = [this](const ImportProgress &p) {
        Q_EMIT progress(p.bytesRead, p.totalBytes, p.documents, p.rejected);
    };
    Result<ImportReport> report = Result<ImportReport>::failure(QString());
    {
        // The connection is opened and closed on this thread.
        const auto project = Project::open(m_projectPath);
        report = project ? CorpusImporter::run(*project.value(), params) : Result<ImportReport>::failure(project.error());
    }
    if (report)
        Q_EMIT finished(report.value(), QString(), false);
    else
        Q_EMIT finished(ImportReport(), report.error(), cancelled());
}

} // namespace ts::ui
