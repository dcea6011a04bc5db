#pragma once

#include "corpus/CorpusProfile.h"

#include <QList>
#include <QWidget>

class QCustomPlot;
class QCPBarsGroup;
class QCPTextElement;

namespace ts::ui {

/// A bar chart of one or two corpora over categories: their label distribution (bars side by
/// side) or their document length histogram (bars overlaid). Has an Export button (PNG, PDF,
/// SVG).
class CategoryChart : public QWidget
{
    Q_OBJECT

public:
    /// What the bars measure.
    enum class Scale {
        Count, ///< documents
        Share, ///< percent of each corpus's documents, to compare corpora of different sizes
    };

    /// `fileName` names exported files ("label-distribution").
    CategoryChart(const QString &title, const QString &fileName, QWidget *parent = nullptr);

    /// Bars of documents per label, one group per label, one bar per profile.
    void showLabels(const QList<CorpusProfile> &profiles, Scale scale);
    /// Overlaid bars of documents per length bin, one colour per profile.
    void showLengths(const QList<CorpusProfile> &profiles, Scale scale);
    /// Removes every bar and shows `message` instead ("Reading the corpus…").
    void showMessage(const QString &message);

    /// The line under the title: which split the bars count and how many documents per corpus
    /// ("All splits · 1,300 / 1,250 labelled documents"); empty while a message is shown.
    QString scope() const;
    /// Number of corpora shown.
    int seriesCount() const { return m_values.size(); }
    /// Categories along the x axis (labels or length bins).
    QStringList categories() const { return m_categories; }
    /// The bar of corpus `series` for category `category` (documents or percent).
    double value(int series, int category) const;

    /// Writes the chart to `path` (PNG, PDF or SVG by suffix); false with `error` set on failure.
    bool exportTo(const QString &path, QString *error = nullptr) const;
    QCustomPlot *plot() const { return m_plot; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();
    int overlayAlpha() const;
    /// The bars, not yet drawn: setScope, which follows it, replots once for both.
    void setBars(const QStringList &categories, const QList<QList<double>> &values, const QStringList &names,
                 Scale scale, bool sideBySide);
    void clearBars();
    void reserveRoomForLastName(const QString &name);
    void setScope(const QList<qint64> &documents, const QString &what);
    static QList<double> scaled(const QList<double> &counts, Scale scale);

    QCustomPlot *m_plot = nullptr;
    QCPBarsGroup *m_group = nullptr;
    QCPTextElement *m_scope = nullptr;
    QString m_fileName;
    QStringList m_categories;
    QList<QList<double>> m_values;
};

} // namespace ts::ui
