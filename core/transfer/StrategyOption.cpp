#include "transfer/StrategyOption.h"

#include "transfer/PromptTemplate.h"
#include "transfer/Verbalizer.h"

#include <cmath>

namespace ts {

namespace {

/// A number without needless digits: 16, 0.05, 1e-05.
QString numberText(double value)
{
    return QString::number(value, 'g', 10);
}

} // namespace

QString StrategyOption::kindName() const
{
    switch (kind) {
    case Kind::Integer:
        return QStringLiteral("integer");
    case Kind::Real:
        return QStringLiteral("real");
    case Kind::Text:
        return QStringLiteral("text");
    case Kind::Choice:
        return QStringLiteral("choice");
    case Kind::Prompt:
        return QStringLiteral("prompt");
    case Kind::LabelWords:
        return QStringLiteral("label_words");
    case Kind::Flag:
        break;
    }
    return QStringLiteral("flag");
}

QString StrategyOption::allowed() const
{
    switch (kind) {
    case Kind::Integer:
        return QStringLiteral("a whole number from %1 to %2").arg(numberText(minimum), numberText(maximum));
    case Kind::Real:
        return QStringLiteral("a number from %1 to %2").arg(numberText(minimum), numberText(maximum));
    case Kind::Text:
        return QStringLiteral("text");
    case Kind::Choice:
        return QStringLiteral("one of %1").arg(choices.join(QStringLiteral(", ")));
    case Kind::Prompt:
        return QStringLiteral("text with {text} once and optionally {mask}");
    case Kind::LabelWords:
        return QStringLiteral("label=word pairs separated by commas");
    case Kind::Flag:
        break;
    }
    return QStringLiteral("true or false (also 1/0, yes/no)");
}

QString StrategyOption::defaultText() const
{
    if (defaultValue.isBool())
        return defaultValue.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (defaultValue.isDouble())
        return numberText(defaultValue.toDouble());
    return defaultValue.toString();
}

Result<QJsonValue> StrategyOption::parse(const QString &text) const
{
    using R = Result<QJsonValue>;
    const QString value = text.trimmed();
    const auto refuse = [&] {
        return R::failure(QStringLiteral("option \"%1\": \"%2\" is not allowed; use %3").arg(name, text, allowed()));
    };
    switch (kind) {
    case Kind::Integer:
    case Kind::Real: {
        bool ok = false;
        const double number = value.toDouble(&ok);
        if (!ok)
            return refuse();
        if (const Status s = check(QJsonValue(number)); !s)
            return R::failure(s.error());
        return QJsonValue(number);
    }
    case Kind::Flag: {
        const QString lower = value.toLower();
        if (lower == QLatin1String("true") || lower == QLatin1String("1") || lower == QLatin1String("yes"))
            return QJsonValue(true);
        if (lower == QLatin1String("false") || lower == QLatin1String("0") || lower == QLatin1String("no"))
            return QJsonValue(false);
        return refuse();
    }
    case Kind::Choice:
        if (!choices.contains(value))
            return refuse();
        return QJsonValue(value);
    case Kind::Prompt:
    case Kind::LabelWords:
        if (const Status s = check(QJsonValue(value)); !s)
            return R::failure(s.error());
        break;
    case Kind::Text:
        break;
    }
    return QJsonValue(value);
}

Status StrategyOption::check(const QJsonValue &value) const
{
    const auto refuse = [&](const QString &shown) {
        return Status::failure(QStringLiteral("option \"%1\": %2 is not allowed; use %3").arg(name, shown, allowed()));
    };
    switch (kind) {
    case Kind::Integer:
    case Kind::Real: {
        if (!value.isDouble())
            return refuse(QStringLiteral("a value that is not a number"));
        const double number = value.toDouble();
        // NaN fails every comparison, so it is refused here too; so are the infinities.
        const bool inRange = std::isfinite(number) && number >= minimum && number <= maximum;
        if (!inRange || (kind == Kind::Integer && number != std::floor(number)))
            return refuse(numberText(number));
        return {};
    }
    case Kind::Flag:
        return value.isBool() ? Status() : refuse(QStringLiteral("a value that is not true or false"));
    case Kind::Choice:
        return value.isString() && choices.contains(value.toString())
                   ? Status()
                   : refuse(QStringLiteral("\"%1\"").arg(value.toVariant().toString()));
    case Kind::Text:
    case Kind::Prompt:
    case Kind::LabelWords:
        break;
    }
    if (!value.isString())
        return refuse(QStringLiteral("a value that is not text"));
    if (kind == Kind::Prompt) {
        const auto prompt = PromptTemplate::parse(value.toString(), name);
        return prompt ? Status() : Status::failure(prompt.error());
    }
    return kind == Kind::LabelWords ? Verbalizer::checkSyntax(value.toString(), name) : Status();
}

} // namespace ts
