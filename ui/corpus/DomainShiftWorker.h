#pragma once

#include "corpus/BackgroundWorker.h"

#include "corpus/DomainShiftParams.h"
#include "corpus/DomainShiftReport.h"
#include "util/Result.h"

namespace ts::ui {

/// Computes the domain-shift report of two corpora on a worker thread (DomainShiftAnalyzer),
/// with its own read-only Project; with a model named, its tokenizer measures fragmentation.
class DomainShiftWorker : public BackgroundWorker
{
    Q_OBJECT

public:
    /// `model` empty: no fragmentation.
    DomainShiftWorker(QString projectPath, QString source, QString target, QString model);

Q_SIGNALS:
    /// Now and then: what the analysis is doing, in words.
    void progress(const QString &stage);
    /// The report, or an empty one and why it could not be computed.
    void finished(const ts::DomainShiftReport &report, const QString &error);

protected:
    void work() override;

private:
    Result<DomainShiftReport> analyze(DomainShiftParams &params);

    QString m_projectPath;
    QString m_source;
    QString m_target;
    QString m_model;
};

} // namespace ts::ui
