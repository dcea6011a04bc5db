#pragma once

#include "corpus/ImportParams.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

namespace ts::cli {

/// The options of `import`, shared with `predict --file` (which reads a file as an import would).
struct ImportOptions
{
    QCommandLineOption corpus{QStringLiteral("corpus"), QStringLiteral("Corpus to import into (created if missing)."),
                              QStringLiteral("NAME")};
    QCommandLineOption file{QStringLiteral("file"), QStringLiteral("File to import, or folder for --format folder."),
                            QStringLiteral("PATH")};
    QCommandLineOption format{QStringLiteral("format"),
                              QStringLiteral("csv, tsv, jsonl, txt or folder (default: detected)."),
                              QStringLiteral("FORMAT")};
    QCommandLineOption textColumn{QStringLiteral("text-column"),
                                  QStringLiteral("Text column: header name or 0-based index; JSONL field."),
                                  QStringLiteral("C")};
    QCommandLineOption labelColumn{QStringLiteral("label-column"),
                                   QStringLiteral("Label column: header name or 0-based index; JSONL field."),
                                   QStringLiteral("C")};
    QCommandLineOption noHeader{QStringLiteral("no-header"), QStringLiteral("CSV/TSV: the first row is data.")};
    QCommandLineOption quotedNewlines{QStringLiteral("quoted-newlines"),
                                      QStringLiteral("CSV/TSV: quoted fields span lines (otherwise a quoted field "
                                                     "whose lines look like records is refused as a stray quote).")};
    QCommandLineOption delimiter{QStringLiteral("delimiter"), QStringLiteral("CSV delimiter (default: detected)."),
                                 QStringLiteral("CHAR")};
    QCommandLineOption splitName{QStringLiteral("split-name"),
                                 QStringLiteral("Put every document in train, validation or test."),
                                 QStringLiteral("SPLIT")};
    QCommandLineOption unlabeled{QStringLiteral("unlabeled"), QStringLiteral("Put the documents in the unlabelled pool.")};
    QCommandLineOption split{QStringLiteral("split"),
                             QStringLiteral("Stratified train,validation,test fractions (default 0.8,0.1,0.1)."),
                             QStringLiteral("FRACTIONS")};
    QCommandLineOption seed{QStringLiteral("seed"), QStringLiteral("Seed of the stratified split (default 42)."),
                            QStringLiteral("N")};
    QCommandLineOption encoding{QStringLiteral("encoding"),
                                QStringLiteral("File encoding, e.g. windows-1252, latin1, utf-16 (default utf-8)."),
                                QStringLiteral("E")};
    QCommandLineOption maxBadRows{QStringLiteral("max-bad-rows"),
                                  QStringLiteral("Refuse the file when more rows are bad (default %1).")
                                      .arg(ImportParams::kDefaultMaxBadRows),
                                  QStringLiteral("N")};
    QCommandLineOption keepDuplicates{QStringLiteral("keep-duplicates"),
                                      QStringLiteral("Keep documents whose text the corpus already has.")};
    QCommandLineOption labelMap{QStringLiteral("label-map"), QStringLiteral("Rename labels: FROM=TO,FROM=TO."),
                                QStringLiteral("MAP")};
    QCommandLineOption json{QStringLiteral("json"), QStringLiteral("Print the import report as JSON.")};

    /// How a file is read (for `predict --file`): the file, its format, columns, header, quoting,
    /// delimiter, encoding, bad rows and label renames.
    QList<QCommandLineOption> reading() const
    {
        return {file, format, textColumn, labelColumn, noHeader, delimiter, quotedNewlines, encoding, maxBadRows, labelMap};
    }

    /// Every option of `import`.
    QList<QCommandLineOption> all() const
    {
        return {corpus,    file,  format, textColumn, labelColumn, noHeader,       delimiter, splitName,
                unlabeled, split, seed, quotedNewlines,   encoding,   maxBadRows,  keepDuplicates, labelMap,  json};
    }
};

/// Fills the reading part of `params` (file, format, columns, header, quoting, delimiter, encoding,
/// bad rows, label renames); a usage error message, or empty when all is well.
QString readFileOptions(const QCommandLineParser &parser, const ImportOptions &o, ImportParams &params);

/// When the text column is to be found by name in a header ("text", no --text-column) but the
/// file's first row looks like a record: what to add to read the file, with the columns the
/// import wizard would pick ("...: read it with --no-header --text-column 1 --label-column 0").
/// Empty otherwise: the import goes on as asked.
QString firstRowProblem(const ImportParams &params);

/// Fills `params` from every option of `import`; a usage error message, or empty when all is well.
QString readImportOptions(const QCommandLineParser &parser, const ImportOptions &o, ImportParams &params);

} // namespace ts::cli
