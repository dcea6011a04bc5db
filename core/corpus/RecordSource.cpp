#include "corpus/RecordSource.h"

#include "corpus/DelimitedSource.h"
#include "corpus/FolderSource.h"
#include "corpus/FormatDetector.h"
#include "corpus/ImportParams.h"
#include "corpus/JsonlSource.h"
#include "corpus/LineSource.h"

namespace ts {

Result<std::unique_ptr<RecordSource>> RecordSource::open(const ImportParams &params)
{
    using R = Result<std::unique_ptr<RecordSource>>;
    switch (params.format) {
    case CorpusFormat::Csv: {
        if (params.delimiter != 0)
            return DelimitedSource::open(params, params.delimiter);
        const Result<char> delimiter = FormatDetector::detectDelimiter(params.path, params.encoding);
        if (!delimiter)
            return R::failure(delimiter.error());
        return DelimitedSource::open(params, delimiter.value());
    }
    case CorpusFormat::Tsv:
        return DelimitedSource::open(params, '\t');
    case CorpusFormat::Jsonl:
        return JsonlSource::open(params);
    case CorpusFormat::Text:
        return LineSource::open(params);
    case CorpusFormat::Folder:
        return FolderSource::open(params);
    case CorpusFormat::Auto:
        break;
    }
    return R::failure(QStringLiteral("%1: the format must be settled (FormatDetector) before reading").arg(params.path));
}

} // namespace ts
