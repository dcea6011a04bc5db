#pragma once

#include "text/Tokenizer.h"
#include "train/TokenizedSet.h"
#include "transfer/PromptSettings.h"

#include <vector>

namespace ts {

/// Turns texts into the token ids of their prompts (PromptSettings::render, tokenized whole, as
/// Hugging Face tokenizes the same string) and tokenizes the label words. Decoders: the prompt
/// ends where the label word begins. Masked-LM encoders: the prompt holds one mask token where
/// the label word goes. A prompt longer than `maxLength` (with room for the longest label word)
/// is shortened by cutting the texts, never the template: what the templates leave is shared
/// equally by the demonstrations' texts and the query's, which also gets what they do not use. Torch-free;
/// reads `tokenizer` only.
class PromptEncoder
{
public:
    /// Checks that every label word has tokens and, for encoders, that the tokenizer has a mask
    /// token; the errors name the word or the model's tokenizer.
    static Result<PromptEncoder> create(const Tokenizer &tokenizer, PromptSettings settings, Demonstrations demonstrations,
                                        bool decoder, int maxLength);

    /// The exact text the model sees for `text` (before any shortening).
    QString promptText(const QString &text) const;

    /// The prompt's token ids for `text`, shortened to fit; fails when the template and the
    /// demonstrations alone leave no room for the text.
    Result<std::vector<long long>> encode(const QString &text) const;

    /// The prompts of every text of `set` (which must hold its texts), labels, domains and
    /// document ids kept.
    Result<TokenizedSet> encodeSet(const TokenizedSet &set) const;

    /// Token ids of each class's label word, with its leading space, no special tokens.
    const std::vector<std::vector<long long>> &wordIds() const { return m_wordIds; }
    /// The mask token's id (encoders); -1 for decoders.
    long long maskId() const { return m_maskId; }
    bool decoder() const { return m_maskId < 0; }
    const PromptSettings &settings() const { return m_settings; }
    const Demonstrations &demonstrations() const { return m_demonstrations; }

private:
    PromptEncoder(const Tokenizer &tokenizer, PromptSettings settings, Demonstrations demonstrations, int maxLength)
        : m_tokenizer(tokenizer), m_settings(std::move(settings)), m_demonstrations(std::move(demonstrations)),
          m_maxLength(maxLength)
    {}

    /// `text` cut to at most `tokens` tokens (decoded back to text when cut).
    QString cut(const QString &text, int tokens) const;
    /// The prompt with the demonstrations `query` gets, each one's text cut to
    /// `demonstrationTokens`, and `shownQuery` (the query, or a shortened or empty stand-in).
    QString render(const QString &query, const QString &shownQuery, int demonstrationTokens) const;

    Tokenizer m_tokenizer;
    PromptSettings m_settings;
    Demonstrations m_demonstrations;
    int m_maxLength = 0;
    std::vector<std::vector<long long>> m_wordIds;
    long long m_maskId = -1;
    QString m_maskToken;
    size_t m_longestWord = 0;
};

} // namespace ts
