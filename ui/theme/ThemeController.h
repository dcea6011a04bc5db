#pragma once

#include <QObject>
#include <QPalette>
#include <QPointer>

class QActionGroup;
class QMenu;

namespace ts::ui {

/// The application's colours: the system's palette, or a light or dark one chosen in
/// View > Theme, remembered in QSettings ("view/theme").
///
/// Qt 6.4 (Debian 12) has no colour-scheme API, so "System" keeps the palette the platform
/// theme gives (and whatever it changes to later) and tells dark from light by that palette's
/// colours. "Light" and "Dark" use the Fusion style, which draws every palette faithfully.
/// Widgets follow through QEvent::PaletteChange; isDarkChanged() is for code that picks
/// colours itself.
class ThemeController : public QObject
{
    Q_OBJECT

public:
    enum class Mode { System, Light, Dark };
    Q_ENUM(Mode)

    /// QSettings key of the chosen mode ("system", "light" or "dark").
    static constexpr const char *kSettingsKey = "view/theme";

    /// Applies the mode saved in QSettings (System when none). Watches qApp for the platform's
    /// palette and theme changes. Needs a QApplication.
    explicit ThemeController(QObject *parent = nullptr);
    ~ThemeController() override;

    Mode mode() const { return m_mode; }
    /// Applies `mode` to the whole application and saves it.
    void setMode(Mode mode);
    /// True when the palette in effect has light text on a dark background.
    bool isDark() const { return m_dark; }

    /// Adds System, Light and Dark as checkable actions of `menu`, kept in step with mode().
    void populateMenu(QMenu *menu);

    /// True when `palette` draws light text on a dark background.
    static bool isDark(const QPalette &palette);
    /// The Fusion palettes Light and Dark apply.
    static QPalette lightPalette();
    static QPalette darkPalette();
    /// A colour for error text that reads well on `palette`'s window background.
    static QColor errorColor(const QPalette &palette);
    /// A colour for warning text that reads well on `palette`'s window background.
    static QColor warningColor(const QPalette &palette);

Q_SIGNALS:
    void modeChanged(ts::ui::ThemeController::Mode mode);
    /// The palette in effect turned dark or light (a mode change, or the system's own).
    void isDarkChanged(bool dark);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void apply();
    void propagate();
    void updateDark();
    void syncActions();

    Mode m_mode = Mode::System;
    bool m_dark = false;
    QPointer<QActionGroup> m_actions; // in the View menu, when populated
};

} // namespace ts::ui
