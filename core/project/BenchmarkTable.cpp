#include "project/BenchmarkTable.h"

#include "util/CsvField.h"

#include <algorithm>

namespace ts {

namespace {

// Means closer than this count as a tie for the best cell.
constexpr double kTieTolerance = 1e-9;

QString pairName(const BenchmarkTable::Row &row)
{
    return QStringLiteral("%1 -> %2").arg(row.source, row.target);
}

/// The CSV std of a cell: the seeds' std, the average row's seedSpread, empty for none.
QString stdField(const BenchmarkTable::Cell &cell, bool isAverage)
{
    const double spread = isAverage ? cell.seedSpread : cell.accuracy.std;
    return spread < 0.0 ? QString() : QString::number(spread, 'f', 4);
}

/// `text` with LaTeX's special characters escaped.
QString latexEscaped(QString text)
{
    text.replace(QLatin1Char('\\'), QStringLiteral("\\textbackslash{}"));
    for (const char c : {'&', '%', '$', '#', '_', '{', '}'})
        text.replace(QLatin1Char(c), QStringLiteral("\\") + QLatin1Char(c));
    text.replace(QLatin1Char('~'), QStringLiteral("\\textasciitilde{}"));
    text.replace(QLatin1Char('^'), QStringLiteral("\\textasciicircum{}"));
    return text;
}

} // namespace

BenchmarkTable BenchmarkTable::build(const QList<RunSummary> &runs, const QMap<qint64, QString> &corpusNames)
{
    BenchmarkTable table;
    QList<QPair<qint64, qint64>> pairs;
    for (const RunSummary &s : runs) {
        if (!table.m_strategies.contains(s.run.strategy))
            table.m_strategies.append(s.run.strategy);
        const QPair<qint64, qint64> pair(s.run.sourceCorpusId, s.run.targetCorpusId);
        if (!pairs.contains(pair))
            pairs.append(pair);
    }
    // [column][row]: the seeds of each cell, for the average row's spread over seeds.
    QList<QList<SeedAccuracies>> seedsOfColumns(table.m_strategies.size());
    for (const auto &pair : std::as_const(pairs)) {
        Row row;
        row.source = corpusNames.value(pair.first, QStringLiteral("corpus %1").arg(pair.first));
        row.target = corpusNames.value(pair.second, QStringLiteral("corpus %1").arg(pair.second));
        for (int column = 0; column < table.m_strategies.size(); ++column) {
            const QString &strategy = table.m_strategies.at(column);
            Cell cell;
            QList<double> values;
            SeedAccuracies seeds;
            bool seedsDistinct = true;
            for (const RunSummary &s : runs) {
                if (s.run.strategy != strategy || s.run.sourceCorpusId != pair.first ||
                    s.run.targetCorpusId != pair.second || s.run.status != RunRecord::Status::Finished ||
                    !s.target.isValid())
                    continue;
                values.append(s.target.accuracy);
                cell.runIds.append(s.run.id);
                seedsDistinct = seedsDistinct && !seeds.contains(s.run.initSeed);
                seeds.insert(s.run.initSeed, s.target.accuracy);
                if (row.evaluatedOn.isEmpty())
                    row.evaluatedOn = s.target.describe();
            }
            cell.accuracy = SeedStatistics::of(values);
            table.m_seeds = std::max(table.m_seeds, cell.accuracy.n);
            row.cells.append(cell);
            seedsOfColumns[column].append(seedsDistinct ? seeds : SeedAccuracies());
        }
        markBest(row.cells);
        table.m_rows.append(row);
    }
    for (int column = 0; column < table.m_strategies.size(); ++column) {
        QList<double> means;
        for (const Row &row : std::as_const(table.m_rows)) {
            if (row.cells.at(column).accuracy.n > 0)
                means.append(row.cells.at(column).accuracy.mean);
        }
        Cell cell;
        if (!means.isEmpty() && means.size() == table.m_rows.size()) {
            cell.accuracy = SeedStatistics::of(means);
            cell.seedSpread = seedSpread(seedsOfColumns.at(column));
        }
        table.m_average.append(cell);
    }
    markBest(table.m_average);
    return table;
}

double BenchmarkTable::seedSpread(const QList<SeedAccuracies> &cellsOfColumn)
{
    // Every pair must have the same two or more seeds: seed k's average over the pairs is then
    // one value of the average row, and the seeds give its spread.
    const QList<qint64> seeds = cellsOfColumn.value(0).keys();
    if (seeds.size() < 2)
        return -1.0;
    for (const SeedAccuracies &cell : cellsOfColumn) {
        if (cell.keys() != seeds)
            return -1.0;
    }
    QList<double> averages;
    for (const qint64 seed : seeds) {
        double sum = 0.0;
        for (const SeedAccuracies &cell : cellsOfColumn)
            sum += cell.value(seed);
        averages.append(sum / double(cellsOfColumn.size()));
    }
    return SeedStatistics::of(averages).std;
}

QString BenchmarkTable::cellText(const Cell &cell, const QString &plusMinus, bool isAverage)
{
    if (cell.accuracy.n == 0)
        return QStringLiteral("-");
    const double spread = isAverage ? cell.seedSpread : cell.accuracy.std;
    if ((!isAverage && cell.accuracy.n == 1) || spread < 0.0)
        return QString::number(cell.accuracy.mean, 'f', 3);
    return QStringLiteral("%1%2%3").arg(cell.accuracy.mean, 0, 'f', 3).arg(plusMinus).arg(spread, 0, 'f', 3);
}

void BenchmarkTable::markBest(QList<Cell> &cells)
{
    double best = -1.0;
    for (const Cell &c : std::as_const(cells)) {
        if (c.accuracy.n > 0)
            best = std::max(best, c.accuracy.mean);
    }
    for (Cell &c : cells)
        c.best = c.accuracy.n > 0 && c.accuracy.mean >= best - kTieTolerance;
}

QString BenchmarkTable::caption() const
{
    return QStringLiteral("Target accuracy, mean ± std over %1 seed(s) (the average row: mean of the pairs' means ± its std over the seeds); "
                          "* marks the best cell of each row; each pair's target split and number of texts in its row")
        .arg(m_seeds);
}

QString BenchmarkTable::toText() const
{
    // A cell is "0.812 ± 0.010*": 14 characters at most.
    int pairWidth = int(QStringLiteral("average").size());
    int splitWidth = int(QStringLiteral("evaluated on").size());
    for (const Row &row : m_rows) {
        pairWidth = std::max(pairWidth, int(pairName(row).size()));
        splitWidth = std::max(splitWidth, int(row.evaluatedOn.size()));
    }
    const auto line = [&](const QString &pair, const QString &split, const QStringList &cells) {
        QString text = QStringLiteral("%1  %2").arg(pair, -pairWidth).arg(split, -splitWidth);
        for (int i = 0; i < cells.size(); ++i)
            text += QStringLiteral("  %1").arg(cells.at(i), -std::max(15, int(m_strategies.at(i).size())));
        return text.trimmed();
    };
    const auto cellsOf = [](const QList<Cell> &cells, bool isAverage) {
        QStringList texts;
        for (const Cell &c : cells)
            texts.append(cellText(c, QStringLiteral(" ± "), isAverage) + (c.best ? QStringLiteral("*") : QString()));
        return texts;
    };
    QStringList lines{caption(), line(QStringLiteral("pair"), QStringLiteral("evaluated on"), m_strategies)};
    for (const Row &row : m_rows)
        lines.append(line(pairName(row), row.evaluatedOn, cellsOf(row.cells, false)));
    lines.append(line(QStringLiteral("average"), QString(), cellsOf(m_average, true)));
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString BenchmarkTable::toCsv() const
{
    QStringList header{QStringLiteral("pair"), QStringLiteral("source"), QStringLiteral("target"),
                       QStringLiteral("evaluated_on")};
    for (const QString &s : m_strategies)
        header << csvField(s + QStringLiteral("_mean")) << csvField(s + QStringLiteral("_std"))
               << csvField(s + QStringLiteral("_n"));
    header << QStringLiteral("best");
    const auto line = [this](const QStringList &lead, const QList<Cell> &cells, bool isAverage) {
        QStringList fields;
        for (const QString &f : lead)
            fields.append(csvField(f));
        QStringList best;
        for (int i = 0; i < cells.size(); ++i) {
            const Cell &c = cells.at(i);
            if (c.accuracy.n == 0)
                fields << QString() << QString() << QStringLiteral("0");
            else
                fields << QString::number(c.accuracy.mean, 'f', 4) << stdField(c, isAverage) << QString::number(c.accuracy.n);
            if (c.best)
                best.append(m_strategies.at(i));
        }
        fields.append(csvField(best.join(QLatin1Char('|'))));
        return fields.join(QLatin1Char(','));
    };
    QStringList lines{header.join(QLatin1Char(','))};
    for (const Row &row : m_rows)
        lines.append(line({pairName(row), row.source, row.target, row.evaluatedOn}, row.cells, false));
    lines.append(line({QStringLiteral("average"), QString(), QString(), QString()}, m_average, true));
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString BenchmarkTable::toLatex() const
{
    const auto cellsOf = [](const QList<Cell> &cells, bool isAverage) {
        QString text;
        for (const Cell &c : cells) {
            const QString value = cellText(c, QStringLiteral(" $\\pm$ "), isAverage);
            text += QStringLiteral(" & ") + (c.best ? QStringLiteral("\\textbf{%1}").arg(value) : value);
        }
        return text + QStringLiteral(" \\\\");
    };
    QStringList evaluated;
    for (const Row &row : m_rows)
        evaluated.append(QStringLiteral("%1 $\\to$ %2: %3").arg(latexEscaped(row.source), latexEscaped(row.target),
                                                                 latexEscaped(row.evaluatedOn)));
    QStringList lines{QStringLiteral("\\begin{table}[t]"), QStringLiteral("\\centering"),
                      QStringLiteral("\\caption{Target accuracy, mean $\\pm$ std over %1 seed(s); the average row is "
                                     "the mean of the pairs' means $\\pm$ its std over the seeds; best of each row in bold. Evaluated on %2.}")
                          .arg(m_seeds)
                          .arg(evaluated.join(QStringLiteral("; "))),
                      QStringLiteral("\\begin{tabular}{l%1}").arg(QString(m_strategies.size(), QLatin1Char('c'))),
                      QStringLiteral("\\toprule")};
    QString header = QStringLiteral("Source $\\to$ target");
    for (const QString &s : m_strategies)
        header += QStringLiteral(" & ") + latexEscaped(s);
    lines << header + QStringLiteral(" \\\\") << QStringLiteral("\\midrule");
    for (const Row &row : m_rows)
        lines << QStringLiteral("%1 $\\to$ %2").arg(latexEscaped(row.source), latexEscaped(row.target)) + cellsOf(row.cells, false);
    lines << QStringLiteral("\\midrule") << QStringLiteral("Average") + cellsOf(m_average, true)
          << QStringLiteral("\\bottomrule") << QStringLiteral("\\end{tabular}") << QStringLiteral("\\end{table}");
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace ts
