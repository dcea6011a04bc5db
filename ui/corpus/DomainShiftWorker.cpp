#include "corpus/DomainShiftWorker.h"

#include "corpus/DomainShiftAnalyzer.h"
#include "model/ModelTokenizer.h"
#include "project/Project.h"

namespace ts::ui {

DomainShiftWorker::DomainShiftWorker(QString projectPath, QString source, QString target, QString model)
    : m_projectPath(std::move(projectPath)), m_source(std::move(source)), m_target(std::move(target)),
      m_model(std::move(model))
{
}

void DomainShiftWorker::work()
{
    DomainShiftParams params = domainShiftDefaultParams();
    params.abort = [this] { return cancelled(); };
    params.progress = [this](const QString &stage, double) { Q_EMIT progress(stage); };
    const Result<DomainShiftReport> report = analyze(params);
    Q_EMIT finished(report ? report.value() : DomainShiftReport(), report.error());
}

Result<DomainShiftReport> DomainShiftWorker::analyze(DomainShiftParams &params)
{
    using R = Result<DomainShiftReport>;
    const auto project = Project::open(m_projectPath, Project::Access::ReadOnly);
    if (!project)
        return R::failure(project.error());
    const QSqlDatabase db = project.value()->database();
    if (!m_model.isEmpty()) {
        Q_EMIT progress(tr("loading the tokenizer of %1").arg(m_model));
        const Result<Tokenizer> tokenizer = ModelTokenizer::load(db, m_model);
        if (!tokenizer)
            return R::failure(tokenizer.error());
        params.tokenizer = tokenizer.value();
        params.tokenizerName = m_model;
    }
    return DomainShiftAnalyzer::analyze(db, m_source, m_target, params);
}

} // namespace ts::ui
