#pragma once
// Projects built through the CLI, as a user builds them: for the tests that then run, kill or
// starve the CLI (tests/slow, tests/reliability, tests/gui/tst_crashgui).

#include "CliRunner.h"
#include "TempProject.h"

#include <QByteArray>
#include <QDir>
#include <QFileInfo>
#include <QList>
#include <QStringList>

#include <utility>

namespace ts::test {

/// How long `add-model --builtin` may take (it builds the model and its tokenizer).
constexpr int kAddModelTimeoutMs = 600000;

/// `file` of the embedded sample corpora (resources/samples), e.g. "books.train.tsv".
inline QString sampleFile(const QString &file)
{
    return QStringLiteral(TS_SOURCE_DIR "/resources/samples/") + file;
}

/// A labelled corpus of `count` short reviews of a `noun` in TSV (label, text).
inline QByteArray tsvReviews(int count, const char *noun)
{
    QByteArray text;
    for (int i = 0; i < count; ++i)
        text += QByteArray(i % 2 ? "pos\tthe " : "neg\tthe ") + noun + (i % 2 ? " works well " : " broke again ")
            + QByteArray::number(i) + '\n';
    return text;
}

/// `import` of the headerless TSV `file` (label, then text) into `project` as corpus `corpus`.
inline QStringList tsvImportArguments(const QString &project, const QString &corpus, const QString &file)
{
    return {QStringLiteral("import"), project, QStringLiteral("--corpus"), corpus, QStringLiteral("--file"), file,
            QStringLiteral("--no-header"), QStringLiteral("--label-column"), QStringLiteral("0"),
            QStringLiteral("--text-column"), QStringLiteral("1")};
}

/// Creates project `path` through the CLI with the labelled `corpora` (name and lines of "label
/// TAB text", written beside it) and the built-in tiny encoder; what went wrong, or nothing.
inline QString createTrainingProject(const QString &path, const QList<std::pair<QString, QByteArray>> &corpora)
{
    const auto created = runCli({QStringLiteral("create"), path});
    if (created.exitCode != 0)
        return QStringLiteral("create: exit %1: %2").arg(created.exitCode).arg(created.err);
    for (const auto &[name, text] : corpora) {
        const QString file = QFileInfo(path).dir().filePath(name + QStringLiteral(".tsv"));
        if (!writeFile(file, text))
            return QStringLiteral("cannot write %1").arg(file);
        const auto imported = runCli(tsvImportArguments(path, name, file));
        if (imported.exitCode != 0)
            return QStringLiteral("import %1: exit %2: %3").arg(name).arg(imported.exitCode).arg(imported.err);
    }
    const auto model = runCli({QStringLiteral("add-model"), path, QStringLiteral("--builtin"), QStringLiteral("tiny-encoder")},
                              kAddModelTimeoutMs);
    return model.exitCode == 0 ? QString()
                               : QStringLiteral("add-model: exit %1: %2").arg(model.exitCode).arg(model.err);
}

} // namespace ts::test
