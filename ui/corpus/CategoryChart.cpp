#include "corpus/CategoryChart.h"

#include "charts/ChartExport.h"
#include "charts/ChartStyle.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace ts::ui {

namespace {

// Colours of the first and second corpus (source and target), as in the run monitor.
const QColor kSeriesColors[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e)};
// Opacity of overlaid bars, so that both corpora stay visible where they overlap.
constexpr int kOverlayAlpha = 110;
constexpr int kDarkOverlayAlpha = 150; // on a dark background the lighter fill would sink into it
// Width of all bars of one category together, in category units.
constexpr double kGroupWidth = 0.8;
// Headroom above the tallest bar (the legend sits under the chart).
constexpr double kHeadroom = 1.1;
constexpr int kMinimumWidth = 200; // pixels
// More categories than this and their names are turned to fit.
constexpr int kUprightCategories = 8;
constexpr int kTurnedDegrees = 45;
constexpr double kCosTurned = 0.7071; // cos 45°: a turned label's horizontal share of its width and height

QString binName(const LengthHistogram &histogram, int bin)
{
    const qint64 from = bin == 0 ? 0 : histogram.upperBounds.at(bin - 1);
    if (bin == histogram.upperBounds.size())
        return QStringLiteral("%1+").arg(from);
    return QStringLiteral("%1–%2").arg(from).arg(histogram.upperBounds.at(bin) - 1);
}

} // namespace

CategoryChart::CategoryChart(const QString &title, const QString &fileName, QWidget *parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_fileName(fileName)
{
    setObjectName(fileName);
    m_plot->setObjectName(title);
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(
        0, 0, new QCPTextElement(m_plot, title, QFont(font().family(), font().pointSize() + 1, QFont::Bold)));
    m_scope = new QCPTextElement(m_plot, QString(), QFont(font().family(), font().pointSize() - 1));
    m_plot->plotLayout()->insertRow(1);
    m_plot->plotLayout()->addElement(1, 0, m_scope);
    ChartStyle::placeLegendBelow(m_plot);
    ChartStyle::showLegendBelow(m_plot, false);
    m_plot->setMinimumSize(kMinimumWidth, 200); // not QCustomPlot's hint, as wide as its legend
    m_plot->xAxis->grid()->setVisible(false);
    applyPalette();

    auto *exportButton = new QPushButton(tr("Export…"), this);
    exportButton->setToolTip(tr("Save this chart as a PNG image, a PDF document or an SVG drawing"));
    connect(exportButton, &QPushButton::clicked, this, [this] { ChartExport::exportDialog(m_plot, m_fileName, this); });
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot, 1);
    layout->addLayout(buttons);
}

void CategoryChart::showLabels(const QList<CorpusProfile> &profiles, Scale scale)
{
    QStringList labels;
    for (const CorpusProfile &profile : profiles) {
        for (auto it = profile.labels.cbegin(); it != profile.labels.cend(); ++it) {
            if (!labels.contains(it.key()))
                labels.append(it.key());
        }
    }
    std::sort(labels.begin(), labels.end());
    QList<QList<double>> values;
    QStringList names;
    QList<qint64> labelled;
    for (const CorpusProfile &profile : profiles) {
        QList<double> counts;
        for (const QString &label : std::as_const(labels))
            counts.append(double(profile.labels.value(label)));
        values.append(counts);
        names.append(profile.name);
        labelled.append(profile.documents - profile.unlabeled);
    }
    m_plot->xAxis->setLabel(tr("label"));
    setBars(labels, values, names, scale, true);
    m_plot->yAxis->setLabel(scale == Scale::Share ? tr("share of labelled documents (%)") : tr("labelled documents"));
    setScope(labelled, tr("labelled documents"));
    if (labels.isEmpty())
        showMessage(tr("No labelled documents"));
}

void CategoryChart::showLengths(const QList<CorpusProfile> &profiles, Scale scale)
{
    QStringList bins;
    QList<QList<double>> values;
    QStringList names;
    QList<qint64> documents;
    for (const CorpusProfile &profile : profiles) {
        if (bins.isEmpty()) {
            for (int bin = 0; bin < profile.lengths.counts.size(); ++bin)
                bins.append(binName(profile.lengths, bin));
        }
        QList<double> counts;
        for (const qint64 count : profile.lengths.counts)
            counts.append(double(count));
        values.append(counts);
        names.append(profile.name);
        documents.append(profile.documents);
    }
    m_plot->xAxis->setLabel(tr("document length (words)"));
    setBars(bins, values, names, scale, false);
    setScope(documents, tr("documents"));
}

void CategoryChart::setScope(const QList<qint64> &documents, const QString &what)
{
    // Profiles count every split; two corpora read source / target, as in the domain-shift table.
    QStringList counts;
    for (const qint64 count : documents)
        counts.append(QLocale().toString(count));
    m_scope->setText(tr("All splits · %1 %2").arg(counts.join(QStringLiteral(" / ")), what));
    m_plot->replot();
}

QString CategoryChart::scope() const
{
    return m_scope->text();
}

void CategoryChart::showMessage(const QString &message)
{
    clearBars();
    m_scope->setText(QString());
    m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTickerText));
    m_plot->yAxis->setTicks(false);
    m_plot->yAxis->grid()->setVisible(false);
    m_plot->yAxis->setTickLabels(false);
    m_plot->yAxis->setLabel(QString());
    m_plot->xAxis->setLabel(QString());
    ChartStyle::showLegendBelow(m_plot, false);
    auto *text = new QCPItemText(m_plot);
    text->position->setType(QCPItemPosition::ptAxisRectRatio);
    text->position->setAxisRect(m_plot->axisRect());
    text->position->setCoords(0.5, 0.5);
    text->setText(message);
    text->setColor(palette().color(QPalette::Text));
    m_plot->replot();
}

void CategoryChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QWidget::changeEvent(event);
}

void CategoryChart::applyPalette()
{
    // Background, axes, titles and legend as the run monitor's charts; a message in the text colour.
    ChartStyle::apply(m_plot, palette());
    m_plot->legend->setBorderPen(Qt::NoPen); // under the chart, not framed inside it
    for (int i = 0; i < m_plot->itemCount(); ++i) {
        if (auto *text = qobject_cast<QCPItemText *>(m_plot->item(i)))
            text->setColor(palette().color(QPalette::Text));
    }
    if (!m_group && m_plot->plottableCount() > 1) { // overlaid bars
        for (int i = 0; i < m_plot->plottableCount(); ++i) {
            QBrush brush = m_plot->plottable(i)->brush();
            QColor fill = brush.color();
            fill.setAlpha(overlayAlpha());
            brush.setColor(fill);
            m_plot->plottable(i)->setBrush(brush);
        }
    }
    m_plot->replot();
}

int CategoryChart::overlayAlpha() const
{
    return palette().color(QPalette::Base).lightnessF() < 0.5 ? kDarkOverlayAlpha : kOverlayAlpha;
}

QList<double> CategoryChart::scaled(const QList<double> &counts, Scale scale)
{
    if (scale == Scale::Count)
        return counts;
    double total = 0;
    for (const double count : counts)
        total += count;
    QList<double> shares;
    for (const double count : counts)
        shares.append(total > 0 ? 100.0 * count / total : 0.0);
    return shares;
}

void CategoryChart::clearBars()
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    delete m_group;
    m_group = nullptr;
    m_categories.clear();
    m_values.clear();
}

void CategoryChart::setBars(const QStringList &categories, const QList<QList<double>> &values,
                            const QStringList &names, Scale scale, bool sideBySide)
{
    clearBars();
    m_categories = categories;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    QList<double> keys;
    for (int i = 0; i < categories.size(); ++i) {
        keys.append(i + 1);
        ticker->addTick(i + 1, categories.at(i));
    }
    m_plot->xAxis->setTicker(ticker);
    m_plot->xAxis->setTickLabelRotation(categories.size() > kUprightCategories ? kTurnedDegrees : 0);
    reserveRoomForLastName(categories.isEmpty() ? QString() : categories.last());
    if (sideBySide && values.size() > 1)
        m_group = new QCPBarsGroup(m_plot);
    double highest = 0;
    for (int s = 0; s < values.size(); ++s) {
        m_values.append(scaled(values.at(s), scale));
        auto *bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
        bars->setName(names.at(s));
        const QColor color = kSeriesColors[s % 2];
        QColor fill = color;
        if (!sideBySide && values.size() > 1)
            fill.setAlpha(overlayAlpha());
        bars->setPen(QPen(color.darker(120)));
        bars->setBrush(fill);
        bars->setWidth(m_group ? kGroupWidth / values.size() : kGroupWidth);
        if (m_group)
            bars->setBarsGroup(m_group);
        bars->setData(keys, m_values.last(), true);
        for (const double v : std::as_const(m_values.last()))
            highest = std::max(highest, v);
    }
    ChartStyle::showLegendBelow(m_plot, values.size() > 1); // one corpus: its name is the title's
    m_plot->yAxis->setLabel(scale == Scale::Share ? tr("share of documents (%)") : tr("documents"));
    m_plot->xAxis->setRange(0.4, categories.size() + 0.6);
    m_plot->yAxis->setTicks(true);
    m_plot->yAxis->grid()->setVisible(true);
    m_plot->yAxis->setTickLabels(true);
    m_plot->yAxis->setRange(0, highest > 0 ? highest * kHeadroom : 1.0); // replotted by setScope
}

void CategoryChart::reserveRoomForLastName(const QString &name)
{
    // QCustomPlot leaves out a tick label that would cross the widget's edge, and its automatic
    // margins make no room for it: a narrow length chart lost its "2048+". The last name reaches
    // right of its tick by half its width upright, by its whole turned extent when turned.
    const QFontMetrics metrics(m_plot->xAxis->tickLabelFont());
    const int width = metrics.horizontalAdvance(name);
    const int reach = m_plot->xAxis->tickLabelRotation() == 0 ? (width + 1) / 2
                                                               : int(std::ceil((width + metrics.height()) * kCosTurned));
    QMargins margins = m_plot->axisRect()->minimumMargins();
    margins.setRight(reach);
    m_plot->axisRect()->setMinimumMargins(margins);
}

double CategoryChart::value(int series, int category) const
{
    return m_values.value(series).value(category);
}

bool CategoryChart::exportTo(const QString &path, QString *error) const
{
    return ChartExport::exportTo(m_plot, path, error);
}

} // namespace ts::ui
