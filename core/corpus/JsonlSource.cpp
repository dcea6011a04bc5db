#include "corpus/JsonlSource.h"

#include "corpus/Utf8Validator.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace ts {

namespace {

const QString kDefaultTextField = QStringLiteral("text");
const QString kDefaultLabelField = QStringLiteral("label");

} // namespace

JsonlSource::JsonlSource(const ImportParams &params)
    : m_reader(params.path, params.encoding), m_scanner(m_reader),
      m_textField(params.textColumn.isEmpty() ? kDefaultTextField : params.textColumn),
      m_labelField(params.split == ImportSplit::Unlabeled ? QString() : params.labelColumn)
{
}

Result<std::unique_ptr<RecordSource>> JsonlSource::open(const ImportParams &params)
{
    using R = Result<std::unique_ptr<RecordSource>>;
    std::unique_ptr<JsonlSource> source(new JsonlSource(params));
    if (const Status opened = source->m_reader.open(); !opened)
        return R::failure(opened.error());
    const Result<bool> first = source->readLine();
    if (!first)
        return R::failure(first.error());
    source->m_pending = first.value();
    if (first.value() && params.labelColumn.isEmpty() && params.split != ImportSplit::Unlabeled) {
        const QJsonObject object = QJsonDocument::fromJson(source->m_line).object();
        if (object.contains(kDefaultLabelField))
            source->m_labelField = kDefaultLabelField;
    }
    return std::unique_ptr<RecordSource>(std::move(source));
}

QString JsonlSource::textColumnName() const
{
    return QStringLiteral("'%1'").arg(m_textField);
}

QString JsonlSource::labelColumnName() const
{
    return QStringLiteral("'%1'").arg(m_labelField);
}

// The next non-blank line, checked to be UTF-8.
Result<bool> JsonlSource::readLine()
{
    do {
        const Result<bool> line = m_scanner.nextLine(m_line);
        if (!line || !line.value())
            return line;
    } while (m_line.trimmed().isEmpty());
    if (const qsizetype bad = Utf8Validator::firstInvalid(m_line); bad >= 0)
        return Result<bool>::failure(m_scanner.located(QStringLiteral("the line ") + Utf8Validator::describe(m_line, bad)));
    return true;
}

Result<bool> JsonlSource::next(SourceRecord &record)
{
    if (!m_pending) {
        const Result<bool> line = readLine();
        if (!line || !line.value())
            return line;
    }
    m_pending = false;
    record.origin = QStringLiteral("%1:%2").arg(m_reader.path()).arg(m_scanner.recordLine());
    record.text.clear();
    record.label.reset();
    record.rejection.clear();
    parse(record);
    return true;
}

void JsonlSource::parse(SourceRecord &record) const
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(m_line, &error);
    if (error.error != QJsonParseError::NoError) {
        record.rejection = QStringLiteral("not valid JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset);
        return;
    }
    if (!document.isObject()) {
        record.rejection = QStringLiteral("not a JSON object");
        return;
    }
    const QJsonObject object = document.object();
    const QJsonValue text = object.value(m_textField);
    if (!text.isString()) {
        record.rejection = text.isUndefined() ? QStringLiteral("has no field '%1'").arg(m_textField)
                                              : QStringLiteral("field '%1' is not a string").arg(m_textField);
        return;
    }
    record.text = text.toString().toUtf8();
    if (m_labelField.isEmpty())
        return;
    const QJsonValue label = object.value(m_labelField);
    if (label.isString()) {
        record.label = label.toString().trimmed();
    } else if (label.isDouble() && label.toDouble() == double(label.toInteger())) {
        record.label = QString::number(label.toInteger());
    } else {
        record.rejection = label.isUndefined()
            ? QStringLiteral("has no field '%1'").arg(m_labelField)
            : QStringLiteral("field '%1' is neither a string nor an integer").arg(m_labelField);
    }
}

} // namespace ts
