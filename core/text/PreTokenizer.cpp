#include "text/PreTokenizer.h"

#include "text/StepSequence.h"

#include "text/ByteLevelAlphabet.h"
#include "text/Unicode.h"

#include <QJsonArray>
#include <QJsonObject>

namespace ts {

namespace {

constexpr int kMaxSteps = 16; // steps accepted in a Sequence pre-tokenizer

QString str(const char *s)
{
    return QString::fromLatin1(s);
}

} // namespace

PreTokenizer PreTokenizer::bert()
{
    PreTokenizer p;
    p.m_steps.push_back(Step{});
    return p;
}

PreTokenizer PreTokenizer::byteLevel(bool addPrefixSpace)
{
    Step step;
    step.kind = Kind::ByteLevel;
    step.addPrefixSpace = addPrefixSpace;
    PreTokenizer p;
    p.m_steps.push_back(step);
    return p;
}

Result<PreTokenizer> PreTokenizer::fromJson(const QJsonValue &json, const QString &field)
{
    auto steps = stepsequence::fromJson<Step>(json, field, QStringLiteral("pretokenizers"), kMaxSteps, &PreTokenizer::parseStep);
    if (!steps)
        return Result<PreTokenizer>::failure(steps.error());
    PreTokenizer p;
    p.m_steps = std::move(steps.value());
    return p;
}

Result<PreTokenizer::Step> PreTokenizer::parseStep(const QJsonObject &o, const QString &field)
{
    const QString type = o.value(str("type")).toString();
    Step step;
    if (type == str("BertPreTokenizer")) {
        step.kind = Kind::Bert;
    } else if (type == str("WhitespaceSplit")) {
        step.kind = Kind::WhitespaceSplit;
    } else if (type == str("ByteLevel")) {
        step.kind = Kind::ByteLevel;
        step.addPrefixSpace = o.value(str("add_prefix_space")).toBool(true);
        step.trimOffsets = o.value(str("trim_offsets")).toBool(true);
        step.useRegex = o.value(str("use_regex")).toBool(true);
    } else if (type == str("Split")) {
        step.kind = Kind::Split;
        const QString regex = o.value(str("pattern")).toObject().value(str("Regex")).toString();
        const auto pattern = RegexSplitter::recognise(regex);
        if (!pattern)
            return Result<Step>::failure(QStringLiteral("%1.pattern: unsupported Split regex \"%2\" (GPT-2, Llama 3 "
                                                        "and Qwen2 patterns are supported)").arg(field, regex.left(80)));
        if (o.value(str("behavior")).toString() != str("Isolated") || o.value(str("invert")).toBool(false))
            return Result<Step>::failure(QStringLiteral("%1.behavior: only \"Isolated\" without invert is supported").arg(field));
        step.pattern = *pattern;
    } else if (type == str("Metaspace")) {
        step.kind = Kind::Metaspace;
        const QString replacement = o.value(str("replacement")).toString(QStringLiteral("\u2581"));
        if (replacement.isEmpty())
            return Result<Step>::failure(QStringLiteral("%1.replacement must not be empty").arg(field));
        step.replacement = replacement.toStdString();
        const QString scheme = o.value(str("prepend_scheme")).toString(
            o.value(str("add_prefix_space")).toBool(true) ? str("always") : str("never"));
        step.prepend = scheme == str("first") ? Prepend::First : scheme == str("never") ? Prepend::Never : Prepend::Always;
        step.metaspaceSplit = o.value(str("split")).toBool(true);
    } else {
        return Result<Step>::failure(QStringLiteral("%1.type: unsupported pre-tokenizer \"%2\"").arg(field, type));
    }
    return step;
}

QJsonValue PreTokenizer::toJson() const
{
    return stepsequence::toJson(m_steps, QStringLiteral("pretokenizers"), &PreTokenizer::stepToJson);
}

QJsonObject PreTokenizer::stepToJson(const Step &step)
{
    switch (step.kind) {
    case Kind::Bert:
        return {{str("type"), str("BertPreTokenizer")}};
    case Kind::WhitespaceSplit:
        return {{str("type"), str("WhitespaceSplit")}};
    case Kind::ByteLevel:
        return {{str("type"), str("ByteLevel")}, {str("add_prefix_space"), step.addPrefixSpace},
                {str("trim_offsets"), step.trimOffsets}, {str("use_regex"), step.useRegex}};
    case Kind::Split:
        return {{str("type"), str("Split")},
                {str("pattern"), QJsonObject{{str("Regex"), RegexSplitter::regexText(step.pattern)}}},
                {str("behavior"), str("Isolated")}, {str("invert"), false}};
    case Kind::Metaspace:
        break;
    }
    static const char *const schemes[] = {"always", "first", "never"};
    return {{str("type"), str("Metaspace")}, {str("replacement"), QString::fromStdString(step.replacement)},
            {str("prepend_scheme"), str(schemes[int(step.prepend)])}, {str("split"), step.metaspaceSplit}};
}

void PreTokenizer::split(NormalizedText &text, std::vector<Piece> &pieces) const
{
    for (const Step &step : m_steps) {
        switch (step.kind) {
        case Kind::Bert:
            splitBert(text, pieces);
            break;
        case Kind::WhitespaceSplit:
            splitWhitespace(text, pieces);
            break;
        case Kind::Split:
            splitRegex(step, text, pieces);
            break;
        case Kind::ByteLevel:
            mapBytes(step, text, pieces);
            break;
        case Kind::Metaspace:
            metaspace(step, text, pieces);
            break;
        }
    }
}

void PreTokenizer::splitBert(const NormalizedText &text, std::vector<Piece> &pieces)
{
    std::vector<Piece> out;
    out.reserve(pieces.size() * 2 + text.size() / 4);
    for (const Piece &piece : pieces) {
        std::size_t wordStart = piece.first;
        std::size_t pos = piece.first;
        while (pos < piece.second) {
            const std::size_t at = pos;
            const char32_t c = unicode::decodeUtf8(text.bytes, pos);
            const bool space = unicode::isWhitespace(c);
            if (!space && !unicode::isBertPunctuation(c))
                continue;
            if (wordStart < at)
                out.emplace_back(wordStart, at);
            if (!space)
                out.emplace_back(at, pos);
            wordStart = pos;
        }
        if (wordStart < piece.second)
            out.emplace_back(wordStart, piece.second);
    }
    pieces.swap(out);
}

void PreTokenizer::splitWhitespace(const NormalizedText &text, std::vector<Piece> &pieces)
{
    std::vector<Piece> out;
    for (const Piece &piece : pieces) {
        std::size_t wordStart = piece.first;
        std::size_t pos = piece.first;
        while (pos < piece.second) {
            const std::size_t at = pos;
            if (!unicode::isWhitespace(unicode::decodeUtf8(text.bytes, pos)))
                continue;
            if (wordStart < at)
                out.emplace_back(wordStart, at);
            wordStart = pos;
        }
        if (wordStart < piece.second)
            out.emplace_back(wordStart, piece.second);
    }
    pieces.swap(out);
}

void PreTokenizer::splitRegex(const Step &step, const NormalizedText &text, std::vector<Piece> &pieces)
{
    const RegexSplitter splitter(step.pattern);
    std::vector<Piece> out;
    out.reserve(pieces.size() + text.size() / 3);
    for (const Piece &piece : pieces) {
        const std::string_view view(text.bytes.data() + piece.first, piece.second - piece.first);
        splitter.split(view, piece.first, out);
    }
    pieces.swap(out);
}

void PreTokenizer::mapBytes(const Step &step, NormalizedText &text, std::vector<Piece> &pieces)
{
    const ByteLevelAlphabet &alphabet = ByteLevelAlphabet::instance();
    std::vector<Piece> split;
    if (step.useRegex) {
        Step regex;
        regex.pattern = RegexSplitter::Pattern::Gpt2;
        splitRegex(regex, text, pieces);
    }
    NormalizedText out;
    out.reserve(text.size() * 2);
    for (const Piece &piece : pieces) {
        const std::size_t begin = out.size();
        if (step.addPrefixSpace && piece.first < piece.second && text.bytes[piece.first] != ' ') {
            // HF prepends the space with the alignment of the piece's first character.
            out.bytes += alphabet.utf8Of(' ');
            out.origStart.insert(out.origStart.end(), alphabet.utf8Of(' ').size(), text.origStart[piece.first]);
            out.origEnd.insert(out.origEnd.end(), alphabet.utf8Of(' ').size(), text.origEnd[piece.first]);
        }
        for (std::size_t b = piece.first; b < piece.second; ++b) {
            const std::string &mapped = alphabet.utf8Of(static_cast<unsigned char>(text.bytes[b]));
            out.bytes += mapped;
            out.origStart.insert(out.origStart.end(), mapped.size(), text.origStart[b]);
            out.origEnd.insert(out.origEnd.end(), mapped.size(), text.origEnd[b]);
        }
        split.emplace_back(begin, out.size());
    }
    text = std::move(out);
    pieces.swap(split);
}

void PreTokenizer::metaspace(const Step &step, NormalizedText &text, std::vector<Piece> &pieces)
{
    NormalizedText out;
    out.reserve(text.size() + pieces.size() * step.replacement.size());
    std::vector<Piece> split;
    auto appendReplacement = [&](int start, int end) {
        std::size_t c = 0;
        while (c < step.replacement.size())
            out.append(unicode::decodeUtf8(step.replacement, c), start, end);
    };
    for (const Piece &piece : pieces) {
        if (piece.first == piece.second)
            continue;
        const std::size_t begin = out.size();
        const bool startsWithReplacement =
            text.bytes.compare(piece.first, step.replacement.size(), step.replacement) == 0
            || text.bytes[piece.first] == ' ';
        const bool prepend = step.prepend == Prepend::Always
            || (step.prepend == Prepend::First && text.origStart[piece.first] == 0);
        if (prepend && !startsWithReplacement)
            appendReplacement(text.origStart[piece.first], text.origEnd[piece.first]);
        std::size_t pieceStart = begin;
        for (std::size_t b = piece.first; b < piece.second; ++b) {
            const bool space = text.bytes[b] == ' ';
            const bool isReplacement = space || text.bytes.compare(b, step.replacement.size(), step.replacement) == 0;
            if (step.metaspaceSplit && isReplacement && out.size() > pieceStart) {
                split.emplace_back(pieceStart, out.size());
                pieceStart = out.size();
            }
            if (space) {
                appendReplacement(text.origStart[b], text.origEnd[b]);
            } else {
                out.appendRange(text, b, b + 1);
            }
        }
        if (out.size() > pieceStart)
            split.emplace_back(pieceStart, out.size());
    }
    text = std::move(out);
    pieces.swap(split);
}

} // namespace ts
