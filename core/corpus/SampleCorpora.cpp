#include "corpus/SampleCorpora.h"

#include "corpus/CorpusImporter.h"
#include "corpus/ImportParams.h"

#include <QFile>

// Registers the resources of the static library (must run outside any namespace).
static void initSampleResources()
{
    Q_INIT_RESOURCE(samples);
}

namespace ts {

QStringList SampleCorpora::domains()
{
    return {QStringLiteral("books"), QStringLiteral("electronics"), QStringLiteral("restaurants")};
}

QString SampleCorpora::file(const QString &domain, const QString &part)
{
    initSampleResources();
    const QString suffix = part == QLatin1String("unlabeled") ? QStringLiteral("txt") : QStringLiteral("tsv");
    return QStringLiteral(":/samples/%1.%2.%3").arg(domain, part, suffix);
}

Status SampleCorpora::importDomain(Project &project, const QString &domain)
{
    if (!domains().contains(domain))
        return Status::failure(QStringLiteral("there is no sample domain \"%1\"; use one of %2")
                                   .arg(domain, domains().join(QStringLiteral(", "))));
    const struct
    {
        const char *part;
        ImportSplit split;
    } parts[] = {{"train", ImportSplit::Train}, {"test", ImportSplit::Test}, {"unlabeled", ImportSplit::Unlabeled}};
    for (const auto &p : parts) {
        ImportParams params = importDefaultParams();
        params.corpus = domain;
        params.path = file(domain, QLatin1String(p.part));
        params.split = p.split;
        if (p.split == ImportSplit::Unlabeled) {
            params.format = CorpusFormat::Text;
        } else {
            params.format = CorpusFormat::Tsv;
            params.hasHeader = false;
            params.labelColumn = QStringLiteral("0");
            params.textColumn = QStringLiteral("1");
        }
        const auto report = CorpusImporter::run(project, params);
        if (!report)
            return Status::failure(report.error());
    }
    return {};
}

} // namespace ts
