#include "corpus/ProfileWorker.h"

#include "corpus/CorpusProfiler.h"
#include "project/Project.h"

namespace ts::ui {

ProfileWorker::ProfileWorker(QString projectPath, QString corpus)
    : m_projectPath(std::move(projectPath)), m_corpus(std::move(corpus))
{
}

void ProfileWorker::work()
{
    DomainShiftParams params = domainShiftDefaultParams();
    params.maxClassifierDocuments = 0; // counts only, no sample
    params.abort = [this] { return cancelled(); };
    Result<CorpusProfile> profile = Result<CorpusProfile>::failure(QString());
    {
        const auto project = Project::open(m_projectPath, Project::Access::ReadOnly);
        if (!project) {
            profile = Result<CorpusProfile>::failure(project.error());
        } else {
            const auto scan = CorpusProfiler::scan(project.value()->database(), m_corpus, params);
            profile = scan ? Result<CorpusProfile>(scan->profile) : Result<CorpusProfile>::failure(scan.error());
        }
    }
    Q_EMIT finished(profile ? profile.value() : CorpusProfile(), profile.error());
}

} // namespace ts::ui
