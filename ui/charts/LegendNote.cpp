#include "charts/LegendNote.h"

namespace ts::ui {

LegendNote::LegendNote(QCPLegend *legend, const QString &text) : QCPAbstractLegendItem(legend), m_text(text)
{
    setSelectable(false);
}

void LegendNote::draw(QCPPainter *painter)
{
    painter->setFont(mFont);
    painter->setPen(QPen(mTextColor));
    painter->drawText(mRect, Qt::AlignLeft | Qt::AlignVCenter, m_text);
}

QSize LegendNote::minimumOuterSizeHint() const
{
    const QSize text = QFontMetrics(mFont).size(Qt::TextSingleLine, m_text);
    return text + QSize(mMargins.left() + mMargins.right(), mMargins.top() + mMargins.bottom());
}

} // namespace ts::ui
