#include "corpus/DomainShiftWorker.h"

#include "corpus/DomainShiftAnalyzer.h"
#include "project/Project.h"

namespace ts::ui {

DomainShiftWorker::DomainShiftWorker(QString projectPath, QString source, QString target)
    : m_projectPath(std::move(projectPath)), m_source(std::move(source)), m_target(std::move(target))
{
}

void DomainShiftWorker::work()
{
    DomainShiftParams params = domainShiftDefaultParams();
    params.abort = [this] { return cancelled(); };
    params.progress = [this](const QString &stage, double) { Q_EMIT progress(stage); };
    Result<DomainShiftReport> report = Result<DomainShiftReport>::failure(QString());
    {
        const auto project = Project::open(m_projectPath, Project::Access::ReadOnly);
        report = project ? DomainShiftAnalyzer::analyze(project.value()->database(), m_source, m_target, params)
                         : Result<DomainShiftReport>::failure(project.error());
    }
    Q_EMIT finished(report ? report.value() : DomainShiftReport(), report.error());
}

} // namespace ts::ui
