#include "text/PostProcessor.h"

#include "text/StepSequence.h"

#include "text/Vocabulary.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cmath>

namespace ts {

namespace {

constexpr int kMaxTemplatePieces = 64;  // pieces accepted in a template
constexpr int kMaxSpecialIds = 64;      // ids accepted per template special token
const char16_t kSpaceChar = u'\u0120';  // "Ġ", the space byte in GPT-2's alphabet

QString str(const char *s)
{
    return QString::fromLatin1(s);
}

bool isSpaceLike(QChar c)
{
    return c.unicode() == kSpaceChar || c.isSpace();
}

/// Whether a JSON number is a token id; range first, as converting a double outside int's range
/// is undefined behaviour.
bool isValidId(double id)
{
    return id >= 0 && id <= Vocabulary::kMaxId && id == std::floor(id);
}

} // namespace

PostProcessor PostProcessor::bertTemplate(int clsId, const QString &cls, int sepId, const QString &sep)
{
    Step step;
    step.kind = Kind::Template;
    step.specials = {Special{cls, {clsId}, {cls}}, Special{sep, {sepId}, {sep}}};
    step.single = {Piece{false, 0, cls, 0}, Piece{true, 0, {}, 0}, Piece{false, 0, sep, 0}};
    step.pair = step.single;
    step.pair.push_back(Piece{true, 1, {}, 1});
    step.pair.push_back(Piece{false, 0, sep, 1});
    PostProcessor p;
    p.m_steps.push_back(step);
    return p;
}

PostProcessor PostProcessor::byteLevel(bool trimOffsets)
{
    Step step;
    step.kind = Kind::ByteLevel;
    step.trimOffsets = trimOffsets;
    PostProcessor p;
    p.m_steps.push_back(step);
    return p;
}

Result<PostProcessor> PostProcessor::fromJson(const QJsonValue &json, const QString &field)
{
    PostProcessor p;
    if (json.isNull() || json.isUndefined())
        return p;
    if (!json.isObject())
        return Result<PostProcessor>::failure(QStringLiteral("%1 must be an object or null").arg(field));
    const QJsonObject object = json.toObject();
    QJsonArray items{object};
    QString prefix = field;
    if (object.value(str("type")).toString() == str("Sequence")) {
        items = object.value(str("processors")).toArray();
        prefix = field + str(".processors");
    }
    for (qsizetype i = 0; i < items.size() && i < kMaxTemplatePieces; ++i) {
        const QString where = items.size() == 1 && prefix == field ? field : QStringLiteral("%1[%2]").arg(prefix).arg(i);
        auto step = parseStep(items[i].toObject(), where);
        if (!step)
            return Result<PostProcessor>::failure(step.error());
        p.m_steps.push_back(step.value());
    }
    return p;
}

Result<PostProcessor::Step> PostProcessor::parseStep(const QJsonObject &o, const QString &field)
{
    const QString type = o.value(str("type")).toString();
    if (type == str("TemplateProcessing"))
        return parseTemplate(o, field);
    Step step;
    if (type == str("ByteLevel")) {
        step.kind = Kind::ByteLevel;
        step.trimOffsets = o.value(str("trim_offsets")).toBool(true);
        step.addPrefixSpace = o.value(str("add_prefix_space")).toBool(true);
        step.useRegex = o.value(str("use_regex")).toBool(true);
        return step;
    }
    if (type != str("BertProcessing") && type != str("RobertaProcessing"))
        return Result<Step>::failure(QStringLiteral("%1.type: unsupported post-processor \"%2\"").arg(field, type));
    const bool roberta = type == str("RobertaProcessing");
    step.kind = roberta ? Kind::Roberta : Kind::Bert;
    for (const char *key : {"cls", "sep"}) {
        const QJsonArray pair = o.value(str(key)).toArray();
        const double id = pair.at(1).toDouble(-1.0);
        if (pair.size() != 2 || !pair.at(0).isString() || !isValidId(id))
            return Result<Step>::failure(QStringLiteral("%1.%2 must be [token, id] with a valid id").arg(field, str(key)));
        Special &special = key[0] == 'c' ? step.cls : step.sep;
        special = Special{pair.at(0).toString(), {int(id)}, {pair.at(0).toString()}};
    }
    step.trimOffsets = o.value(str("trim_offsets")).toBool(true) && roberta;
    step.addPrefixSpace = o.value(str("add_prefix_space")).toBool(true);
    const QString cls = step.cls.name;
    const QString sep = step.sep.name;
    step.specials = {step.cls, step.sep};
    step.single = {Piece{false, 0, cls, 0}, Piece{true, 0, {}, 0}, Piece{false, 0, sep, 0}};
    step.pair = step.single;
    if (roberta)
        step.pair.push_back(Piece{false, 0, sep, 0});
    step.pair.push_back(Piece{true, 1, {}, roberta ? 0 : 1});
    step.pair.push_back(Piece{false, 0, sep, roberta ? 0 : 1});
    return step;
}

Result<PostProcessor::Step> PostProcessor::parseTemplate(const QJsonObject &o, const QString &field)
{
    Step step;
    step.kind = Kind::Template;
    const QJsonObject specials = o.value(str("special_tokens")).toObject();
    for (auto it = specials.begin(); it != specials.end(); ++it) {
        const QJsonObject s = it.value().toObject();
        Special special{it.key(), {}, {}};
        const QJsonArray ids = s.value(str("ids")).toArray();
        const QJsonArray tokens = s.value(str("tokens")).toArray();
        if (ids.size() != tokens.size() || ids.size() > kMaxSpecialIds)
            return Result<Step>::failure(QStringLiteral("%1.special_tokens[\"%2\"]: ids and tokens must have the same, small, length").arg(field, it.key()));
        for (qsizetype i = 0; i < ids.size(); ++i) {
            const double id = ids[i].toDouble(-1.0);
            if (!isValidId(id))
                return Result<Step>::failure(QStringLiteral("%1.special_tokens[\"%2\"].ids[%3] is not a valid id").arg(field, it.key()).arg(i));
            special.ids.append(int(id));
            special.tokens.append(tokens[i].toString());
        }
        step.specials.push_back(special);
    }
    for (const char *key : {"single", "pair"}) {
        const QJsonArray items = o.value(str(key)).toArray();
        if (items.size() > kMaxTemplatePieces)
            return Result<Step>::failure(QStringLiteral("%1.%2 has too many pieces").arg(field, str(key)));
        std::vector<Piece> &pieces = key[0] == 's' ? step.single : step.pair;
        int uses[2] = {0, 0}; // pieces naming $A, $B
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QJsonObject item = items[i].toObject();
            Piece piece;
            const bool isSequence = item.contains(str("Sequence"));
            const QJsonObject body = item.value(isSequence ? str("Sequence") : str("SpecialToken")).toObject();
            piece.isSequence = isSequence;
            piece.typeId = body.value(str("type_id")).toInt(0);
            if (isSequence) {
                const QString id = body.value(str("id")).toString();
                if (id != str("A") && id != str("B"))
                    return Result<Step>::failure(QStringLiteral("%1.%2[%3]: a Sequence's id must be \"A\" or \"B\"")
                                                     .arg(field, str(key)).arg(i));
                piece.sequence = id == str("B") ? 1 : 0;
                ++uses[piece.sequence];
            } else {
                piece.special = body.value(str("id")).toString();
                if (!findSpecial(step, piece.special))
                    return Result<Step>::failure(QStringLiteral("%1.%2[%3]: special token \"%4\" is not in special_tokens")
                                                     .arg(field, str(key)).arg(i).arg(piece.special));
            }
            pieces.push_back(piece);
        }
        // Truncation and offsets count on each text appearing exactly once.
        const bool pair = key[0] == 'p';
        if (uses[0] != 1 || uses[1] != (pair ? 1 : 0))
            return Result<Step>::failure(QStringLiteral("%1.%2 must hold %3").arg(field, str(key),
                pair ? str("$A and $B exactly once each") : str("$A exactly once and no $B")));
    }
    return step;
}

QJsonValue PostProcessor::toJson() const
{
    return stepsequence::toJson(m_steps, QStringLiteral("processors"), &PostProcessor::stepToJson);
}

QJsonObject PostProcessor::stepToJson(const Step &step)
{
    switch (step.kind) {
    case Kind::ByteLevel:
        return {{str("type"), str("ByteLevel")}, {str("add_prefix_space"), step.addPrefixSpace},
                {str("trim_offsets"), step.trimOffsets}, {str("use_regex"), step.useRegex}};
    case Kind::Bert:
    case Kind::Roberta: {
        QJsonObject o{{str("type"), step.kind == Kind::Bert ? str("BertProcessing") : str("RobertaProcessing")},
                      {str("sep"), QJsonArray{step.sep.name, step.sep.ids.first()}},
                      {str("cls"), QJsonArray{step.cls.name, step.cls.ids.first()}}};
        if (step.kind == Kind::Roberta) {
            o.insert(str("trim_offsets"), step.trimOffsets);
            o.insert(str("add_prefix_space"), step.addPrefixSpace);
        }
        return o;
    }
    case Kind::Template:
        break;
    }
    auto piecesToJson = [](const std::vector<Piece> &pieces) {
        QJsonArray out;
        for (const Piece &p : pieces) {
            if (p.isSequence)
                out.append(QJsonObject{{str("Sequence"), QJsonObject{{str("id"), p.sequence ? str("B") : str("A")}, {str("type_id"), p.typeId}}}});
            else
                out.append(QJsonObject{{str("SpecialToken"), QJsonObject{{str("id"), p.special}, {str("type_id"), p.typeId}}}});
        }
        return out;
    };
    QJsonObject specials;
    for (const Special &s : step.specials) {
        QJsonArray ids;
        for (int id : s.ids)
            ids.append(id);
        specials.insert(s.name, QJsonObject{{str("id"), s.name}, {str("ids"), ids}, {str("tokens"), QJsonArray::fromStringList(s.tokens)}});
    }
    return {{str("type"), str("TemplateProcessing")}, {str("single"), piecesToJson(step.single)},
            {str("pair"), piecesToJson(step.pair)}, {str("special_tokens"), specials}};
}

int PostProcessor::addedTokens(bool pair) const
{
    int count = 0;
    for (const Step &step : m_steps) {
        for (const Piece &piece : pair ? step.pair : step.single) {
            if (!piece.isSequence)
                count += int(findSpecial(step, piece.special)->ids.size());
        }
    }
    return count;
}

std::vector<int> PostProcessor::specialIds() const
{
    std::vector<int> ids;
    for (const Step &step : m_steps) {
        for (const Special &s : step.specials)
            ids.insert(ids.end(), s.ids.begin(), s.ids.end());
    }
    return ids;
}

const PostProcessor::Special *PostProcessor::findSpecial(const Step &step, const QString &name)
{
    for (const Special &s : step.specials) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

Encoding PostProcessor::process(Encoding first, const Encoding *second, bool addSpecialTokens) const
{
    std::vector<Encoding> encodings;
    encodings.push_back(std::move(first));
    if (second)
        encodings.push_back(*second);
    for (const Step &step : m_steps) {
        if (step.trimOffsets) {
            for (Encoding &e : encodings)
                trimOffsets(e, step.addPrefixSpace);
        }
        if (step.kind != Kind::ByteLevel && addSpecialTokens) {
            Encoding merged = applyTemplate(step, encodings);
            encodings.clear();
            encodings.push_back(std::move(merged));
        }
    }
    Encoding out = std::move(encodings.front());
    for (std::size_t i = 1; i < encodings.size(); ++i)
        append(out, encodings[i], -1);
    return out;
}

Encoding PostProcessor::applyTemplate(const Step &step, const std::vector<Encoding> &encodings)
{
    const bool pair = encodings.size() > 1;
    Encoding out;
    for (const Piece &piece : pair ? step.pair : step.single) {
        if (!piece.isSequence)
            appendSpecial(out, *findSpecial(step, piece.special), piece.typeId);
        else if (std::size_t(piece.sequence) < encodings.size())
            append(out, encodings[std::size_t(piece.sequence)], piece.typeId);
    }
    return out;
}

void PostProcessor::append(Encoding &to, const Encoding &from, int typeId)
{
    to.ids += from.ids;
    to.attentionMask += from.attentionMask;
    to.offsets += from.offsets;
    to.tokens += from.tokens;
    to.sequenceIds += from.sequenceIds;
    if (typeId < 0) {
        to.typeIds += from.typeIds;
        return;
    }
    for (qsizetype i = 0; i < from.ids.size(); ++i)
        to.typeIds.append(typeId);
}

void PostProcessor::appendSpecial(Encoding &to, const Special &special, int typeId)
{
    for (qsizetype i = 0; i < special.ids.size(); ++i) {
        to.ids.append(special.ids[i]);
        to.typeIds.append(typeId);
        to.attentionMask.append(1);
        to.offsets.append({0, 0});
        to.tokens.append(special.tokens[i]);
        to.sequenceIds.append(-1);
    }
}

void PostProcessor::trimOffsets(Encoding &encoding, bool addPrefixSpace)
{
    // HF's ByteLevel::process_offsets: drop the leading/trailing spaces ("Ġ") a token carries
    // from its offsets, except the space add_prefix_space itself put before the first word.
    for (qsizetype i = 0; i < encoding.ids.size(); ++i) {
        const QString &token = encoding.tokens[i];
        auto &offsets = encoding.offsets[i];
        int leading = 0;
        while (leading < token.size() && isSpaceLike(token[leading]))
            ++leading;
        int trailing = 0;
        while (trailing < token.size() && isSpaceLike(token[token.size() - 1 - trailing]))
            ++trailing;
        if (leading > 0) {
            const bool isFirst = i == 0 || offsets.first == 0;
            if (isFirst && addPrefixSpace && leading == 1)
                leading = 0;
            offsets.first = std::min(offsets.first + leading, offsets.second);
        }
        if (trailing > 0 && offsets.second >= trailing)
            offsets.second = std::max(offsets.second - trailing, offsets.first);
    }
}

} // namespace ts
