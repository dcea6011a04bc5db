#pragma once

#include "corpus/BackgroundWorker.h"

#include "corpus/DomainShiftReport.h"

namespace ts::ui {

/// Computes the domain-shift report of two corpora on a worker thread (DomainShiftAnalyzer),
/// with its own read-only Project.
class DomainShiftWorker : public BackgroundWorker
{
    Q_OBJECT

public:
    DomainShiftWorker(QString projectPath, QString source, QString target);

Q_SIGNALS:
    /// Now and then: what the analysis is doing, in words.
    void progress(const QString &stage);
    /// The report, or an empty one and why it could not be computed.
    void finished(const ts::DomainShiftReport &report, const QString &error);

protected:
    void work() override;

private:
    QString m_projectPath;
    QString m_source;
    QString m_target;
};

} // namespace ts::ui
