#pragma once

#include "corpus/FormatGuess.h"
#include "util/Result.h"

#include <QString>

namespace ts {

/// Guesses a corpus file's format, delimiter and header from its name and first rows, and
/// previews those rows. Reads at most one chunk plus kSampleRows records.
class FormatDetector
{
public:
    /// Rows looked at to settle the delimiter.
    static constexpr int kSampleRows = 50;
    /// Characters kept per preview cell.
    static constexpr int kPreviewChars = 200;

    /// Inspects `path` (a file or a folder). `format` Auto detects it; another value only fills
    /// the preview. `previewRows` rows (at most) come back in the guess.
    static Result<FormatGuess> inspect(const QString &path, const QString &encoding, CorpusFormat format,
                                       int previewRows);

    /// The delimiter among tab, ',', ';' and '|' that splits the first rows of `path` into the
    /// same number (above one) of fields; ',' when none does.
    static Result<char> detectDelimiter(const QString &path, const QString &encoding);

    /// The first `rows` records of `path` split on `delimiter` (0: whole lines, blank ones skipped),
    /// each cell shortened to kPreviewChars.
    static Result<QList<QStringList>> sampleRows(const QString &path, const QString &encoding, char delimiter,
                                                 int rows);

private:
    static Result<CorpusFormat> detectFormat(const QString &path, const QString &encoding);
    static Status previewDelimited(const QString &path, const QString &encoding, int previewRows, FormatGuess &guess);
    static Status previewRecords(const QString &path, const QString &encoding, int previewRows, FormatGuess &guess);
};

} // namespace ts
