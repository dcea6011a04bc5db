#include "text/Vocabulary.h"

#include <cmath>

namespace ts {

Result<Vocabulary> Vocabulary::fromJson(const QJsonObject &vocab, const QString &field)
{
    Vocabulary v;
    v.m_ids.reserve(std::size_t(vocab.size()));
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
        // Range first: converting a double outside int's range is undefined behaviour.
        const double raw = it.value().toDouble(-1.0);
        if (!it.value().isDouble() || raw < 0 || raw > kMaxId || raw != std::floor(raw))
            return Result<Vocabulary>::failure(
                QStringLiteral("%1[\"%2\"]: id must be an integer in [0, %3]").arg(field, it.key().left(40)).arg(kMaxId));
        const int id = int(raw);
        std::string token = it.key().toStdString();
        if (token.empty() || token.size() > std::size_t(kMaxTokenBytes))
            return Result<Vocabulary>::failure(
                QStringLiteral("%1: token of id %2 is empty or longer than %3 bytes").arg(field).arg(id).arg(kMaxTokenBytes));
        if (v.contains(id))
            return Result<Vocabulary>::failure(QStringLiteral("%1: id %2 is used twice").arg(field).arg(id));
        v.add(std::move(token), id);
    }
    return v;
}

Vocabulary Vocabulary::fromTokens(const std::vector<std::string> &tokens)
{
    Vocabulary v;
    for (std::size_t i = 0; i < tokens.size(); ++i)
        v.add(tokens[i], int(i));
    return v;
}

void Vocabulary::add(std::string token, int id)
{
    if (std::size_t(id) >= m_tokens.size()) {
        m_tokens.resize(std::size_t(id) + 1);
        m_qtokens.resize(std::size_t(id) + 1);
    }
    m_qtokens[std::size_t(id)] = QString::fromStdString(token);
    m_ids.emplace(token, id);
    m_tokens[std::size_t(id)] = std::move(token);
}

QJsonObject Vocabulary::toJson() const
{
    QJsonObject o;
    for (int id = 0; id < size(); ++id) {
        if (contains(id))
            o.insert(token(id), id);
    }
    return o;
}

int Vocabulary::id(std::string_view token) const
{
    const auto it = m_ids.find(std::string(token));
    return it == m_ids.end() ? -1 : it->second;
}

} // namespace ts
