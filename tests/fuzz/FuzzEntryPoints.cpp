#include "FuzzEntryPoints.h"

#include "FuzzTargets.h"

namespace ts::fuzz {

const QList<FuzzEntryPoint> &entryPoints()
{
    static const QList<FuzzEntryPoint> kEntryPoints{
        {"safetensors", fuzzSafeTensors}, {"modelconfig", fuzzModelConfig}, {"tokenizer", fuzzTokenizerJson},
        {"tokenize", fuzzTokenizeText},   {"csv", fuzzDelimited},           {"jsonl", fuzzJsonl},
        {"project", fuzzProject},
    };
    return kEntryPoints;
}

const FuzzEntryPoint *findEntryPoint(const QString &name)
{
    for (const FuzzEntryPoint &entry : entryPoints()) {
        if (name == QLatin1String(entry.name))
            return &entry;
    }
    return nullptr;
}

FuzzOutcome refusal(const QString &message)
{
    return message.trimmed().isEmpty() ? FuzzOutcome::broken(QStringLiteral("refused without a message"))
                                        : FuzzOutcome::refused(message);
}

} // namespace ts::fuzz
