#include "train/TokenizedSet.h"

#include "text/Tokenizer.h"

namespace ts {

QList<int> TokenizedSet::lengths() const
{
    QList<int> result;
    result.reserve(int(ids.size()));
    for (const auto &example : ids)
        result.append(int(example.size()));
    return result;
}

void TokenizedSet::append(const TokenizedSet &other)
{
    ids.insert(ids.end(), other.ids.begin(), other.ids.end());
    labels.append(other.labels);
    domains.append(other.domains);
    documentIds.append(other.documentIds);
    truncated.append(other.truncated);
    texts.append(other.texts);
    available += other.available;
}

TokenizedSet TokenizedSet::build(const QString &name, const Tokenizer &tokenizer, const QList<LabelledText> &texts,
                                 int maxLength, int domain, bool markTruncated)
{
    TokenizedSet set;
    set.name = name;
    set.available = int(texts.size());
    set.ids.reserve(texts.size());
    EncodeOptions options;
    options.maxLength = maxLength;
    const EncodeOptions whole;
    for (const LabelledText &t : texts) {
        const Encoding encoding = tokenizer.encode(t.text, options);
        set.ids.emplace_back(encoding.ids.begin(), encoding.ids.end());
        set.labels.append(t.label);
        set.domains.append(domain);
        set.documentIds.append(t.documentId);
        set.texts.append(t.text);
        // Only a text that fills the limit can have been cut.
        set.truncated.append(markTruncated && encoding.size() >= maxLength && tokenizer.encode(t.text, whole).size() > maxLength);
    }
    return set;
}

} // namespace ts
