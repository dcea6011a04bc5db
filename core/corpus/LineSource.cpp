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
    const Result<QString> text = Utf8Validator::decode(m_line);
    if (!text)
        return Result<bool>::failure(m_scanner.located(QStringLiteral("the line ") + text.error()));
    record.origin = QStringLiteral("%1:%2").arg(m_reader.path()).arg(m_scanner.recordLine());
    record.text = text.value();
    record.label.reset();
    record.rejection.clear();
    return true;
}

} // namespace ts
