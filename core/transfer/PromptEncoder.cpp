#include "transfer/PromptEncoder.h"

#include <algorithm>

namespace ts {

namespace {
// A prompt re-tokenized after its text was cut can be a few tokens longer than planned (tokens
// merge differently at the cut); the text is cut this many more times by the excess.
constexpr int kShortenAttempts = 4;
} // namespace

Result<PromptEncoder> PromptEncoder::create(const Tokenizer &tokenizer, PromptSettings settings,
                                            Demonstrations demonstrations, bool decoder, int maxLength)
{
    using R = Result<PromptEncoder>;
    PromptEncoder e(tokenizer, std::move(settings), std::move(demonstrations), maxLength);
    if (!decoder) {
        e.m_maskId = tokenizer.specialIds().mask;
        if (e.m_maskId < 0)
            return R::failure(QStringLiteral("the model's tokenizer has no mask token, which a masked-LM prompt needs; "
                                             "use a model trained with masked language modelling"));
        e.m_maskToken = tokenizer.idToToken(int(e.m_maskId));
    }
    EncodeOptions plain;
    plain.addSpecialTokens = false;
    for (const QString &word : e.m_settings.words) {
        const Encoding encoding = tokenizer.encode(QLatin1Char(' ') + word, plain);
        if (encoding.ids.isEmpty())
            return R::failure(QStringLiteral("option \"label_words\": the word \"%1\" gives no tokens; use another word")
                                  .arg(word));
        e.m_wordIds.emplace_back(encoding.ids.begin(), encoding.ids.end());
        e.m_longestWord = std::max(e.m_longestWord, e.m_wordIds.back().size());
    }
    return e;
}

QString PromptEncoder::promptText(const QString &text) const
{
    return m_settings.render(text, m_demonstrations, m_maskToken);
}

QString PromptEncoder::cut(const QString &text, int tokens) const
{
    EncodeOptions plain;
    plain.addSpecialTokens = false;
    const Encoding whole = m_tokenizer.encode(text, plain);
    if (whole.size() <= tokens)
        return text;
    return m_tokenizer.decode(whole.ids.mid(0, std::max(0, tokens)));
}

QString PromptEncoder::render(const QString &query, const QString &shownQuery, int demonstrationTokens) const
{
    QStringList shown;
    for (const LabelledText &t : m_demonstrations.forQuery(query))
        shown.append(m_settings.prompt.demonstration(cut(t.text, demonstrationTokens), m_settings.words.value(t.label)));
    return PromptTemplate::withDemonstrations(shown, m_settings.prompt.query(shownQuery, m_maskToken));
}

Result<std::vector<long long>> PromptEncoder::encode(const QString &text) const
{
    using R = Result<std::vector<long long>>;
    // Decoders append the label word; an encoder's one mask token becomes as many as the word has.
    const int reserve = int(m_longestWord) - (decoder() ? 0 : 1);
    const int limit = m_maxLength - reserve;
    // The templates alone (every text empty) take `fixed` tokens; the rest is shared equally by
    // the demonstrations' texts and the query's, which also gets what they leave.
    const int fixed = m_tokenizer.encode(render(text, QString(), 0)).size();
    const int shares = int(m_demonstrations.forQuery(text).size()) + 1;
    if (limit - fixed < shares)
        return R::failure(QStringLiteral("the prompt's template%1 and the longest label word take %2 of the %3 tokens "
                                         "max_length allows, leaving too few for the texts: raise max_length, shorten "
                                         "the prompt or use fewer demonstrations")
                              .arg(shares > 1 ? QStringLiteral(" (with its demonstrations)") : QString())
                              .arg(fixed + reserve)
                              .arg(m_maxLength));
    const int demonstrationTokens = (limit - fixed) / shares;
    int room = limit - m_tokenizer.encode(render(text, QString(), demonstrationTokens)).size();
    room = std::max(1, room);
    for (int attempt = 0; attempt < kShortenAttempts; ++attempt) {
        const Encoding encoding = m_tokenizer.encode(render(text, cut(text, room), demonstrationTokens));
        if (encoding.size() <= limit || room <= 1)
            return std::vector<long long>(encoding.ids.begin(), encoding.ids.end());
        room = std::max(1, room - (encoding.size() - limit));
    }
    const Encoding encoding = m_tokenizer.encode(render(text, cut(text, room), demonstrationTokens));
    return std::vector<long long>(encoding.ids.begin(), encoding.ids.end());
}

Result<TokenizedSet> PromptEncoder::encodeSet(const TokenizedSet &set) const
{
    using R = Result<TokenizedSet>;
    if (set.texts.size() != set.size())
        return R::failure(QStringLiteral("%1: the texts were not kept, so no prompt can be made").arg(set.name));
    TokenizedSet prompts = set;
    for (int i = 0; i < set.size(); ++i) {
        const auto ids = encode(set.texts[i]);
        if (!ids)
            return R::failure(ids.error());
        if (!decoder() && std::count(ids->begin(), ids->end(), m_maskId) != 1)
            return R::failure(QStringLiteral("%1: the prompt of text %2 holds %3 mask tokens instead of one; remove "
                                             "mask tokens from the prompt's literal text")
                                  .arg(set.name)
                                  .arg(i + 1)
                                  .arg(std::count(ids->begin(), ids->end(), m_maskId)));
        prompts.ids[size_t(i)] = ids.value();
    }
    return prompts;
}

} // namespace ts
