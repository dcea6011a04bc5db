#include "text/AddedVocabulary.h"

#include "text/Unicode.h"
#include "text/Vocabulary.h"

#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace ts {

namespace {

bool isWordChar(char32_t c)
{
    return unicode::isLetter(c) || unicode::isNumber(c) || c == '_';
}

/// The first byte of the character that ends just before byte `pos` (> 0) of `text`.
std::size_t previousCharStart(std::string_view text, std::size_t pos)
{
    std::size_t start = pos - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
        --start;
    return start;
}

/// The character that ends just before byte `pos` (> 0) of `text`.
char32_t charBefore(std::string_view text, std::size_t pos)
{
    std::size_t start = previousCharStart(text, pos);
    return unicode::decodeUtf8(text, start);
}

} // namespace

Result<AddedVocabulary> AddedVocabulary::fromJson(const QJsonArray &tokens, const QString &field,
                                                  const Normalizer &normalizer)
{
    if (tokens.size() > kMaxTokens)
        return Result<AddedVocabulary>::failure(QStringLiteral("%1 has more than %2 entries").arg(field).arg(kMaxTokens));
    AddedVocabulary v;
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const QJsonObject o = tokens[i].toObject();
        AddedToken t;
        // Range first: converting a double outside int's range is undefined behaviour.
        const double id = o.value(QLatin1String("id")).toDouble(-1.0);
        if (id < 0 || id > Vocabulary::kMaxId || id != std::floor(id))
            return Result<AddedVocabulary>::failure(QStringLiteral("%1[%2].id must be an integer in [0, %3]").arg(field).arg(i).arg(Vocabulary::kMaxId));
        t.id = int(id);
        t.content = o.value(QLatin1String("content")).toString();
        if (t.content.isEmpty() || t.content.toUtf8().size() > Vocabulary::kMaxTokenBytes)
            return Result<AddedVocabulary>::failure(QStringLiteral("%1[%2].content must be a non-empty string of at most %3 bytes")
                                                        .arg(field).arg(i).arg(Vocabulary::kMaxTokenBytes));
        t.singleWord = o.value(QLatin1String("single_word")).toBool(false);
        t.lstrip = o.value(QLatin1String("lstrip")).toBool(false);
        t.rstrip = o.value(QLatin1String("rstrip")).toBool(false);
        t.special = o.value(QLatin1String("special")).toBool(false);
        t.normalized = o.value(QLatin1String("normalized")).toBool(!t.special);
        v.m_tokens.push_back(t);
    }
    v.index(normalizer);
    return v;
}

AddedVocabulary AddedVocabulary::fromTokens(const std::vector<AddedToken> &tokens)
{
    AddedVocabulary v;
    v.m_tokens = tokens;
    v.index(Normalizer());
    return v;
}

void AddedVocabulary::index(const Normalizer &normalizer)
{
    for (const AddedToken &t : m_tokens) {
        NormalizedText text = NormalizedText::fromQString(t.content, 0, int(t.content.size()));
        if (t.normalized)
            normalizer.normalize(text);
        m_hasNormalized = m_hasNormalized || t.normalized;
        m_patterns.push_back(text.bytes);
    }
    for (int i = 0; i < int(m_tokens.size()); ++i) {
        m_byId.emplace(m_tokens[std::size_t(i)].id, i);
        if (!m_patterns[std::size_t(i)].empty())
            m_byFirstByte[static_cast<unsigned char>(m_patterns[std::size_t(i)][0])].push_back(i);
    }
    for (auto &list : m_byFirstByte)
        std::stable_sort(list.begin(), list.end(), [this](int a, int b) {
            return m_patterns[std::size_t(a)].size() > m_patterns[std::size_t(b)].size();
        });
}

QJsonArray AddedVocabulary::toJson() const
{
    QJsonArray out;
    for (const AddedToken &t : m_tokens) {
        out.append(QJsonObject{{QStringLiteral("id"), t.id}, {QStringLiteral("content"), t.content},
                               {QStringLiteral("single_word"), t.singleWord}, {QStringLiteral("lstrip"), t.lstrip},
                               {QStringLiteral("rstrip"), t.rstrip}, {QStringLiteral("normalized"), t.normalized},
                               {QStringLiteral("special"), t.special}});
    }
    return out;
}

void AddedVocabulary::find(std::string_view text, bool normalizedPass, std::vector<Match> &matches) const
{
    std::size_t previousEnd = 0;
    for (std::size_t pos = 0; pos < text.size(); ++pos) {
        const auto &candidates = m_byFirstByte[static_cast<unsigned char>(text[pos])];
        for (const int index : candidates) {
            const AddedToken &token = m_tokens[std::size_t(index)];
            const std::string &pattern = m_patterns[std::size_t(index)];
            if (token.normalized != normalizedPass || text.compare(pos, pattern.size(), pattern) != 0)
                continue;
            std::size_t begin = pos;
            std::size_t end = pos + pattern.size();
            if (token.singleWord) {
                std::size_t after = end;
                const bool wordBefore = begin > 0 && isWordChar(charBefore(text, begin));
                const bool wordAfter = end < text.size() && isWordChar(unicode::decodeUtf8(text, after));
                if (wordBefore || wordAfter)
                    continue;
            }
            while (token.lstrip && begin > previousEnd && unicode::isWhitespace(charBefore(text, begin)))
                begin = previousCharStart(text, begin);
            while (token.rstrip && end < text.size()) {
                std::size_t after = end;
                if (!unicode::isWhitespace(unicode::decodeUtf8(text, after)))
                    break;
                end = after;
            }
            matches.push_back({begin, end, pos, pos + pattern.size(), index});
            previousEnd = end;
            pos = end - 1;
            break;
        }
    }
}

const AddedToken *AddedVocabulary::byId(int id) const
{
    const auto it = m_byId.find(id);
    return it == m_byId.end() ? nullptr : &m_tokens[std::size_t(it->second)];
}

int AddedVocabulary::idOf(const QString &content) const
{
    for (const AddedToken &t : m_tokens) {
        if (t.content == content)
            return t.id;
    }
    return -1;
}

} // namespace ts
