#include "corpus/CorpusFormat.h"

namespace ts {

namespace {

struct FormatName
{
    CorpusFormat format;
    const char *name;
};

constexpr FormatName kNames[] = {
    {CorpusFormat::Auto, "auto"},   {CorpusFormat::Csv, "csv"},   {CorpusFormat::Tsv, "tsv"},
    {CorpusFormat::Jsonl, "jsonl"}, {CorpusFormat::Text, "txt"},  {CorpusFormat::Folder, "folder"},
};

} // namespace

QString corpusFormatName(CorpusFormat format)
{
    for (const FormatName &entry : kNames) {
        if (entry.format == format)
            return QLatin1String(entry.name);
    }
    return {};
}

std::optional<CorpusFormat> parseCorpusFormat(const QString &name)
{
    for (const FormatName &entry : kNames) {
        if (name == QLatin1String(entry.name))
            return entry.format;
    }
    return std::nullopt;
}

} // namespace ts
