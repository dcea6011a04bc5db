#pragma once

#include <QString>

#include <optional>

namespace ts {

/// The layouts a corpus can be imported from.
enum class CorpusFormat {
    Auto,   ///< detected from the file name and its first lines (FormatDetector)
    Csv,    ///< RFC 4180 delimited text, any single-byte delimiter (detected or given)
    Tsv,    ///< tab-delimited text, RFC 4180 quoting when a field starts with '"'
    Jsonl,  ///< one JSON object per line with chosen text / label fields
    Text,   ///< plain text, one document per line, unlabelled
    Folder, ///< one sub-folder per label holding `.txt` files, one document per file (Create ML)
};

/// The lower-case name used on the command line and in import records ("csv", "folder", ...).
QString corpusFormatName(CorpusFormat format);

/// Parses a name given by corpusFormatName(); nullopt for anything else.
std::optional<CorpusFormat> parseCorpusFormat(const QString &name);

} // namespace ts
