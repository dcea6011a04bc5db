#include "model/ModelTokenizer.h"

#include "model/ModelFolder.h"
#include "model/ModelRegistry.h"

#include <QTemporaryDir>

namespace ts {

Result<Tokenizer> ModelTokenizer::load(const QSqlDatabase &db, const QString &nameOrId)
{
    using R = Result<Tokenizer>;
    const auto model = ModelRegistry::find(db, nameOrId);
    if (!model)
        return R::failure(model.error());
    // A built-in model's files are written here for the tokenizer to be read; a Hugging Face
    // model is read in place.
    const QTemporaryDir scratch;
    if (!scratch.isValid())
        return R::failure(QStringLiteral("cannot create a temporary folder: %1").arg(scratch.errorString()));
    const auto dir = ModelRegistry::materialize(db, model.value(), scratch.path());
    if (!dir)
        return R::failure(dir.error());
    const auto folder = ModelFolder::inspect(dir.value());
    if (!folder)
        return R::failure(folder.error());
    if (folder->tokenizerFile().isEmpty())
        return R::failure(QStringLiteral("model \"%1\" has no tokenizer (no tokenizer.json or vocab.txt in %2)")
                              .arg(model->name, model->kind == ModelRecord::Kind::HuggingFace ? dir.value()
                                                                                               : QStringLiteral("its stored files")));
    return Tokenizer::fromFile(folder->tokenizerFile());
}

} // namespace ts
