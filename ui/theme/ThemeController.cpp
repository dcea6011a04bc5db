#include "theme/ThemeController.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QEvent>
#include <QMenu>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QWidget>

#include <memory>

namespace ts::ui {

namespace {

const QString kFusion = QStringLiteral("Fusion");

/// The style Qt chose for the platform, before any controller replaced it; System restores it.
QString systemStyle()
{
    static const QString name = QApplication::style()->name();
    return name;
}

QString modeKey(ThemeController::Mode mode)
{
    switch (mode) {
    case ThemeController::Mode::Light:
        return QStringLiteral("light");
    case ThemeController::Mode::Dark:
        return QStringLiteral("dark");
    case ThemeController::Mode::System:
        break;
    }
    return QStringLiteral("system");
}

ThemeController::Mode modeFromKey(const QString &key)
{
    if (key == QLatin1String("light"))
        return ThemeController::Mode::Light;
    if (key == QLatin1String("dark"))
        return ThemeController::Mode::Dark;
    return ThemeController::Mode::System;
}

} // namespace

ThemeController::ThemeController(QObject *parent) : QObject(parent)
{
    systemStyle();
    m_mode = modeFromKey(QSettings().value(QLatin1String(kSettingsKey)).toString());
    apply();
    m_dark = isDark(QApplication::palette());
    qApp->installEventFilter(this);
}

ThemeController::~ThemeController()
{
    qApp->removeEventFilter(this);
}

void ThemeController::setMode(Mode mode)
{
    QSettings().setValue(QLatin1String(kSettingsKey), modeKey(mode));
    if (mode == m_mode)
        return;
    m_mode = mode;
    apply();
    syncActions();
    Q_EMIT modeChanged(mode);
}

void ThemeController::apply()
{
    if (m_mode == Mode::System) {
        // An empty palette hands the application back to the platform theme, which then also
        // updates it when the desktop switches between light and dark.
        QApplication::setPalette(QPalette());
        if (QApplication::style()->name().compare(systemStyle(), Qt::CaseInsensitive) != 0)
            QApplication::setStyle(systemStyle());
    } else {
        if (QApplication::style()->name().compare(kFusion, Qt::CaseInsensitive) != 0)
            QApplication::setStyle(kFusion);
        QApplication::setPalette(m_mode == Mode::Dark ? darkPalette() : lightPalette());
    }
    propagate();
}

void ThemeController::propagate()
{
    // Qt 6.4 does not pass a new application palette on to top-level widgets in every case (not
    // to one built but not shown yet, such as the main window while it is being set up), and a
    // window that keeps its old palette passes it to its children. Each window re-reads it here;
    // one that has it already ignores the event.
    QEvent change(QEvent::ApplicationPaletteChange);
    for (QWidget *widget : QApplication::topLevelWidgets())
        QCoreApplication::sendEvent(widget, &change);
    updateDark();
}

void ThemeController::updateDark()
{
    const bool dark = isDark(QApplication::palette());
    if (dark == m_dark)
        return;
    m_dark = dark;
    Q_EMIT isDarkChanged(dark);
}

bool ThemeController::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == qApp && event->type() == QEvent::ApplicationPaletteChange)
        propagate();
    return QObject::eventFilter(watched, event);
}

void ThemeController::populateMenu(QMenu *menu)
{
    m_actions = new QActionGroup(menu);
    const struct
    {
        Mode mode;
        QString text;
        QString tip;
    } entries[] = {
        {Mode::System, tr("&System"), tr("Use the desktop's colours, light or dark, and follow them when they change")},
        {Mode::Light, tr("&Light"), tr("Dark text on light backgrounds, whatever the desktop uses")},
        {Mode::Dark, tr("&Dark"), tr("Light text on dark backgrounds, whatever the desktop uses")},
    };
    for (const auto &entry : entries) {
        QAction *action = menu->addAction(entry.text);
        action->setObjectName(QStringLiteral("actionTheme") + modeKey(entry.mode));
        action->setCheckable(true);
        action->setStatusTip(entry.tip);
        action->setData(int(entry.mode));
        m_actions->addAction(action);
        connect(action, &QAction::triggered, this, [this, mode = entry.mode] { setMode(mode); });
    }
    syncActions();
}

void ThemeController::syncActions()
{
    if (!m_actions)
        return;
    for (QAction *action : m_actions->actions())
        action->setChecked(Mode(action->data().toInt()) == m_mode);
}

bool ThemeController::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightnessF() < palette.color(QPalette::WindowText).lightnessF();
}

QPalette ThemeController::lightPalette()
{
    const std::unique_ptr<QStyle> fusion(QStyleFactory::create(kFusion));
    return fusion->standardPalette();
}

QPalette ThemeController::darkPalette()
{
    const QColor window(0x2f, 0x2f, 0x2f);
    const QColor base(0x24, 0x24, 0x24);
    const QColor text(0xe8, 0xe8, 0xe8);
    const QColor disabled(0x80, 0x80, 0x80);
    const QColor highlight(0x3d, 0x8e, 0xd8);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x2c, 0x2c, 0x2c));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x38, 0x38, 0x38));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    // Bevels and frames of the Fusion style.
    p.setColor(QPalette::Light, QColor(0x50, 0x50, 0x50));
    p.setColor(QPalette::Midlight, QColor(0x44, 0x44, 0x44));
    p.setColor(QPalette::Mid, QColor(0x2a, 0x2a, 0x2a));
    p.setColor(QPalette::Dark, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::Shadow, QColor(0x12, 0x12, 0x12));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb4, 0x9c, 0xff));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x50, 0x50, 0x50));
    return p;
}

QColor ThemeController::errorColor(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xff, 0x7a, 0x7a) : QColor(0xb0, 0x00, 0x20);
}

QColor ThemeController::warningColor(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xff, 0xb7, 0x4d) : QColor(0xa0, 0x5a, 0x00);
}

} // namespace ts::ui
