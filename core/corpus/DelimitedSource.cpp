#include "corpus/DelimitedSource.h"

#include "corpus/Utf8Validator.h"

namespace ts {

namespace {

const QString kDefaultTextColumn = QStringLiteral("text");
const QString kDefaultLabelColumn = QStringLiteral("label");

} // namespace

DelimitedSource::DelimitedSource(const ImportParams &params, char delimiter)
    : m_reader(params.path, params.encoding), m_scanner(m_reader), m_delimiter(delimiter),
      m_hasHeader(params.hasHeader), m_swallowCheck(!params.quotedNewlines)
{
    m_scanner.setSwallowCheck(m_swallowCheck, 0, 0);
}

Result<std::unique_ptr<RecordSource>> DelimitedSource::open(const ImportParams &params, char delimiter)
{
    using R = Result<std::unique_ptr<RecordSource>>;
    std::unique_ptr<DelimitedSource> source(new DelimitedSource(params, delimiter));
    if (const Status opened = source->m_reader.open(); !opened)
        return R::failure(opened.error());
    if (const Status columns = source->resolveColumns(params); !columns)
        return R::failure(columns.error());
    return std::unique_ptr<RecordSource>(std::move(source));
}

Status DelimitedSource::resolveColumns(const ImportParams &params)
{
    if (m_hasHeader) {
        const Result<bool> row = m_scanner.nextRow(m_delimiter, m_fields);
        if (!row)
            return Status::failure(row.error());
        if (!row.value())
            return Status::failure(QStringLiteral("%1:1: the file is empty (no header, no records)").arg(m_reader.path()));
        for (const QByteArray &field : std::as_const(m_fields)) {
            const Result<QString> name = Utf8Validator::decode(field);
            if (!name)
                return Status::failure(m_scanner.located(QStringLiteral("the header ") + name.error()));
            m_header.append(name.value().trimmed());
        }
    }
    const QString text = params.textColumn.isEmpty() ? (m_hasHeader ? kDefaultTextColumn : QStringLiteral("0"))
                                                     : params.textColumn;
    const Result<int> textIndex = resolve(text, QStringLiteral("text"));
    if (!textIndex)
        return Status::failure(textIndex.error());
    m_textIndex = textIndex.value();
    m_scanner.setSwallowCheck(m_swallowCheck, int(m_header.size()), m_textIndex);
    if (params.split == ImportSplit::Unlabeled)
        return {};
    QString label = params.labelColumn;
    if (label.isEmpty() && m_header.contains(kDefaultLabelColumn))
        label = kDefaultLabelColumn;
    if (label.isEmpty())
        return {};
    const Result<int> labelIndex = resolve(label, QStringLiteral("label"));
    if (!labelIndex)
        return Status::failure(labelIndex.error());
    m_labelIndex = labelIndex.value();
    if (m_labelIndex == m_textIndex)
        return Status::failure(QStringLiteral("%1: the text and the label are both column %2; choose two columns")
                                   .arg(m_reader.path(), columnName(m_textIndex)));
    return {};
}

// A column given as a 0-based index, or by a name from the header.
Result<int> DelimitedSource::resolve(const QString &column, const QString &role) const
{
    bool isIndex = false;
    const int index = column.toInt(&isIndex);
    if (isIndex && index >= 0 && (!m_hasHeader || index < m_header.size()))
        return index;
    if (isIndex && index >= 0) {
        return Result<int>::failure(QStringLiteral("%1:1: %2 column %3 is missing: the header has %4 column(s) (%5)")
                                        .arg(m_reader.path(), role)
                                        .arg(index)
                                        .arg(m_header.size())
                                        .arg(m_header.join(QStringLiteral(", "))));
    }
    if (!m_hasHeader) {
        return Result<int>::failure(QStringLiteral("%1: %2 column '%3' is given by name, but the file has no header; "
                                                   "give a 0-based column index")
                                        .arg(m_reader.path(), role, column));
    }
    const int found = m_header.indexOf(column);
    if (found < 0) {
        return Result<int>::failure(QStringLiteral("%1:1: no %2 column '%3' in the header (columns: %4)")
                                        .arg(m_reader.path(), role, column, m_header.join(QStringLiteral(", "))));
    }
    return found;
}

QString DelimitedSource::columnName(int index) const
{
    if (index < m_header.size())
        return QStringLiteral("'%1'").arg(m_header.at(index));
    return QString::number(index);
}

Result<bool> DelimitedSource::next(SourceRecord &record)
{
    const Result<bool> row = m_scanner.nextRow(m_delimiter, m_fields);
    if (!row || !row.value())
        return row;
    if (!m_hasHeader && !m_expectedKnown) {
        // Without a header the first row tells how many fields a record has.
        m_scanner.setSwallowCheck(m_swallowCheck, int(m_fields.size()), m_textIndex);
        m_expectedKnown = true;
    }
    record.origin = m_reader.path() + QLatin1Char(':') + QString::number(m_scanner.recordLine());
    record.text.clear();
    record.label.reset();
    record.rejection.clear();
    const int needed = std::max(m_textIndex, m_labelIndex) + 1;
    if (m_fields.size() < needed) {
        const int missing = m_fields.size() <= m_textIndex ? m_textIndex : m_labelIndex;
        record.rejection = QStringLiteral("has %1 field(s); the %2 column %3 is missing")
                               .arg(m_fields.size())
                               .arg(missing == m_textIndex ? QStringLiteral("text") : QStringLiteral("label"))
                               .arg(columnName(missing));
        return true;
    }
    // Invalid bytes mean a wrong encoding, not a bad row: the whole file is refused.
    const QByteArray &text = m_fields.at(m_textIndex);
    if (const qsizetype bad = Utf8Validator::firstInvalid(text); bad >= 0)
        return Result<bool>::failure(m_scanner.located(QStringLiteral("the text ") + Utf8Validator::describe(text, bad)));
    record.text = text;
    if (m_labelIndex >= 0) {
        const Result<QString> label = Utf8Validator::decode(m_fields.at(m_labelIndex));
        if (!label)
            return Result<bool>::failure(m_scanner.located(QStringLiteral("the label ") + label.error()));
        record.label = label.value().trimmed();
    }
    return true;
}

} // namespace ts
