#include "corpus/LineSource.h"

#include "corpus/Utf8Validator.h"

namespace ts {

LineSource::LineSource(const ImportParams &params) : m_reader(params.path, params.encoding), m_scanner(m_reader) {}

Result<std::unique_ptr<RecordSource>> LineSource::open(const ImportParams &params)
{
    using R = Result<std::unique_ptr<RecordSource>>;
    std::unique_ptr<LineSource> source(new LineSource(params));
    if (const Status opened = source->m_reader.open(); !opened)
        return R::failure(opened.error());
    return std::unique_ptr<RecordSource>(std::move(source));
}

Result<bool> LineSource::next(SourceRecord &record)
{
    do {
        const Result<bool> line = m_scanner.nextLine(m_line);
        if (!line || !line.value())
            return line;
    } while (m_line.trimmed().isEmpty());
    if (const qsizetype bad = Utf8Validator::firstInvalid(m_line); bad >= 0)
        return Result<bool>::failure(m_scanner.located(QStringLiteral("the line ") + Utf8Validator::describe(m_line, bad)));
    record.origin = m_reader.path() + QLatin1Char(':') + QString::number(m_scanner.recordLine());
    record.text = m_line;
    record.label.reset();
    record.rejection.clear();
    return true;
}

} // namespace ts
