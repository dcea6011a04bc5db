#pragma once

#include <qcustomplot.h>

namespace ts::ui {

/// A line of text in a QCustomPlot legend, in the legend's font and text colour, standing for
/// entries that are not listed ("60 curves: point at one for its name").
class LegendNote : public QCPAbstractLegendItem
{
public:
    LegendNote(QCPLegend *legend, const QString &text);

protected:
    void draw(QCPPainter *painter) override;
    QSize minimumOuterSizeHint() const override;

private:
    QString m_text;
};

} // namespace ts::ui
