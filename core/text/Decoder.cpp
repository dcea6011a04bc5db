#include "text/Decoder.h"

#include "text/StepSequence.h"

#include "text/ByteLevelAlphabet.h"

#include <QJsonArray>
#include <QJsonObject>

namespace ts {

namespace {

constexpr int kMaxSteps = 16;               // steps accepted in a Sequence decoder
constexpr int kByteTokenLength = 6;         // "<0xNN>"
const QChar kReplacementChar(0xFFFD);       // one per byte of an invalid UTF-8 sequence

QString str(const char *s)
{
    return QString::fromLatin1(s);
}

/// HF WordPiece decoder's cleanup, applied to each token.
QString cleanup(QString s)
{
    static const std::pair<const char *, const char *> replacements[] = {
        {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"}, {" n't", "n't"}, {" 'm", "'m"},
        {" do not", " don't"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
    for (const auto &[from, to] : replacements)
        s.replace(QLatin1String(from), QLatin1String(to));
    return s;
}

/// The byte of a "<0xNN>" token, or -1.
int byteToken(const QString &token)
{
    if (token.size() != kByteTokenLength || !token.startsWith(QLatin1String("<0x")) || !token.endsWith(QLatin1Char('>')))
        return -1;
    bool ok = false;
    const int value = token.mid(3, 2).toInt(&ok, 16);
    return ok ? value : -1;
}

} // namespace

Decoder Decoder::wordPiece(const QString &prefix)
{
    Decoder d;
    Step step;
    step.kind = Kind::WordPiece;
    step.text = prefix;
    d.m_steps.push_back(step);
    return d;
}

Decoder Decoder::byteLevel()
{
    Decoder d;
    Step step;
    step.kind = Kind::ByteLevel;
    d.m_steps.push_back(step);
    return d;
}

Result<Decoder> Decoder::fromJson(const QJsonValue &json, const QString &field)
{
    auto steps = stepsequence::fromJson<Step>(json, field, QStringLiteral("decoders"), kMaxSteps, &Decoder::parseStep);
    if (!steps)
        return Result<Decoder>::failure(steps.error());
    Decoder d;
    d.m_steps = std::move(steps.value());
    return d;
}

Result<Decoder::Step> Decoder::parseStep(const QJsonObject &o, const QString &field)
{
    const QString type = o.value(str("type")).toString();
    Step step;
    if (type == str("WordPiece")) {
        step.kind = Kind::WordPiece;
        step.text = o.value(str("prefix")).toString(str("##"));
        step.cleanup = o.value(str("cleanup")).toBool(true);
    } else if (type == str("ByteLevel")) {
        step.kind = Kind::ByteLevel;
    } else if (type == str("Metaspace")) {
        step.kind = Kind::Metaspace;
        step.text = o.value(str("replacement")).toString(QStringLiteral("\u2581"));
        step.prependScheme = o.value(str("prepend_scheme")).toString(str("always"));
        step.prependFirst = step.prependScheme != str("never") && o.value(str("add_prefix_space")).toBool(true);
        step.split = o.value(str("split")).toBool(true);
    } else if (type == str("Replace")) {
        step.kind = Kind::Replace;
        step.text = o.value(str("pattern")).toObject().value(str("String")).toString();
        step.content = o.value(str("content")).toString();
        if (step.text.isEmpty())
            return Result<Step>::failure(QStringLiteral("%1.pattern: only non-empty {\"String\": ...} patterns are supported").arg(field));
    } else if (type == str("ByteFallback")) {
        step.kind = Kind::ByteFallback;
    } else if (type == str("Fuse")) {
        step.kind = Kind::Fuse;
    } else if (type == str("Strip")) {
        step.kind = Kind::Strip;
        step.text = o.value(str("content")).toString(str(" "));
        step.start = o.value(str("start")).toInt(0);
        step.stop = o.value(str("stop")).toInt(0);
        if (step.text.size() != 1 || step.start < 0 || step.stop < 0)
            return Result<Step>::failure(QStringLiteral("%1: content must be one character, start and stop not negative").arg(field));
    } else {
        return Result<Step>::failure(QStringLiteral("%1.type: unsupported decoder \"%2\"").arg(field, type));
    }
    return step;
}

QJsonValue Decoder::toJson() const
{
    return stepsequence::toJson(m_steps, QStringLiteral("decoders"), &Decoder::stepToJson);
}

QJsonObject Decoder::stepToJson(const Step &step)
{
    switch (step.kind) {
    case Kind::WordPiece:
        return {{str("type"), str("WordPiece")}, {str("prefix"), step.text}, {str("cleanup"), step.cleanup}};
    case Kind::ByteLevel:
        return {{str("type"), str("ByteLevel")}, {str("add_prefix_space"), true}, {str("trim_offsets"), true},
                {str("use_regex"), true}};
    case Kind::Metaspace:
        return {{str("type"), str("Metaspace")}, {str("replacement"), step.text},
                {str("prepend_scheme"), step.prependScheme}, {str("split"), step.split}};
    case Kind::Replace:
        return {{str("type"), str("Replace")}, {str("pattern"), QJsonObject{{str("String"), step.text}}},
                {str("content"), step.content}};
    case Kind::ByteFallback:
        return {{str("type"), str("ByteFallback")}};
    case Kind::Fuse:
        return {{str("type"), str("Fuse")}};
    case Kind::Strip:
        break;
    }
    return {{str("type"), str("Strip")}, {str("content"), step.text}, {str("start"), step.start}, {str("stop"), step.stop}};
}

QString Decoder::decode(QStringList tokens) const
{
    if (m_steps.empty())
        return tokens.join(QLatin1Char(' '));
    for (const Step &step : m_steps)
        apply(step, tokens);
    return tokens.join(QString());
}

void Decoder::apply(const Step &step, QStringList &tokens)
{
    switch (step.kind) {
    case Kind::WordPiece:
        wordPieceStep(step, tokens);
        break;
    case Kind::ByteLevel:
        byteLevelStep(tokens);
        break;
    case Kind::Metaspace:
        metaspaceStep(step, tokens);
        break;
    case Kind::Replace:
        for (QString &token : tokens)
            token.replace(step.text, step.content);
        break;
    case Kind::ByteFallback:
        byteFallbackStep(tokens);
        break;
    case Kind::Fuse:
        tokens = QStringList{tokens.join(QString())};
        break;
    case Kind::Strip:
        stripStep(step, tokens);
        break;
    }
}

void Decoder::wordPieceStep(const Step &step, QStringList &tokens)
{
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        QString &token = tokens[i];
        if (i != 0) {
            if (token.startsWith(step.text))
                token.remove(0, step.text.size());
            else
                token.prepend(QLatin1Char(' '));
        }
        if (step.cleanup)
            token = cleanup(token);
    }
}

void Decoder::byteLevelStep(QStringList &tokens)
{
    const ByteLevelAlphabet &alphabet = ByteLevelAlphabet::instance();
    std::string bytes;
    for (const QString &token : tokens) {
        const std::string utf8 = token.toStdString();
        std::string decoded;
        if (alphabet.decode(utf8, decoded))
            bytes += decoded;
        else
            bytes += utf8;
    }
    tokens = QStringList{QString::fromUtf8(bytes.data(), qsizetype(bytes.size()))};
}

void Decoder::byteFallbackStep(QStringList &tokens)
{
    QStringList out;
    QByteArray pending;
    auto flush = [&]() {
        if (pending.isEmpty())
            return;
        const QString text = QString::fromUtf8(pending);
        if (text.toUtf8() == pending)
            out.append(text);
        else
            for (qsizetype i = 0; i < pending.size(); ++i)
                out.append(QString(kReplacementChar));
        pending.clear();
    };
    for (const QString &token : tokens) {
        const int byte = byteToken(token);
        if (byte >= 0) {
            pending.append(char(byte));
            continue;
        }
        flush();
        out.append(token);
    }
    flush();
    tokens = out;
}

void Decoder::metaspaceStep(const Step &step, QStringList &tokens)
{
    for (qsizetype i = 0; i < tokens.size(); ++i)
        tokens[i].replace(step.text, i == 0 && step.prependFirst ? QString() : QStringLiteral(" "));
}

void Decoder::stripStep(const Step &step, QStringList &tokens)
{
    const QChar content = step.text.at(0);
    for (QString &token : tokens) {
        int from = 0;
        while (from < step.start && from < token.size() && token[from] == content)
            ++from;
        int to = int(token.size());
        while (int(token.size()) - to < step.stop && to > from && token[to - 1] == content)
            --to;
        token = token.mid(from, to - from);
    }
}

} // namespace ts
