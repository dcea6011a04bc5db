#pragma once

#include "FuzzEntryPoints.h"

// The entry points behind entryPoints(), by input kind, and what they share.

namespace ts::fuzz {

FuzzOutcome fuzzSafeTensors(const QByteArray &input);   // a model.safetensors file
FuzzOutcome fuzzModelConfig(const QByteArray &input);   // a config.json
FuzzOutcome fuzzTokenizerJson(const QByteArray &input); // a tokenizer.json, then fixed texts through it
FuzzOutcome fuzzTokenizeText(const QByteArray &input);  // options byte + text through the fixture tokenizers
FuzzOutcome fuzzDelimited(const QByteArray &input);     // options byte + a CSV or TSV file
FuzzOutcome fuzzJsonl(const QByteArray &input);         // options byte + a JSON Lines file
FuzzOutcome fuzzProject(const QByteArray &input);       // a .tstudio project file

/// Refused with `message`; Broken when the parser refused without saying why.
FuzzOutcome refusal(const QString &message);

} // namespace ts::fuzz
