#include "text/WordPieceTrainer.h"

#include "text/BpeLearner.h"
#include "text/Unicode.h"
#include "text/WordCounter.h"
#include "text/WordPieceModel.h"

#include <algorithm>
#include <set>

namespace ts {

namespace {

const std::string kPrefix = "##"; // continuation prefix, as BERT

/// The characters of `word`, all but the first with the continuation prefix.
std::vector<std::string> spell(const std::string &word)
{
    std::vector<std::string> symbols;
    std::size_t pos = 0;
    while (pos < word.size()) {
        const std::size_t at = pos;
        unicode::decodeUtf8(word, pos);
        symbols.push_back((at == 0 ? std::string() : kPrefix) + word.substr(at, pos - at));
    }
    return symbols;
}

} // namespace

Result<Tokenizer> WordPieceTrainer::train(const TextSource &source, const TrainerParams &params)
{
    using R = Result<Tokenizer>;
    for (const char *required : {"[UNK]", "[CLS]", "[SEP]"}) {
        if (!params.specialTokens.contains(QLatin1String(required)))
            return R::failure(QStringLiteral("WordPiece training needs %1 among the special tokens").arg(QLatin1String(required)));
    }
    TokenizerParts parts;
    parts.normalizer = Normalizer::bert(params.lowercase, params.lowercase);
    parts.preTokenizer = PreTokenizer::bert();
    const auto counts = WordCounter::count(source, parts.normalizer, parts.preTokenizer);
    std::set<std::string> alphabet;
    for (const auto &[word, count] : counts) {
        for (std::string &symbol : spell(word))
            alphabet.insert(std::move(symbol));
    }
    std::vector<std::string> specials;
    for (const QString &s : params.specialTokens)
        specials.push_back(s.toStdString());
    BpeLearner learner(specials, {alphabet.begin(), alphabet.end()}, [](const std::string &a, const std::string &b) {
        return a + (b.compare(0, kPrefix.size(), kPrefix) == 0 ? b.substr(kPrefix.size()) : b);
    });
    std::vector<std::pair<std::string, long long>> sorted(counts.begin(), counts.end());
    std::sort(sorted.begin(), sorted.end());
    for (const auto &[word, count] : sorted)
        learner.addWord(spell(word), count);
    const Status learnt = learner.learn(params);
    if (!learnt)
        return R::failure(learnt.error());
    auto model = WordPieceModel::create(Vocabulary::fromTokens(learner.tokens()), QStringLiteral("[UNK]"));
    if (!model)
        return R::failure(model.error());
    parts.model = std::move(model.value());
    std::vector<AddedToken> added;
    for (int i = 0; i < params.specialTokens.size(); ++i)
        added.push_back(AddedToken{parts.model->vocabulary().id(specials[std::size_t(i)]), params.specialTokens[i],
                                   false, false, false, false, true});
    parts.addedTokens = AddedVocabulary::fromTokens(added);
    const Vocabulary &vocab = parts.model->vocabulary();
    parts.postProcessor = PostProcessor::bertTemplate(vocab.id("[CLS]"), QStringLiteral("[CLS]"), vocab.id("[SEP]"), QStringLiteral("[SEP]"));
    parts.decoder = Decoder::wordPiece(QString::fromStdString(kPrefix));
    return Tokenizer::fromParts(std::move(parts));
}

} // namespace ts
