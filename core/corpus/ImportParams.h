#pragma once

#include "corpus/CorpusFormat.h"
#include "corpus/ImportSplit.h"

#include <QHash>
#include <QString>

#include <functional>

namespace ts {

/// How far an import has got; handed to ImportParams::progress once per batch.
struct ImportProgress
{
    qint64 bytesRead = 0;  ///< bytes of the source consumed so far
    qint64 totalBytes = 0; ///< size of the source in bytes (all files of a folder)
    qint64 records = 0;    ///< records read, good and bad
    qint64 documents = 0;  ///< documents stored (after duplicate removal)
    qint64 rejected = 0;   ///< bad rows so far
};

/// Everything an import needs (llama.cpp's params style): start from importDefaultParams(),
/// set the corpus and the path, adjust the rest.
struct ImportParams
{
    /// Rows a file may reject before the whole file is refused, by default.
    static constexpr int kDefaultMaxBadRows = 10;

    QString corpus;                        ///< corpus to import into; created when it does not exist
    QString path;                          ///< the file, or the folder for CorpusFormat::Folder
    CorpusFormat format = CorpusFormat::Auto; ///< Auto: detected by FormatDetector
    QString textColumn;    ///< CSV/TSV: header name or 0-based index; JSONL: field. Empty: "text" (header, JSONL) or 0
    QString labelColumn;   ///< like textColumn; empty: "label" when a header or JSONL object has it, else unlabelled
    bool hasHeader = true; ///< CSV/TSV: whether the first row names the columns
    char delimiter = 0;    ///< CSV: 0 detects among , ; | and tab; TSV always uses tab
    bool quotedNewlines = false; ///< CSV/TSV: quoted fields may span lines even where their lines look like
                                 ///< records; false refuses such a field (a stray quote) with its line
    QString encoding;      ///< empty or "utf-8": UTF-8, validated; else any name QStringDecoder knows
    ImportSplit split = ImportSplit::Auto; ///< where the documents go
    SplitFractions fractions;              ///< for ImportSplit::Auto on labelled data
    quint64 seed = 42;                     ///< seeds the stratified split, so imports are repeatable
    int maxBadRows = kDefaultMaxBadRows;   ///< more bad rows than this and the file is refused as a whole
    bool removeDuplicates = true;          ///< drop documents whose whitespace-normalised text the corpus has
    QHash<QString, QString> labelMap;      ///< renames labels on the way in ("pos" -> "1"); others kept

    /// Called once per batch of records, on the importing thread.
    std::function<void(const ImportProgress &)> progress;
    /// Polled once per batch; returning true cancels the import, which then leaves the project as it was.
    std::function<bool()> abort;
};

/// Parameters with every default set and no corpus or path.
ImportParams importDefaultParams();

} // namespace ts
