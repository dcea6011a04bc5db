#pragma once

#include <QList>
#include <QString>

namespace ts {

/// What deleting one item of a project removes, computed before anything is deleted (so that a
/// confirmation can name it) by ProjectEraser::plan().
struct ErasePlan
{
    /// The kinds of items that can be deleted and renamed.
    enum class Kind { Run, Group, Corpus, Model };

    Kind kind = Kind::Run;
    qint64 id = 0;         // the item's row id
    QString key;           // as the user named it: a run's or group's id, a corpus's or model's name
    QString name;          // the item as people name it: "corpus music", "run 4", "group 2"
    QList<qint64> runs;    // every run that goes (for Kind::Run, the run itself), ascending
    QList<qint64> groups;  // the groups that go: the group itself, or groups left without runs

    /// The kind's word: "run", "group", "corpus", "model".
    static QString kindName(Kind kind);
    /// One sentence for a confirmation: "deleting corpus music also deletes its 3 runs (4, 5, 6) with
    /// their metrics, predictions and checkpoints"; a run's names the group it leaves empty.
    QString describe() const;
};

} // namespace ts
