#include "text/Normalizer.h"

#include "text/StepSequence.h"

#include "text/Unicode.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

namespace ts {

namespace {

constexpr char32_t kAsciiEnd = 0x80;
constexpr char32_t kDottedCapitalI = 0x130;   // the one letter whose lower case is two characters
constexpr char32_t kCombiningDotAbove = 0x307; // ... "i" followed by this mark
constexpr char32_t kReplacementChar = 0xFFFD;  // dropped by BERT's clean_text
constexpr int kMaxSequenceDepth = 8;           // nested Sequence normalizers accepted

/// Calls `f(c, start, end)` for every character of `text` with its original span.
template <typename F>
void forEachChar(const NormalizedText &text, F &&f)
{
    std::size_t pos = 0;
    while (pos < text.bytes.size()) {
        const std::size_t at = pos;
        const char32_t c = unicode::decodeUtf8(text.bytes, pos);
        f(c, text.origStart[at], text.origEnd[pos - 1]);
    }
}

/// Rust's `char::to_lowercase`: the full mapping, which differs from the simple one only for U+0130.
void appendLower(NormalizedText &out, char32_t c, int start, int end)
{
    if (c < kAsciiEnd) {
        out.append(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c, start, end);
    } else if (c == kDottedCapitalI) {
        out.append('i', start, end);
        out.append(kCombiningDotAbove, start, end);
    } else {
        out.append(QChar::toLower(c), start, end);
    }
}

QString::NormalizationForm formOf(int kind)
{
    static const QString::NormalizationForm forms[] = {
        QString::NormalizationForm_C, QString::NormalizationForm_D, QString::NormalizationForm_KC,
        QString::NormalizationForm_KD};
    return forms[kind];
}

bool fieldIsBool(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).isBool();
}

} // namespace

Normalizer Normalizer::bert(bool lowercase, bool stripAccents)
{
    Step step;
    step.kind = Kind::Bert;
    step.lowercase = lowercase;
    step.stripAccents = stripAccents;
    Normalizer n;
    n.m_steps.push_back(step);
    return n;
}

Result<Normalizer> Normalizer::fromJson(const QJsonValue &json, const QString &field)
{
    Normalizer n;
    if (json.isNull() || json.isUndefined())
        return n;
    std::vector<std::pair<QJsonObject, QString>> pending{{json.toObject(), field}};
    if (!json.isObject())
        return Result<Normalizer>::failure(QStringLiteral("%1 must be an object or null").arg(field));
    int depth = 0;
    while (!pending.empty()) {
        auto [object, where] = pending.front();
        pending.erase(pending.begin());
        if (object.value(QLatin1String("type")).toString() == QLatin1String("Sequence")) {
            if (++depth > kMaxSequenceDepth)
                return Result<Normalizer>::failure(QStringLiteral("%1 nests too deeply").arg(where));
            const QJsonArray items = object.value(QLatin1String("normalizers")).toArray();
            std::vector<std::pair<QJsonObject, QString>> children;
            for (int i = 0; i < items.size(); ++i) {
                if (!items[i].isObject())
                    return Result<Normalizer>::failure(
                        QStringLiteral("%1.normalizers[%2] must be an object").arg(where).arg(i));
                children.emplace_back(items[i].toObject(), QStringLiteral("%1.normalizers[%2]").arg(where).arg(i));
            }
            pending.insert(pending.begin(), children.begin(), children.end());
            continue;
        }
        auto step = parseStep(object, where);
        if (!step)
            return Result<Normalizer>::failure(step.error());
        n.m_steps.push_back(step.value());
    }
    return n;
}

Result<Normalizer::Step> Normalizer::parseStep(const QJsonObject &o, const QString &field)
{
    const QString type = o.value(QLatin1String("type")).toString();
    Step step;
    if (type == QLatin1String("BertNormalizer")) {
        step.kind = Kind::Bert;
        step.cleanText = o.value(QLatin1String("clean_text")).toBool(true);
        step.chineseChars = o.value(QLatin1String("handle_chinese_chars")).toBool(true);
        step.lowercase = o.value(QLatin1String("lowercase")).toBool(true);
        step.bertStripAccentsNull = !fieldIsBool(o, "strip_accents");
        // HF: strip_accents null means "strip when lower-casing".
        step.stripAccents = step.bertStripAccentsNull ? step.lowercase
                                                      : o.value(QLatin1String("strip_accents")).toBool();
    } else if (type == QLatin1String("NFC")) {
        step.kind = Kind::Nfc;
    } else if (type == QLatin1String("NFD")) {
        step.kind = Kind::Nfd;
    } else if (type == QLatin1String("NFKC")) {
        step.kind = Kind::Nfkc;
    } else if (type == QLatin1String("NFKD")) {
        step.kind = Kind::Nfkd;
    } else if (type == QLatin1String("Lowercase")) {
        step.kind = Kind::Lowercase;
    } else if (type == QLatin1String("StripAccents")) {
        step.kind = Kind::StripAccents;
    } else if (type == QLatin1String("Strip")) {
        step.kind = Kind::Strip;
        step.stripLeft = o.value(QLatin1String("strip_left")).toBool(true);
        step.stripRight = o.value(QLatin1String("strip_right")).toBool(true);
    } else if (type == QLatin1String("Replace")) {
        step.kind = Kind::Replace;
        const QJsonObject pattern = o.value(QLatin1String("pattern")).toObject();
        if (!pattern.value(QLatin1String("String")).isString() || pattern.value(QLatin1String("String")).toString().isEmpty())
            return Result<Step>::failure(
                QStringLiteral("%1.pattern: only non-empty {\"String\": ...} patterns are supported").arg(field));
        step.pattern = pattern.value(QLatin1String("String")).toString().toStdString();
        step.content = o.value(QLatin1String("content")).toString().toStdString();
    } else if (type == QLatin1String("Prepend")) {
        step.kind = Kind::Prepend;
        step.content = o.value(QLatin1String("prepend")).toString().toStdString();
    } else {
        return Result<Step>::failure(QStringLiteral("%1.type: unsupported normalizer \"%2\"").arg(field, type));
    }
    return step;
}

QJsonValue Normalizer::toJson() const
{
    return stepsequence::toJson(m_steps, QStringLiteral("normalizers"), &Normalizer::stepToJson);
}

QJsonValue Normalizer::stepToJson(const Step &step)
{
    static const char *const names[] = {"BertNormalizer", "NFC", "NFD", "NFKC", "NFKD", "Lowercase",
                                        "StripAccents", "Strip", "Replace", "Prepend"};
    QJsonObject o{{QStringLiteral("type"), QLatin1String(names[int(step.kind)])}};
    switch (step.kind) {
    case Kind::Bert:
        o.insert(QStringLiteral("clean_text"), step.cleanText);
        o.insert(QStringLiteral("handle_chinese_chars"), step.chineseChars);
        o.insert(QStringLiteral("strip_accents"),
                 step.bertStripAccentsNull ? QJsonValue(QJsonValue::Null) : QJsonValue(step.stripAccents));
        o.insert(QStringLiteral("lowercase"), step.lowercase);
        break;
    case Kind::Strip:
        o.insert(QStringLiteral("strip_left"), step.stripLeft);
        o.insert(QStringLiteral("strip_right"), step.stripRight);
        break;
    case Kind::Replace:
        o.insert(QStringLiteral("pattern"), QJsonObject{{QStringLiteral("String"), QString::fromStdString(step.pattern)}});
        o.insert(QStringLiteral("content"), QString::fromStdString(step.content));
        break;
    case Kind::Prepend:
        o.insert(QStringLiteral("prepend"), QString::fromStdString(step.content));
        break;
    default:
        break;
    }
    return o;
}

void Normalizer::normalize(NormalizedText &text) const
{
    for (const Step &step : m_steps) {
        switch (step.kind) {
        case Kind::Bert:
            text = applyBert(step, text);
            break;
        case Kind::Nfc:
        case Kind::Nfd:
        case Kind::Nfkc:
        case Kind::Nfkd:
            text = applyUnicodeForm(step.kind, text);
            break;
        case Kind::Lowercase:
        case Kind::StripAccents:
            text = applyCharMap(step.kind, text);
            break;
        case Kind::Strip:
            text = applyStrip(step, text);
            break;
        case Kind::Replace:
            text = applyReplace(step, text);
            break;
        case Kind::Prepend:
            text = applyPrepend(step, text);
            break;
        }
    }
}

NormalizedText Normalizer::applyBert(const Step &step, const NormalizedText &text)
{
    NormalizedText out;
    out.reserve(text.size() + text.size() / 4);
    forEachChar(text, [&](char32_t c, int start, int end) {
        if (step.cleanText) {
            if (c == 0 || c == kReplacementChar || unicode::isBertControl(c))
                return;
            if (unicode::isWhitespace(c))
                c = ' ';
        }
        if (step.chineseChars && unicode::isCjkIdeograph(c)) {
            out.append(' ', start, end);
            out.append(c, start, end);
            out.append(' ', start, end);
            return;
        }
        if (c < kAsciiEnd || !step.stripAccents) {
            if (step.lowercase)
                appendLower(out, c, start, end);
            else
                out.append(c, start, end);
            return;
        }
        const QString decomposed = QString::fromUcs4(&c, 1).normalized(QString::NormalizationForm_D);
        for (const char32_t d : decomposed.toUcs4()) {
            if (unicode::isNonSpacingMark(d))
                continue;
            if (step.lowercase)
                appendLower(out, d, start, end);
            else
                out.append(d, start, end);
        }
    });
    return out;
}

NormalizedText Normalizer::applyUnicodeForm(Kind kind, const NormalizedText &text)
{
    // Normalise one "starter + combining marks" segment at a time so that each output character
    // keeps an alignment: 1:1 when the segment keeps its length; otherwise the first output
    // character takes the first input's span and each later one the input it equals (an
    // uncomposed mark), as HF's alignments give a composed character its first source's span.
    NormalizedText out;
    out.reserve(text.size());
    std::u32string segment;
    std::vector<std::pair<int, int>> spans;
    auto flush = [&]() {
        if (segment.empty())
            return;
        const QString normal = QString::fromUcs4(segment.data(), qsizetype(segment.size()))
                                   .normalized(formOf(int(kind) - int(Kind::Nfc)));
        const QList<uint> chars = normal.toUcs4();
        std::size_t source = 0;
        for (qsizetype i = 0; i < chars.size(); ++i) {
            if (qsizetype(spans.size()) == chars.size()) {
                source = std::size_t(i);
            } else if (i > 0) {
                std::size_t equal = source + 1;
                while (equal < segment.size() && segment[equal] != chars[i])
                    ++equal;
                source = equal < segment.size() ? equal : std::min(source + 1, segment.size() - 1);
            }
            out.append(chars[i], spans[source].first, spans[source].second);
        }
        segment.clear();
        spans.clear();
    };
    forEachChar(text, [&](char32_t c, int start, int end) {
        if (QChar::combiningClass(c) == 0)
            flush();
        segment.push_back(c);
        spans.emplace_back(start, end);
    });
    flush();
    return out;
}

NormalizedText Normalizer::applyCharMap(Kind kind, const NormalizedText &text)
{
    NormalizedText out;
    out.reserve(text.size());
    forEachChar(text, [&](char32_t c, int start, int end) {
        if (kind == Kind::Lowercase)
            appendLower(out, c, start, end);
        else if (!unicode::isNonSpacingMark(c))
            out.append(c, start, end);
    });
    return out;
}

NormalizedText Normalizer::applyStrip(const Step &step, const NormalizedText &text)
{
    std::size_t from = 0;
    std::size_t to = text.size();
    while (step.stripLeft && from < to && unicode::isWhitespace(char32_t(static_cast<unsigned char>(text.bytes[from]))))
        ++from;
    while (step.stripRight && to > from && unicode::isWhitespace(char32_t(static_cast<unsigned char>(text.bytes[to - 1]))))
        --to;
    NormalizedText out;
    out.appendRange(text, from, to);
    return out;
}

NormalizedText Normalizer::applyReplace(const Step &step, const NormalizedText &text)
{
    NormalizedText out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t hit = text.bytes.find(step.pattern, pos);
        const std::size_t stop = hit == std::string::npos ? text.size() : hit;
        out.appendRange(text, pos, stop);
        if (hit == std::string::npos)
            break;
        const int start = text.origStart[hit];
        const int end = text.origEnd[hit + step.pattern.size() - 1];
        std::size_t c = 0;
        while (c < step.content.size())
            out.append(unicode::decodeUtf8(step.content, c), start, end);
        pos = hit + step.pattern.size();
    }
    return out;
}

NormalizedText Normalizer::applyPrepend(const Step &step, const NormalizedText &text)
{
    if (text.empty())
        return text;
    NormalizedText out;
    out.reserve(text.size() + step.content.size());
    std::size_t c = 0;
    while (c < step.content.size())
        out.append(unicode::decodeUtf8(step.content, c), text.origStart[0], text.origEnd[0]);
    out.appendRange(text, 0, text.size());
    return out;
}

} // namespace ts
