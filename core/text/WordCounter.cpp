#include "text/WordCounter.h"

namespace ts {

std::unordered_map<std::string, long long> WordCounter::count(const TextSource &source, const Normalizer &normalizer,
                                                              const PreTokenizer &preTokenizer)
{
    std::unordered_map<std::string, long long> counts;
    QString text;
    std::vector<PreTokenizer::Piece> pieces;
    while (source(text)) {
        NormalizedText normalized = NormalizedText::fromQString(text, 0, int(text.size()));
        normalizer.normalize(normalized);
        pieces.assign(1, {0, normalized.size()});
        preTokenizer.split(normalized, pieces);
        for (const auto &[begin, end] : pieces) {
            if (end > begin)
                ++counts[normalized.bytes.substr(begin, end - begin)];
        }
    }
    return counts;
}

} // namespace ts
