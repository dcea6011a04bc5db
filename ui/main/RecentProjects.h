#pragma once

#include <QStringList>

namespace ts::ui {

/// The most recently opened project files, newest first, kept in QSettings.
class RecentProjects
{
public:
    /// How many files File > Open Recent lists.
    static constexpr int kMaxEntries = 10;

    static QStringList load();
    /// Moves `path` to the front (adding it when new) and saves the list.
    static void add(const QString &path);
    static void remove(const QString &path);
    static void clear();
};

} // namespace ts::ui
