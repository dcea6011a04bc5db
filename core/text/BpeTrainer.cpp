#include "text/BpeTrainer.h"

#include "text/BpeLearner.h"
#include "text/BpeModel.h"
#include "text/ByteLevelAlphabet.h"
#include "text/Unicode.h"
#include "text/WordCounter.h"

#include <algorithm>

namespace ts {

namespace {

/// The characters of `word` (already in the byte alphabet).
std::vector<std::string> spell(const std::string &word)
{
    std::vector<std::string> symbols;
    std::size_t pos = 0;
    while (pos < word.size()) {
        const std::size_t at = pos;
        unicode::decodeUtf8(word, pos);
        symbols.push_back(word.substr(at, pos - at));
    }
    return symbols;
}

} // namespace

Result<Tokenizer> BpeTrainer::train(const TextSource &source, const TrainerParams &params)
{
    using R = Result<Tokenizer>;
    TokenizerParts parts;
    parts.preTokenizer = PreTokenizer::byteLevel(false);
    const auto counts = WordCounter::count(source, parts.normalizer, parts.preTokenizer);
    std::vector<std::string> alphabet;
    for (int b = 0; b < 256; ++b)
        alphabet.push_back(ByteLevelAlphabet::instance().utf8Of(static_cast<unsigned char>(b)));
    std::vector<std::string> specials;
    for (const QString &s : params.specialTokens)
        specials.push_back(s.toStdString());
    BpeLearner learner(specials, alphabet, [](const std::string &a, const std::string &b) { return a + b; });
    std::vector<std::pair<std::string, long long>> sorted(counts.begin(), counts.end());
    std::sort(sorted.begin(), sorted.end());
    for (const auto &[word, count] : sorted)
        learner.addWord(spell(word), count);
    const Status learnt = learner.learn(params);
    if (!learnt)
        return R::failure(learnt.error());
    auto model = BpeModel::create(Vocabulary::fromTokens(learner.tokens()), learner.merges(), BpeModel::Options{});
    if (!model)
        return R::failure(model.error());
    parts.model = std::move(model.value());
    std::vector<AddedToken> added;
    for (int i = 0; i < params.specialTokens.size(); ++i)
        added.push_back(AddedToken{parts.model->vocabulary().id(specials[std::size_t(i)]), params.specialTokens[i],
                                   false, false, false, false, true});
    parts.addedTokens = AddedVocabulary::fromTokens(added);
    parts.postProcessor = PostProcessor::byteLevel(false);
    parts.decoder = Decoder::byteLevel();
    return Tokenizer::fromParts(std::move(parts));
}

} // namespace ts
