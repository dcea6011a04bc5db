#include "corpus/FragmentationMeter.h"

#include "text/Tokenizer.h"

#include <algorithm>
#include <vector>

namespace ts {

namespace {

// Starts and ends [start, end) of the whitespace-separated words of `text`, in UTF-16 units.
void wordSpans(const QString &text, std::vector<int> &starts, std::vector<int> &ends)
{
    const int size = int(text.size());
    for (int i = 0; i < size;) {
        while (i < size && text.at(i).isSpace())
            ++i;
        if (i == size)
            break;
        starts.push_back(i);
        while (i < size && !text.at(i).isSpace())
            ++i;
        ends.push_back(i);
    }
}

} // namespace

void FragmentationMeter::add(const Tokenizer &tokenizer, const QString &text, SubwordFragmentation &into)
{
    std::vector<int> starts;
    std::vector<int> ends;
    wordSpans(text, starts, ends);
    std::vector<int> tokensPerWord(starts.size(), 0);
    EncodeOptions options;
    options.addSpecialTokens = false;
    const Encoding encoding = tokenizer.encode(text, options);
    for (int t = 0; t < encoding.size(); ++t) {
        if (encoding.sequenceIds.at(t) < 0)
            continue;
        auto [start, end] = encoding.offsets.at(t);
        while (start < end && text.at(start).isSpace())
            ++start;
        if (start == end)
            continue;
        // The last word starting at or before `start` holds it when `start` is before its end.
        const auto after = std::upper_bound(starts.cbegin(), starts.cend(), start);
        if (after == starts.cbegin())
            continue;
        const auto word = size_t(after - starts.cbegin()) - 1;
        if (start < ends[word])
            ++tokensPerWord[word];
    }
    ++into.documents;
    for (const int tokens : tokensPerWord) {
        if (tokens == 0)
            continue;
        ++into.words;
        into.tokens += tokens;
        if (tokens > 1)
            ++into.splitWords;
    }
}

} // namespace ts
