#include "corpus/ColumnGuess.h"

#include <QSet>

namespace ts {

namespace {

// Column names that usually hold the label, compared case-insensitively.
const QStringList kLabelNames = {QStringLiteral("label"),     QStringLiteral("labels"),   QStringLiteral("class"),
                                 QStringLiteral("category"),  QStringLiteral("sentiment"), QStringLiteral("polarity"),
                                 QStringLiteral("target")};

} // namespace

int ColumnGuess::textColumn(const QStringList &columns, const QList<QStringList> &rows)
{
    for (int i = 0; i < columns.size(); ++i) {
        if (columns.at(i).compare(QLatin1String("text"), Qt::CaseInsensitive) == 0)
            return i;
    }
    int best = 0;
    qsizetype bestLength = -1;
    for (int i = 0; i < columns.size(); ++i) {
        qsizetype length = 0;
        for (const QStringList &row : rows)
            length += row.value(i).size();
        if (length > bestLength) {
            best = i;
            bestLength = length;
        }
    }
    return best;
}

int ColumnGuess::labelColumn(const QStringList &columns, const QList<QStringList> &rows, int textColumn, bool named)
{
    for (int i = 0; i < columns.size(); ++i) {
        if (i != textColumn && kLabelNames.contains(columns.at(i), Qt::CaseInsensitive))
            return i;
    }
    if (named || rows.size() < 2)
        return -1;
    int best = -1;
    qsizetype fewest = rows.size();
    for (int i = 0; i < columns.size(); ++i) {
        QSet<QString> values;
        bool shortCells = i != textColumn;
        for (const QStringList &row : rows) {
            shortCells = shortCells && row.value(i).size() <= kMaxLabelChars;
            values.insert(row.value(i));
        }
        if (shortCells && values.size() < fewest) {
            best = i;
            fewest = values.size();
        }
    }
    return best;
}

} // namespace ts
