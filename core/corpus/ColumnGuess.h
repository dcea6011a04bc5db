#pragma once

#include <QList>
#include <QStringList>

namespace ts {

/// Which columns of a delimited or JSON Lines file hold the text and the label, guessed from
/// their names and first rows (FormatDetector's preview). The import wizard preselects them; the
/// command line proposes them for a file without a header.
class ColumnGuess
{
public:
    /// A column whose cells are all this short, with values that repeat, looks like labels.
    static constexpr int kMaxLabelChars = 20;

    /// The column named "text", else the one with the longest cells: documents are longer than
    /// anything beside them.
    static int textColumn(const QStringList &columns, const QList<QStringList> &rows);
    /// A column named like a label ("label", "sentiment", ...); without names to go by (`named`
    /// false), the column of short cells with the fewest distinct values. -1: none.
    static int labelColumn(const QStringList &columns, const QList<QStringList> &rows, int textColumn, bool named);
};

} // namespace ts
